package dev.autocert4j.issuer;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.internal.x509.Csr;
import dev.autocert4j.internal.x509.KeyPairs;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.InMemoryCertificateStore;
import java.security.KeyPair;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;

/** Requests, contexts and PKIX validation for the issuer tests. */
final class IssuerTestSupport {
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00.750Z");

    private IssuerTestSupport() {
    }

    static IssuanceRequest request(Certificate certificate) {
        KeyPair key = KeyPairs.generate(certificate.privateKey());
        return new IssuanceRequest(certificate, key, Csr.create(certificate, key));
    }

    static IssuanceContext context(Instant now) {
        return context(now, new InMemoryCertificateStore());
    }

    static IssuanceContext context(Instant now, CertificateStore store) {
        return new IssuanceContext(new SolverSet(List.of()), store, LockProvider.inJvm(), Clock.fixed(now, ZoneOffset.UTC),
                event -> { });
    }

    static Certificate.Builder leaf(String issuer) {
        return Certificate.builder("www").dnsNames("www.example.test").issuerRef(IssuerRef.clusterIssuer(issuer));
    }

    static Certificate.Builder ca(String issuer) {
        return Certificate.builder("root-ca").commonName("ca.example.test").dnsNames("ca.example.test").isCA(true)
                .issuerRef(IssuerRef.clusterIssuer(issuer));
    }

    /** Validates {@code path} (leaf first, without the anchor) with PKIX against {@code root} at {@code at}. */
    static void validate(List<X509Certificate> path, X509Certificate root, Instant at) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        parameters.setDate(Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path),
                parameters);
    }
}
