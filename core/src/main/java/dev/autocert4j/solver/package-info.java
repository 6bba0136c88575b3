/**
 * The {@link dev.autocert4j.solver.Solver} SPI: proving control of a name for one ACME challenge type, and
 * choosing a solver per name with cert-manager's selector precedence.
 */
package dev.autocert4j.solver;
