/**
 * The README's Java blocks as compiled code, between {@code // tag::name[]} and {@code // end::name[]}; not
 * published. ReadmeSnippetsTest fails when a README block is not one of these regions, word for word.
 */
package dev.autocert4j.docs;
