/**
 * The standalone HTTP-01 responder: a small non-blocking HTTP/1.x server that answers only
 * {@code GET}/{@code HEAD} under {@code /.well-known/acme-challenge/}. Implementation detail: not
 * exported, may change at any time. Exported to the Ingress solver's module only, whose presentations
 * wrap {@code Http01Solver}'s and pass its {@link dev.autocert4j.internal.http.FetchedToken} signal on.
 */
package dev.autocert4j.internal.http;
