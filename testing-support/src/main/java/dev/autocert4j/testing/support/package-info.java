/**
 * Build helpers of autocert4j's own tests: {@link dev.autocert4j.testing.support.KnownSecrets}
 * and {@link dev.autocert4j.testing.support.LogSecretScan}. Not published.
 */
package dev.autocert4j.testing.support;
