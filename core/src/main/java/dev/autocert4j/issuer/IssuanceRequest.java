package dev.autocert4j.issuer;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * What an {@link Issuer} signs: the certificate spec, its key pair and a DER-encoded PKCS #10 CSR
 * for every identifier of the certificate.
 *
 * @param certificate the desired certificate
 * @param keyPair the certificate's key pair (never printed)
 * @param csr the DER-encoded certificate signing request
 * @param replaces the certificate this one renews, if any (sent as ACME {@code replaces} where the
 *     CA supports Renewal Information)
 */
public record IssuanceRequest(Certificate certificate, KeyPair keyPair, byte[] csr, Optional<X509Certificate> replaces) {
    /**
     * Validates and copies the components.
     *
     * @param certificate see the record description
     * @param keyPair see the record description
     * @param csr see the record description
     * @param replaces see the record description
     */
    public IssuanceRequest {
        requireNonNull(certificate, "certificate");
        requireNonNull(keyPair, "keyPair");
        csr = requireNonNull(csr, "csr").clone();
        requireNonNull(replaces, "replaces");
    }

    /**
     * A request for a first certificate, which renews none.
     *
     * @param certificate the desired certificate
     * @param keyPair the certificate's key pair
     * @param csr the DER-encoded certificate signing request
     */
    public IssuanceRequest(Certificate certificate, KeyPair keyPair, byte[] csr) {
        this(certificate, keyPair, csr, Optional.empty());
    }

    /** @return a copy of the DER-encoded CSR */
    @Override
    public byte[] csr() {
        return csr.clone();
    }

    @Override
    public String toString() {
        return "IssuanceRequest[" + certificate + ", key=" + keyPair.getPublic().getAlgorithm() + "]";
    }
}
