package dev.autocert4j;

import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.issuer.RateLimitedException;
import dev.autocert4j.issuer.RenewalWindow;
import dev.autocert4j.store.StoredCertificate;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A test issuer: a small CA of its own ({@link #caCertificate()}, {@code CN=<name>}) that signs
 * the request's key from the clock's now for {@link #validity}; counts
 * calls; can be told to fail, to fail with a rate limit, to return a foreign key, or to suggest a
 * renewal window as a CA with ACME Renewal Information would.
 */
final class CountingIssuer implements Issuer {
    final AtomicInteger calls = new AtomicInteger();
    final List<IssuanceRequest> requests = new CopyOnWriteArrayList<>();
    final List<String> revoked = new CopyOnWriteArrayList<>();
    final String name;
    final IssuerScope scope;
    volatile boolean fail;
    volatile Instant rateLimitedUntil;
    volatile boolean wrongKey;
    volatile Duration validity = Duration.ofDays(90);
    volatile RenewalWindow window;

    private final KeyPair caKey = dev.autocert4j.internal.x509.KeyPairs.generate(PrivateKeySpec.ecdsa(256));
    private final X509Certificate caCertificate;

    CountingIssuer(String name, IssuerScope scope) {
        this.name = name;
        this.scope = scope;
        try {
            X500Name ca = new X500Name("CN=" + name);
            var builder = new JcaX509v3CertificateBuilder(ca, BigInteger.ONE, Date.from(Instant.parse("2000-01-01T00:00:00Z")),
                    Date.from(Instant.parse("2100-01-01T00:00:00Z")), ca, caKey.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            caCertificate = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("test CA", e);
        }
    }

    /** @return the CA certificate that signs every certificate this issuer issues: the trust anchor for clients */
    X509Certificate caCertificate() {
        return caCertificate;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public IssuerScope scope() {
        return scope;
    }

    @Override
    public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) throws AutocertException {
        int call = calls.incrementAndGet();
        requests.add(request);
        if (rateLimitedUntil != null) {
            throw new RateLimitedException("too many certificates already issued", rateLimitedUntil, null);
        }
        if (fail) {
            throw new AutocertException(name + ": CA unavailable", true);
        }
        KeyPair key = wrongKey ? dev.autocert4j.internal.x509.KeyPairs.generate(PrivateKeySpec.ecdsa(256)) : request.keyPair();
        Instant now = context.clock().instant();
        try {
            X500Name subject = new X500Name("CN=" + request.certificate().dnsNames().get(0));
            X500Name issuerName = new X500Name("CN=" + name);
            var builder = new JcaX509v3CertificateBuilder(issuerName, BigInteger.valueOf(call), Date.from(now),
                    Date.from(now.plus(validity)), subject, key.getPublic());
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate());
            return List.of(new JcaX509CertificateConverter().getCertificate(builder.build(signer)));
        } catch (Exception e) {
            throw new AutocertException("test signer failed", false, e);
        }
    }

    @Override
    public Optional<RenewalWindow> renewalWindow(StoredCertificate stored, IssuanceContext context) {
        return Optional.ofNullable(window);
    }

    @Override
    public void revoke(StoredCertificate stored, RevocationReason reason, IssuanceContext context) {
        revoked.add(stored.leaf().getSerialNumber() + ":" + reason);
    }
}
