package dev.autocert4j.internal.x509;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.CertificateSubject;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.KeyUsage;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.SignatureAlgorithm;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks a {@link dev.autocert4j.Certificate} runs when it is built, each refusal an
 * {@link IllegalArgumentException} that names the field and says what to change.
 */
public final class CertificateChecks {
    private CertificateChecks() {
    }

    /**
     * The names a certificate covers: as given when passed in, normalised when returned.
     *
     * @param dnsNames DNS names, in the order given, without duplicates
     * @param ipAddresses IP addresses in canonical text form, without duplicates
     * @param uris URI SANs, without duplicates
     * @param emailAddresses email SANs, without duplicates
     * @param commonName the common name; null when unset
     */
    public record SubjectNames(List<String> dnsNames, List<String> ipAddresses, List<String> uris,
            List<String> emailAddresses, String commonName) {
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
     * The rules of cert-manager's webhook ({@code internal/apis/certmanager/validation/certificate.go}):
     * at least one of commonName (or a literal subject's CN), DNS names, IP addresses, URIs and email
     * addresses; a common name of at most 64 bytes; no commonName or subject attributes beside a
     * literal subject; email addresses without display names. A common name that names one of the DNS
     * names or IP addresses takes its normalised form; any other is kept as given (a CA's name).
     *
     * @param certificate the certificate's name, for messages
     * @param given the names as given
     * @param subject the subject attributes or literal subject
     * @return the names, normalised
     * @throws IllegalArgumentException naming the field and what to change
     */
    public static SubjectNames subjectNames(String certificate, SubjectNames given, CertificateSubject subject) {
        LinkedHashSet<String> dns = new LinkedHashSet<>();
        for (String raw : given.dnsNames()) {
            dns.add(Names.normaliseDnsName("dnsNames", raw));
        }
        LinkedHashSet<String> ips = new LinkedHashSet<>();
        for (String raw : given.ipAddresses()) {
            ips.add(Names.normaliseIpAddress("ipAddresses", raw));
        }
        List<String> uris = uris(given.uris());
        List<String> emails = emailAddresses(given.emailAddresses());
        String cn = given.commonName() == null ? null : commonName(given.commonName(), dns, ips);
        Optional<String> literalCn = Optional.empty();
        if (subject.literal().isPresent()) {
            if (cn != null) {
                throw new IllegalArgumentException("certificate " + certificate + " sets both commonName and a literal "
                        + "subject: put CN=" + cn + " into the literal subject and leave commonName unset");
            }
            literalCn = LiteralSubject.commonName(LiteralSubject.parse(subject.literal().get()));
        }
        String effectiveCn = cn != null ? cn : literalCn.orElse(null);
        if (effectiveCn != null && effectiveCn.getBytes(StandardCharsets.UTF_8).length > 64) {
            throw new IllegalArgumentException("commonName " + effectiveCn + " is longer than 64 bytes, which X.509 "
                    + "allows at most: shorten it, or leave it unset and rely on dnsNames");
        }
        if (effectiveCn == null && dns.isEmpty() && ips.isEmpty() && uris.isEmpty() && emails.isEmpty()) {
            throw new IllegalArgumentException("certificate " + certificate + " has no identifiers: set dnsNames(...), "
                    + "ipAddresses(...), uris(...), emailAddresses(...) or a commonName");
        }
        return new SubjectNames(List.copyOf(dns), List.copyOf(ips), uris, emails, cn);
    }

    private static String commonName(String given, Set<String> dns, Set<String> ips) {
        try {
            String normalised = Names.looksLikeIpAddress(given)
                    ? Names.normaliseIpAddress("commonName", given)
                    : Names.normaliseDnsName("commonName", given);
            if (dns.contains(normalised) || ips.contains(normalised)) {
                return normalised;
            }
        } catch (IllegalArgumentException notAName) {
            // Not a DNS name or IP address: a CA's "My Root CA", kept as given.
        }
        if (given.isBlank()) {
            throw new IllegalArgumentException("commonName is blank: give a name, or leave commonName unset");
        }
        return given;
    }

    /**
     * @param uris URI SANs as given
     * @return them without duplicates
     * @throws IllegalArgumentException when one is not an absolute ASCII URI
     */
    public static List<String> uris(List<String> uris) {
        return uris.stream().map(CertificateChecks::uri).distinct().toList();
    }

    /**
     * @param emails email SANs as given
     * @return them without duplicates
     * @throws IllegalArgumentException when one is not a plain ASCII email address
     */
    public static List<String> emailAddresses(List<String> emails) {
        return emails.stream().map(CertificateChecks::email).distinct().toList();
    }

    /** URIs go into an IA5String SAN (cert-manager's {@code pkg/util/pki/sans.go}): absolute and ASCII only. */
    private static String uri(String raw) {
        try {
            URI uri = new URI(raw);
            if (!uri.isAbsolute() || !StandardCharsets.US_ASCII.newEncoder().canEncode(raw)) {
                throw new URISyntaxException(raw, "not an absolute ASCII URI");
            }
            return raw;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("uris contains " + raw + ", which is not an absolute URI in ASCII: write it "
                    + "with a scheme (spiffe://cluster.local/ns/app/sa/web) and percent-encode other characters");
        }
    }

    /**
     * As cert-manager's {@code validateEmailAddresses}: a bare address (Go's {@code mail.ParseAddress}
     * gives back the same string), in ASCII for its IA5String SAN.
     */
    private static String email(String raw) {
        int at = raw.lastIndexOf('@');
        boolean plain = at > 0 && at < raw.length() - 1 && raw.chars().allMatch(c -> c > 32 && c < 127)
                && raw.chars().noneMatch(c -> "<>()[]\\,;:\"".indexOf(c) >= 0) && raw.indexOf('@') == at
                && !raw.startsWith(".") && !raw.contains("..");
        if (!plain) {
            throw new IllegalArgumentException("emailAddresses contains " + raw + ", which is not a plain email address: "
                    + "write it as user@example.com, without a display name, brackets or spaces");
        }
        return raw;
    }

    /**
     * @param privateKey the key specification
     * @param algorithm the signature algorithm; null when unset
     * @return {@code algorithm}
     * @throws IllegalArgumentException when it does not fit the key, as cert-manager's {@code keyAlgToAllowedSigAlgs}
     */
    public static SignatureAlgorithm signatureAlgorithm(PrivateKeySpec privateKey, SignatureAlgorithm algorithm) {
        if (algorithm != null && algorithm.keyAlgorithm() != privateKey.algorithm()) {
            throw new IllegalArgumentException("signatureAlgorithm " + algorithm.manifestName() + " does not fit the "
                    + privateKey.algorithm() + " private key: use one of " + Arrays.stream(SignatureAlgorithm.values())
                            .filter(a -> a.keyAlgorithm() == privateKey.algorithm()).map(SignatureAlgorithm::manifestName)
                            .toList() + ", or leave it unset");
        }
        return algorithm;
    }

    /**
     * @param field the setting's name
     * @param value a duration
     * @return the duration
     * @throws IllegalArgumentException when it is zero or negative
     */
    public static Duration positive(String field, Duration value) {
        if (requireNonNull(value, field).isNegative() || value.isZero()) {
            throw new IllegalArgumentException(field + " must be positive, was " + value);
        }
        return value;
    }

    /**
     * @param percentage the share of the lifetime left when renewal starts
     * @return the percentage
     * @throws IllegalArgumentException when it is not between 1 and 99
     */
    public static Integer renewBeforePercentage(int percentage) {
        if (percentage < 1 || percentage > 99) {
            throw new IllegalArgumentException("renewBeforePercentage must be between 1 and 99, was " + percentage);
        }
        return percentage;
    }

    /**
     * @param usages the usages given
     * @return them as an immutable set
     * @throws IllegalArgumentException when there is none
     */
    public static Set<KeyUsage> usages(List<KeyUsage> usages) {
        if (usages.isEmpty()) {
            throw new IllegalArgumentException("usages must name at least one usage; leave it unset for the default");
        }
        return Set.copyOf(EnumSet.copyOf(usages));
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
