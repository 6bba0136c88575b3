package dev.autocert4j.store;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * cert-manager's {@code keystores.pkcs12.profile}: the ciphers and MAC of a {@code keystore.p12} and
 * {@code truststore.p12}, as go-pkcs12's encoders of the same names make them.
 */
public enum Pkcs12Profile {
    /**
     * cert-manager's default: certificates encrypted with 40-bit RC2, the key with 3DES, both keyed by 2048
     * iterations of the PKCS#12 KDF with SHA-1; HMAC-SHA-1 MAC. OpenSSL 3 reads it only with {@code -legacy}.
     */
    LEGACY_RC2("LegacyRC2"),
    /** Certificates and key encrypted with 3DES (2048 iterations, SHA-1); HMAC-SHA-1 MAC. Read by nearly everything. */
    LEGACY_DES("LegacyDES"),
    /** PBES2 with PBKDF2-HMAC-SHA-256 (2048 iterations) and AES-256-CBC; HMAC-SHA-256 MAC (2048 iterations). */
    MODERN_2023("Modern2023");

    private final String manifestName;

    Pkcs12Profile(String manifestName) {
        this.manifestName = manifestName;
    }

    /** @return the profile as written in cert-manager manifests ({@code LegacyRC2}) */
    public String manifestName() {
        return manifestName;
    }

    /**
     * @param manifestName a profile as written in cert-manager manifests
     * @return the profile
     * @throws IllegalArgumentException naming the supported profiles, when there is no such profile
     */
    public static Pkcs12Profile fromManifestName(String manifestName) {
        for (Pkcs12Profile profile : values()) {
            if (profile.manifestName.equals(manifestName)) {
                return profile;
            }
        }
        // Modern2026 (PBMAC1) is refused: neither OpenSSL before 3.4 nor Java before 26 can read it.
        throw new IllegalArgumentException("keystores.pkcs12.profile must be one of " + Arrays.stream(values())
                .map(Pkcs12Profile::manifestName).collect(Collectors.joining(", ")) + ", got '" + manifestName + "'"
                + ("Modern2026".equals(manifestName) ? " (Modern2026 is not supported: use Modern2023)" : ""));
    }
}
