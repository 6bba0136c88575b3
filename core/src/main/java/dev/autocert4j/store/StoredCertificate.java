package dev.autocert4j.store;

import static java.util.Objects.requireNonNull;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * An issued certificate as a store holds it: the chain (leaf first), its key pair, and metadata.
 * {@code toString()} never shows the private key. Immutable and thread-safe.
 *
 * @param chain the leaf followed by the intermediates
 * @param keyPair the leaf's key pair
 * @param metadata fingerprint of the spec, issuer, revision and issue time
 */
public record StoredCertificate(List<X509Certificate> chain, KeyPair keyPair, CertificateMetadata metadata) {
    /**
     * Validates and copies the components.
     *
     * @param chain see the record description
     * @param keyPair see the record description
     * @param metadata see the record description
     */
    public StoredCertificate {
        chain = List.copyOf(requireNonNull(chain, "chain"));
        requireNonNull(keyPair, "keyPair");
        requireNonNull(metadata, "metadata");
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("chain must hold at least the leaf certificate");
        }
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
