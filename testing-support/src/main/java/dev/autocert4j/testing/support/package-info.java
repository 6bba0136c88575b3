/**
 * Build helpers of autocert4j's own tests: {@link dev.autocert4j.testing.support.KnownSecrets},
 * {@link dev.autocert4j.testing.support.LogSecretScan} and
 * {@link dev.autocert4j.testing.support.ReadmeFigures}. Not published.
 */
package dev.autocert4j.testing.support;
