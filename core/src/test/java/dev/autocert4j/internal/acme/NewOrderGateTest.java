package dev.autocert4j.internal.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NewOrderGateTest {
    private final NewOrderGate gate = new NewOrderGate();

    @Test
    void callsOfManyThreadsNeverOverlap() throws Exception {
        int threads = 8;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger mostInside = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        for (int t = 0; t < threads; t++) {
            runs.add(CompletableFuture.runAsync(() -> {
                await(start);
                for (int i = 0; i < 2_000; i++) {
                    gate.inTurn(() -> {
                        mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.yield(); // give another thread every chance to come in now
                        return inside.decrementAndGet();
                    });
                }
            }, pool));
        }
        try {
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        assertThat(mostInside.get()).as("calls under way at once").isEqualTo(1);
    }

    @Test
    void aCallThatFailsHandsTheTurnOnAndItsFailureToTheCaller() throws Exception {
        assertThatThrownBy(() -> gate.inTurn(() -> {
            throw new IOException("refused");
        })).isInstanceOf(IOException.class).hasMessage("refused");

        // another thread gets its turn: the failed call did not keep it
        assertThat(CompletableFuture.supplyAsync(() -> gate.inTurn(() -> "next")).get(30, TimeUnit.SECONDS))
                .isEqualTo("next");
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
