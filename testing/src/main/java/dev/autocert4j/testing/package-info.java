/**
 * Test peers: {@link dev.autocert4j.testing.PebbleServer}, a local Pebble ACME CA with
 * pebble-challtestsrv, its JUnit 5 extension {@link dev.autocert4j.testing.PebbleExtension}, and
 * store contract tests.
 */
package dev.autocert4j.testing;
