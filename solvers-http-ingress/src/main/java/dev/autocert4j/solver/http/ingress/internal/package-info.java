/**
 * How the Ingress HTTP-01 solver works inside: routes and their cleanup handles, the editor of an
 * existing Ingress, temporary Ingresses and their template, the watch that answers tokens of other replicas, the cleanup scope, the leftover sweep, and the
 * self-check.
 *
 * <p>Not API: this package is never exported (the jar is an automatic module, which cannot hide a
 * package, so this one says so here). Its types may change in any release without notice.
 */
package dev.autocert4j.solver.http.ingress.internal;
