/** Certificate stores: files on disk and memory. */
package dev.autocert4j.store;
