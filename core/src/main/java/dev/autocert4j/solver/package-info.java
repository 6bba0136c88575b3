/** Solvers: the HTTP-01 solver with its built-in responder. */
package dev.autocert4j.solver;
