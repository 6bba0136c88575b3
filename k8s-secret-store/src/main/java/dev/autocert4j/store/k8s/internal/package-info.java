/**
 * How the Kubernetes Secret store works inside: the Secret layout, the conflict-retrying writer,
 * account-key and bookkeeping Secrets, keystores and the quarantine of damaged Secrets.
 *
 * <p>Not API: this package is never exported (the jar is an automatic module, which cannot hide a
 * package, so this one says so here). Its types may change in any release without notice.
 */
package dev.autocert4j.store.k8s.internal;
