package dev.autocert4j.internal.x509;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/** Whether a certificate is a self-signed root, as cert-manager's {@code isSelfSignedCertificate} asks it. */
public final class SelfSigned {
    private SelfSigned() {
    }

    /**
     * @param certificate a certificate
     * @return whether its issuer is its subject and its own key verifies its signature
     */
    public static boolean is(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * @param chain a chain, leaf first, not empty
     * @param ca a CA certificate
     * @return whether {@code ca} is the chain's last certificate and self-signed: a CA the chain shows by itself
     */
    public static boolean isTopOf(List<X509Certificate> chain, X509Certificate ca) {
        return chain.get(chain.size() - 1).equals(ca) && is(ca);
    }
}
