package dev.autocert4j.internal.x509;

import dev.autocert4j.IssuerRef;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The checks a {@link dev.autocert4j.Certificate} runs when it is built, each refusal an
 * {@link IllegalArgumentException} that names the field and says what to change.
 */
public final class CertificateChecks {
    private CertificateChecks() {
    }

    /**
     * The names a certificate covers, normalised.
     *
     * @param dnsNames normalised DNS names, in the order given, without duplicates
     * @param ipAddresses IP addresses in canonical text form, without duplicates
     * @param commonName the normalised common name, one of the others; null when unset
     */
    public record SubjectNames(List<String> dnsNames, List<String> ipAddresses, String commonName) {
    }

    /**
     * @param algorithm the key algorithm
     * @return cert-manager's default usages; key encipherment only for RSA keys, where it means something
     */
    public static java.util.Set<dev.autocert4j.KeyUsage> defaultUsages(dev.autocert4j.KeyAlgorithm algorithm) {
        return algorithm == dev.autocert4j.KeyAlgorithm.RSA
                ? java.util.Set.copyOf(java.util.EnumSet.of(dev.autocert4j.KeyUsage.DIGITAL_SIGNATURE,
                        dev.autocert4j.KeyUsage.KEY_ENCIPHERMENT, dev.autocert4j.KeyUsage.SERVER_AUTH))
                : java.util.Set.copyOf(java.util.EnumSet.of(dev.autocert4j.KeyUsage.DIGITAL_SIGNATURE,
                        dev.autocert4j.KeyUsage.SERVER_AUTH));
    }

    /**
     * @param certificate the certificate's name, for messages
     * @param issuerRef the issuer; null when unset, which is refused
     * @param fallbackIssuerRefs the issuers to try after it
     * @return an immutable copy of {@code fallbackIssuerRefs}
     * @throws IllegalArgumentException when the issuer is missing, or a fallback repeats it or another fallback
     */
    public static List<IssuerRef> issuerRefs(String certificate, IssuerRef issuerRef, List<IssuerRef> fallbackIssuerRefs) {
        if (issuerRef == null) {
            throw new IllegalArgumentException("issuerRef is missing: set issuerRef(IssuerRef.clusterIssuer(\"...\")) "
                    + "or issuerRef(IssuerRef.issuer(\"...\")) to name the issuer that signs certificate " + certificate);
        }
        if (fallbackIssuerRefs.contains(issuerRef)) {
            throw new IllegalArgumentException("fallbackIssuerRefs of certificate " + certificate + " repeat issuerRef "
                    + issuerRef.name() + ": list only the issuers to try after it");
        }
        if (new LinkedHashSet<>(fallbackIssuerRefs).size() != fallbackIssuerRefs.size()) {
            throw new IllegalArgumentException("fallbackIssuerRefs of certificate " + certificate + " name an issuer twice: "
                    + fallbackIssuerRefs.stream().map(IssuerRef::name).toList());
        }
        return List.copyOf(fallbackIssuerRefs);
    }

    /**
     * @param certificate the certificate's name, for messages
     * @param dnsNames DNS names as given
     * @param ipAddresses IP addresses as given
     * @param commonName the common name as given; null when unset
     * @return the names, normalised
     * @throws IllegalArgumentException when a name is invalid, the common name is too long or not one of
     *     the others, or there is no name at all
     */
    public static SubjectNames subjectNames(String certificate, Collection<String> dnsNames, Collection<String> ipAddresses,
            String commonName) {
        LinkedHashSet<String> dns = new LinkedHashSet<>();
        for (String raw : dnsNames) {
            dns.add(Names.normaliseDnsName("dnsNames", raw));
        }
        LinkedHashSet<String> ips = new LinkedHashSet<>();
        for (String raw : ipAddresses) {
            ips.add(Names.normaliseIpAddress("ipAddresses", raw));
        }
        String cn = null;
        if (commonName != null) {
            cn = Names.looksLikeIpAddress(commonName)
                    ? Names.normaliseIpAddress("commonName", commonName)
                    : Names.normaliseDnsName("commonName", commonName);
            if (cn.length() > 64) {
                throw new IllegalArgumentException("commonName " + cn + " is " + cn.length()
                        + " characters; X.509 allows at most 64: leave commonName unset and rely on dnsNames");
            }
            if (!dns.contains(cn) && !ips.contains(cn)) {
                throw new IllegalArgumentException("commonName " + cn
                        + " is not one of dnsNames or ipAddresses: add it to dnsNames, or leave commonName unset");
            }
        }
        if (dns.isEmpty() && ips.isEmpty()) {
            throw new IllegalArgumentException("certificate " + certificate
                    + " has no identifiers: set dnsNames(...) or ipAddresses(...) with at least one name");
        }
        return new SubjectNames(List.copyOf(dns), List.copyOf(ips), cn);
    }

    /**
     * @param duration the requested lifetime
     * @param minimum the shortest lifetime allowed
     * @param renewBefore how long before expiry to renew; null when unset
     * @param renewBeforePercentage the share of the lifetime left when renewal starts; null when unset
     * @throws IllegalArgumentException when the duration is too short, both renewal settings are set, or
     *     renewBefore is not shorter than the duration
     */
    public static void lifetime(Duration duration, Duration minimum, Duration renewBefore, Integer renewBeforePercentage) {
        if (duration.compareTo(minimum) < 0) {
            throw new IllegalArgumentException("duration " + duration + " is shorter than the minimum of 1 hour: raise duration");
        }
        if (renewBefore != null && renewBeforePercentage != null) {
            throw new IllegalArgumentException("renewBefore and renewBeforePercentage are both set: keep one of them");
        }
        if (renewBefore != null && renewBefore.compareTo(duration) >= 0) {
            throw new IllegalArgumentException("renewBefore " + renewBefore + " is not shorter than duration " + duration
                    + ": the certificate would be renewed at once, forever; lower renewBefore");
        }
    }

    /**
     * @param text any text
     * @return the SHA-256 of its UTF-8 bytes, as lower-case hex
     */
    public static String sha256Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
