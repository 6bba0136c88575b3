/** A Spring Boot web application that serves HTTPS with the autocert4j starter, against a local Pebble. */
package dev.autocert4j.examples.spring;
