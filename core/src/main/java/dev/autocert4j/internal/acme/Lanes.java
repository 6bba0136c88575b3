package dev.autocert4j.internal.acme;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * A few parallel lanes, each used by any number of callers, handed out least busy first: a new lane
 * opens only while every open one is in use and fewer than the limit are open, so that one caller at
 * a time always gets the first lane. For acme4j sessions: a session holds its nonce lock for the
 * whole of each request, so the requests of all orders on one session go one at a time. Thread-safe.
 *
 * @param <T> what a lane holds
 */
final class Lanes<T> {
    private final int limit;
    private final IntFunction<T> open;
    private final List<T> lanes = new ArrayList<>();
    private final List<Integer> inUse = new ArrayList<>();

    /**
     * @param limit the most lanes ever open, at least 1
     * @param open makes lane number i (0, 1, ...) when it is first needed
     */
    Lanes(int limit, IntFunction<T> open) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        this.limit = limit;
        this.open = open;
    }

    /** One caller's use of a lane; closing it hands the lane back. */
    final class Lease implements AutoCloseable {
        private final int index;
        private boolean closed;

        private Lease(int index) {
            this.index = index;
        }

        /** @return the lane's content */
        T lane() {
            synchronized (Lanes.this) {
                return lanes.get(index);
            }
        }

        /** @return the lane's number, 0 for the first */
        int index() {
            return index;
        }

        @Override
        public void close() {
            synchronized (Lanes.this) {
                if (!closed) {
                    closed = true;
                    inUse.set(index, inUse.get(index) - 1);
                }
            }
        }
    }

    /** @return a lease on the least busy lane, a new one when all are in use and the limit allows */
    synchronized Lease lease() {
        int best = -1;
        for (int i = 0; i < lanes.size(); i++) {
            if (best < 0 || inUse.get(i) < inUse.get(best)) {
                best = i;
            }
        }
        if ((best < 0 || inUse.get(best) > 0) && lanes.size() < limit) {
            lanes.add(open.apply(lanes.size()));
            inUse.add(0);
            best = lanes.size() - 1;
        }
        inUse.set(best, inUse.get(best) + 1);
        return new Lease(best);
    }

    /** @return how many lanes are open */
    synchronized int size() {
        return lanes.size();
    }
}
