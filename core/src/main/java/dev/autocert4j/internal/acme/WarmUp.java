package dev.autocert4j.internal.acme;

import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.internal.x509.KeyPairs;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up work of a first order that does not depend on the CA: jose4j's algorithm registry
 * with {@link Es256Signing} (jose4j looks up every algorithm it knows in the JCA on first use) and a
 * first P-256 key pair (BouncyCastle's signed jars verified, its EC classes loaded and run once).
 * Run on its own thread while the caller reads the directory (JSSE, the HTTP client, a TLS
 * handshake): in a fresh JVM the two load and first run different code, so on two cores they
 * overlap instead of adding up. Once per {@link AcmeSessions}; every directory reader waits for it,
 * so the thread never outlives the read that started it. Thread-safe.
 */
final class WarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);

    private final FutureTask<Void> task = new FutureTask<>(WarmUp::run, null);
    private final AtomicBoolean started = new AtomicBoolean();

    /** Starts the work on its own thread the first time; later calls do nothing. */
    void start() {
        if (started.compareAndSet(false, true)) {
            Thread thread = new Thread(task, "autocert4j-warm-up");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /**
     * For tests that must see the work end while a directory read is still blocked (which {@link #await} would
     * wait behind): waits at most {@code timeout}.
     *
     * @param timeout the longest wait
     * @return whether the work has ended, failed or not
     * @throws InterruptedException when interrupted while waiting
     */
    boolean endedWithin(Duration timeout) throws InterruptedException {
        try {
            task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            return true;
        } catch (TimeoutException e) {
            return false;
        }
    }

    /**
     * Waits until the work has ended. Uninterruptibly, since it is a bounded amount of CPU work and
     * no thread may be left behind; an interrupt is kept for the caller. A failure is only logged:
     * each piece runs again where it is needed (a key pair for each key, ES256 before signing).
     */
    void await() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    task.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    LOG.warn("Preparing ACME signing and P-256 keys failed: {}", Messages.describe(e.getCause()));
                    return;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void run() {
        Es256Signing.install();
        // Thrown away: it loads and first runs the code that the account and certificate keys then use.
        KeyPairs.generate(PrivateKeySpec.ecdsa(256));
    }
}
