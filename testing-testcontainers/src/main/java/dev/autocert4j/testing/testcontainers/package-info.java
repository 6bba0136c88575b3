/**
 * Runs autocert4j-testing's {@code PebbleServer} in containers through Testcontainers: on the class
 * or module path, this module's {@link dev.autocert4j.testing.testcontainers.TestcontainersEngine}
 * is found with {@link java.util.ServiceLoader} and used for
 * {@link dev.autocert4j.testing.PebbleMode#TESTCONTAINERS}.
 */
package dev.autocert4j.testing.testcontainers;
