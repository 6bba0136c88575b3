package dev.autocert4j.issuer;

import dev.autocert4j.Certificate;
import dev.autocert4j.internal.x509.LiteralSubject;
import java.util.Optional;

/** What an ACME CA cannot put into a certificate, checked before an order is placed. */
final class AcmeCertificateRules {
    private AcmeCertificateRules() {
    }

    /**
     * @param c a certificate
     * @return why an ACME CA cannot issue it, with what to change; null when it can
     */
    static String refusal(Certificate c) {
        if (c.isCA()) {
            return "it sets isCA, and ACME CAs issue no CA certificates: use a SelfSignedIssuer or CaIssuer, or remove isCA";
        }
        if (!c.uris().isEmpty() || !c.emailAddresses().isEmpty()) {
            return "it has " + (c.uris().isEmpty() ? "emailAddresses" : "uris")
                    + ", and ACME orders name DNS names and IP addresses only (Let's Encrypt refuses CSRs with URI or "
                    + "email SANs): remove uris and emailAddresses, or use a SelfSignedIssuer or CaIssuer";
        }
        if (c.identifiers().isEmpty()) {
            return "it has no dnsNames or ipAddresses, and an ACME order needs at least one: add dnsNames";
        }
        // pkg/controller/certificaterequests/acme/acme.go: the CSR's CN must be one of its DNS names or IP addresses.
        Optional<String> cn = c.commonName().or(() -> c.subject().literal()
                .flatMap(literal -> LiteralSubject.commonName(LiteralSubject.parse(literal))));
        if (cn.isPresent() && !c.dnsNames().contains(cn.get()) && !c.ipAddresses().contains(cn.get())) {
            return "its commonName " + cn.get() + " is not one of its dnsNames or ipAddresses, and ACME requires that it "
                    + "is: add it to dnsNames, or leave commonName unset";
        }
        return null;
    }
}
