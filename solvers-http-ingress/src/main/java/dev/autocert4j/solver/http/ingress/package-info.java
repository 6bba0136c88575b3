/**
 * HTTP-01 through a Kubernetes Ingress: {@link dev.autocert4j.solver.http.ingress.IngressHttp01Solver}
 * routes {@code /.well-known/acme-challenge/<token>} to the application's own responder, as
 * cert-manager's {@code http01.ingress} does with a solver pod.
 */
package dev.autocert4j.solver.http.ingress;
