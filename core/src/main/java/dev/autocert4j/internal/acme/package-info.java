/** ACME protocol flow on acme4j: sessions, orders, polling, error mapping. Implementation detail: not exported, may change at any time. */
package dev.autocert4j.internal.acme;
