/** The manager's engine: scheduling, renewal times, locks. Implementation detail: not exported, may change at any time. */
package dev.autocert4j.internal.engine;
