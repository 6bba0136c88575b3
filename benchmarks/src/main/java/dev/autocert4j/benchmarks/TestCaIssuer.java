package dev.autocert4j.benchmarks;

import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.IssuerScope;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory issuer for benchmarks: signs the request's own key with the testing module's CA,
 * valid for 90 days, so that thousands of certificates can be managed without an ACME CA. Counts
 * what it issued. Thread-safe.
 */
final class TestCaIssuer implements Issuer {
    /** The name certificates reference with {@code IssuerRef.clusterIssuer(NAME)}. */
    static final String NAME = "test-ca";
    final AtomicInteger issued = new AtomicInteger();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public IssuerScope scope() {
        return IssuerScope.cluster();
    }

    @Override
    public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) {
        List<X509Certificate> chain = dev.autocert4j.testing.TestCertificates.chain(request.keyPair(),
                request.certificate().dnsNames());
        issued.incrementAndGet();
        return chain;
    }
}
