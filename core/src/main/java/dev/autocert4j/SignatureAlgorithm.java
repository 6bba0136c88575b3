package dev.autocert4j;

import java.util.Arrays;
import java.util.Optional;

/**
 * cert-manager's {@code spec.signatureAlgorithm}: the algorithm that signs the certificate signing
 * request. Each fits one key algorithm, as cert-manager's webhook checks it
 * ({@code internal/apis/certmanager/validation/certificate.go}, {@code keyAlgToAllowedSigAlgs}).
 * Unset, the digest grows with the key ({@code pkg/util/pki/csr.go}, {@code signatureAlgorithmFromPublicKey}).
 * As in cert-manager, the self-signed and CA issuers sign the certificate itself with the digest
 * that fits their own key ({@code SignCertificate}), and ACME CAs choose theirs.
 */
public enum SignatureAlgorithm {
    /** RSA PKCS #1 v1.5 with SHA-256. */
    SHA256_WITH_RSA("SHA256WithRSA", KeyAlgorithm.RSA, "SHA256withRSA"),
    /** RSA PKCS #1 v1.5 with SHA-384. */
    SHA384_WITH_RSA("SHA384WithRSA", KeyAlgorithm.RSA, "SHA384withRSA"),
    /** RSA PKCS #1 v1.5 with SHA-512. */
    SHA512_WITH_RSA("SHA512WithRSA", KeyAlgorithm.RSA, "SHA512withRSA"),
    /** ECDSA with SHA-256. */
    ECDSA_WITH_SHA256("ECDSAWithSHA256", KeyAlgorithm.ECDSA, "SHA256withECDSA"),
    /** ECDSA with SHA-384. */
    ECDSA_WITH_SHA384("ECDSAWithSHA384", KeyAlgorithm.ECDSA, "SHA384withECDSA"),
    /** ECDSA with SHA-512. */
    ECDSA_WITH_SHA512("ECDSAWithSHA512", KeyAlgorithm.ECDSA, "SHA512withECDSA"),
    /** Ed25519 (RFC 8410), the only one for Ed25519 keys. */
    PURE_ED25519("PureEd25519", KeyAlgorithm.ED25519, "Ed25519");

    private final String manifestName;
    private final KeyAlgorithm keyAlgorithm;
    private final String jcaName;

    SignatureAlgorithm(String manifestName, KeyAlgorithm keyAlgorithm, String jcaName) {
        this.manifestName = manifestName;
        this.keyAlgorithm = keyAlgorithm;
        this.jcaName = jcaName;
    }

    /** @return the name in cert-manager manifests ({@code SHA256WithRSA}) */
    public String manifestName() {
        return manifestName;
    }

    /** @return the only key algorithm this signature algorithm can sign with */
    public KeyAlgorithm keyAlgorithm() {
        return keyAlgorithm;
    }

    /** @return the JCA name of the algorithm ({@code SHA256withRSA}) */
    public String jcaName() {
        return jcaName;
    }

    /**
     * @param manifestName a name as written in cert-manager manifests
     * @return the algorithm with that name, if there is one
     */
    public static Optional<SignatureAlgorithm> fromManifestName(String manifestName) {
        return Arrays.stream(values()).filter(a -> a.manifestName.equals(manifestName)).findFirst();
    }
}
