/** Lock providers: file locks for managers sharing a directory. */
package dev.autocert4j.lock;
