package dev.autocert4j.manifests;

import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * A parser that stops at a nesting depth: snakeyaml-engine's composer builds the node tree
 * recursively, so a document of thousands of nested {@code [} would otherwise end in a
 * StackOverflowError. The parser itself is iterative; counting here stops the composer before it
 * descends. Not thread-safe, as the parser it wraps.
 */
final class DepthLimitedParser implements Parser {
    /** The document nests deeper than allowed. */
    static final class TooDeep extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** @serial the line, counted from 1, or 0 */
        private final int line;

        TooDeep(int line) {
            super(null, null, false, false);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    private final Parser parser;
    private final int maxDepth;
    private int depth;

    DepthLimitedParser(Parser parser, int maxDepth) {
        this.parser = parser;
        this.maxDepth = maxDepth;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return parser.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return parser.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return parser.hasNext();
    }

    @Override
    public Event next() {
        Event event = parser.next();
        switch (event.getEventId()) {
            case MappingStart, SequenceStart -> {
                if (++depth > maxDepth) {
                    throw new TooDeep(event.getStartMark().map(m -> m.getLine() + 1).orElse(0));
                }
            }
            case MappingEnd, SequenceEnd -> depth--;
            default -> {
            }
        }
        return event;
    }
}
