/** Implementation details of the Kubernetes store; not exported. */
package dev.autocert4j.store.k8s.internal;
