/** Runnable examples: {@link dev.autocert4j.examples.Demo} obtains a certificate from a local Pebble and serves HTTPS with it. */
package dev.autocert4j.examples;
