/**
 * Process, port and file plumbing shared by the test servers; not exported.
 */
package dev.autocert4j.testing.internal;
