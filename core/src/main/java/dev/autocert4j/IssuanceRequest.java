package dev.autocert4j;

import static java.util.Objects.requireNonNull;

import java.security.KeyPair;

/**
 * What an {@link Issuer} signs: the certificate spec, its key pair and a DER-encoded PKCS #10 CSR
 * for every identifier of the certificate.
 *
 * @param certificate the desired certificate
 * @param keyPair the certificate's key pair (never printed)
 * @param csr the DER-encoded certificate signing request
 */
public record IssuanceRequest(Certificate certificate, KeyPair keyPair, byte[] csr) {
    /**
     * Validates and copies the components.
     *
     * @param certificate see the record description
     * @param keyPair see the record description
     * @param csr see the record description
     */
    public IssuanceRequest {
        requireNonNull(certificate, "certificate");
        requireNonNull(keyPair, "keyPair");
        csr = requireNonNull(csr, "csr").clone();
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
