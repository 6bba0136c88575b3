/** HTTP-01: the built-in responder, standalone or mounted in the application's own server. */
package dev.autocert4j.solver.http;
