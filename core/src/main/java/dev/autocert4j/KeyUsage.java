package dev.autocert4j;

/** Key usages and extended key usages, named as in cert-manager's {@code usages}. */
public enum KeyUsage {
    /** {@code digital signature} */
    DIGITAL_SIGNATURE("digital signature"),
    /** {@code key encipherment} (meaningful for RSA keys only) */
    KEY_ENCIPHERMENT("key encipherment"),
    /** {@code server auth} (extended key usage) */
    SERVER_AUTH("server auth"),
    /** {@code client auth} (extended key usage) */
    CLIENT_AUTH("client auth"),
    /** {@code cert sign} */
    CERT_SIGN("cert sign"),
    /** {@code crl sign} */
    CRL_SIGN("crl sign");

    private final String manifestName;

    KeyUsage(String manifestName) {
        this.manifestName = manifestName;
    }

    /** @return the usage as written in cert-manager manifests ({@code server auth}) */
    public String manifestName() {
        return manifestName;
    }
}
