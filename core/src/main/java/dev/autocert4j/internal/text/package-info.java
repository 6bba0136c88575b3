/** Message text shared by the internal packages; not exported. */
package dev.autocert4j.internal.text;
