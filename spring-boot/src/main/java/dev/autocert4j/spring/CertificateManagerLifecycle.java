package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.CertificateManager;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the certificate manager's background renewal with the application context, before the web server
 * (an earlier phase), and closes it on shutdown. Thread-safe.
 */
final class CertificateManagerLifecycle implements SmartLifecycle {
    /** Before the web server's phases, so that renewal runs while it serves. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;
    /**
     * After the web server started (Spring Boot starts it in phase {@code DEFAULT_PHASE - 2048}): when the
     * application's own connector answers HTTP-01, the first order must wait until it serves.
     */
    static final int AFTER_WEB_SERVER_PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final CertificateManager manager;
    private final int phase;
    private volatile boolean running;

    CertificateManagerLifecycle(CertificateManager manager, int phase) {
        this.manager = requireNonNull(manager, "manager");
        this.phase = phase;
    }

    @Override
    public void start() {
        manager.start();
        running = true;
    }

    @Override
    public void stop() {
        manager.close();
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return phase;
    }
}
