package dev.autocert4j.lock.k8s;

import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.testing.TestCertificates;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cluster issuer {@code test-issuer}: signs with the test CA, counts every order, and takes a
 * while per order as a CA does, so that two managers ordering at once would overlap.
 */
final class CountingIssuer implements Issuer {
    final AtomicInteger orders = new AtomicInteger();
    private final Duration orderTime;
    /** Runs during each order, before the chain is returned; a test pauses the holder here. */
    volatile Runnable duringOrder = () -> { };

    CountingIssuer(Duration orderTime) {
        this.orderTime = orderTime;
    }

    @Override
    public String name() {
        return "test-issuer";
    }

    @Override
    public IssuerScope scope() {
        return IssuerScope.cluster();
    }

    @Override
    public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) {
        orders.incrementAndGet();
        try {
            Thread.sleep(orderTime.toMillis()); // a slow CA is the behaviour under test: replicas must wait on the lock
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ordering", e);
        }
        duringOrder.run();
        return TestCertificates.chain(request.keyPair(), request.certificate().dnsNames());
    }
}
