package dev.autocert4j.internal.x509;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateSubject;
import java.util.Objects;

/** {@link Certificate#specFingerprint()}: a hash of everything that shapes the issued certificate. */
public final class SpecFingerprint {
    private SpecFingerprint() {
    }

    /**
     * @param c a certificate
     * @return a hex SHA-256 over its issuance-relevant fields
     */
    public static String of(Certificate c) {
        StringBuilder s = new StringBuilder();
        s.append("issuer=").append(c.issuerRef().kind()).append('/').append(c.issuerRef().name()).append('\n');
        s.append("cn=").append(Objects.toString(c.commonName().orElse(null), "")).append('\n');
        s.append("dns=").append(String.join(",", c.dnsNames().stream().sorted().toList())).append('\n');
        s.append("ip=").append(String.join(",", c.ipAddresses().stream().sorted().toList())).append('\n');
        s.append("key=").append(c.privateKey().algorithm()).append('/').append(c.privateKey().size()).append('\n');
        s.append("duration=").append(c.duration()).append('\n');
        s.append("usages=").append(c.usages().stream().map(Enum::name).sorted().toList()).append('\n');
        // Each of the following only when set, so the fingerprints of certificates stored before it existed stay the same.
        s.append(c.isCA() ? "isCA=true\n" : "");
        s.append(c.uris().isEmpty() ? "" : "uris=" + c.uris().stream().sorted().toList() + "\n");
        s.append(c.emailAddresses().isEmpty() ? "" : "emails=" + c.emailAddresses().stream().sorted().toList() + "\n");
        s.append(c.signatureAlgorithm().map(a -> "signatureAlgorithm=" + a.manifestName() + "\n").orElse(""));
        CertificateSubject subject = c.subject();
        s.append(subject.isEmpty() ? "" : "subject=" + subject + "\n");
        return CertificateChecks.sha256Hex(s.toString());
    }
}
