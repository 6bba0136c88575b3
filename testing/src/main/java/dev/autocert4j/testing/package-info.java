/** Test peers: {@link dev.autocert4j.testing.PebbleServer} and store contract tests. */
package dev.autocert4j.testing;
