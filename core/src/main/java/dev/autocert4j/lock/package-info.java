/**
 * The {@link dev.autocert4j.lock.LockProvider} SPI that lets one replica order a certificate while the others
 * wait, and the file lock for managers sharing a directory.
 */
package dev.autocert4j.lock;
