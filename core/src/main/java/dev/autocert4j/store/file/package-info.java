/** The file store: PEM files per certificate, written as atomic revisions; 0600 keys. */
package dev.autocert4j.store.file;
