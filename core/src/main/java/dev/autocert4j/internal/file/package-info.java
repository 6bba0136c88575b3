/**
 * File mechanics shared by the file store and the file lock provider (an exclusive lock on a file
 * across threads and processes). Implementation detail: not exported, may change at any time.
 */
package dev.autocert4j.internal.file;
