/** Implementation details; not exported, may change at any time. */
package dev.autocert4j.internal;
