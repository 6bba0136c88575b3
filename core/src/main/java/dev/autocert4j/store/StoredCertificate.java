package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.internal.x509.SelfSigned;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An issued certificate as a store holds it: the chain (leaf first), its key pair, metadata, and the CA the
 * issuer named ({@link dev.autocert4j.issuer.IssuedCertificate#ca()}). {@code toString()} never shows the
 * private key. Immutable and thread-safe.
 *
 * @param chain the leaf followed by the intermediates
 * @param keyPair the leaf's key pair
 * @param metadata fingerprint of the spec, issuer, revision and issue time
 * @param ca the CA certificate relying parties should trust (cert-manager's {@code ca.crt}): the one the issuer
 *     named, or else the self-signed root the chain ends in (so a self-signed certificate is its own CA); empty when
 *     there is neither, as for an ACME chain. Found once, when the certificate is made: a chain ending in a
 *     self-signed root holds that root here whether or not it was given, so that a certificate equals itself read
 *     back from a store that keeps no CA, and {@link #ca()} verifies no signature
 */
public record StoredCertificate(List<X509Certificate> chain, KeyPair keyPair, CertificateMetadata metadata,
        Optional<X509Certificate> ca) {
    /**
     * Validates and copies the components.
     *
     * @param chain see the record description
     * @param keyPair see the record description
     * @param metadata see the record description
     * @param ca see the record description
     */
    public StoredCertificate {
        chain = List.copyOf(requireNonNull(chain, "chain"));
        requireNonNull(keyPair, "keyPair");
        requireNonNull(metadata, "metadata");
        requireNonNull(ca, "ca");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain must hold at least the leaf certificate");
        }
        if (ca.isEmpty()) {
            // The one signature check: withMetadata() hands the result on, so no copy checks it again.
            X509Certificate last = chain.get(chain.size() - 1);
            ca = SelfSigned.is(last) ? Optional.of(last) : ca;
        }
    }

    /**
     * A certificate without a known CA.
     *
     * @param chain see the record description
     * @param keyPair see the record description
     * @param metadata see the record description
     */
    public StoredCertificate(List<X509Certificate> chain, KeyPair keyPair, CertificateMetadata metadata) {
        this(chain, keyPair, metadata, Optional.empty());
    }

    /**
     * @param newMetadata the metadata to hold instead
     * @return this certificate, its chain, key pair and CA unchanged, with {@code newMetadata}
     */
    public StoredCertificate withMetadata(CertificateMetadata newMetadata) {
        return new StoredCertificate(chain, keyPair, newMetadata, ca);
    }

    /** @return the leaf certificate */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** @return the leaf's notBefore */
    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    /** @return the leaf's notAfter */
    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    @Override
    public String toString() {
        return "StoredCertificate[subject=" + leaf().getSubjectX500Principal().getName()
                + ", serial=" + leaf().getSerialNumber().toString(16) + ", notAfter=" + notAfter()
                + ", revision=" + metadata.revision() + ", key=" + keyPair.getPublic().getAlgorithm() + "]";
    }
}
