package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.KeyUsage;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.store.StoredCertificate;
import java.net.InetAddress;
import java.security.PublicKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a Secret that cert-manager wrote already holds a certificate, by the certificate
 * in it rather than by annotation strings: the checks of cert-manager's trigger policy chain
 * ({@code internal/controller/certificates/policies/policies.go}, {@code NewTriggerPolicyChain}) that
 * apply when no CertificateRequest is at hand. A Secret that passes needs no issuance, in
 * cert-manager as here. Stateless.
 */
public final class CertManagerAdoption {
    /** cert-manager's group, the default of an empty {@code issuer-group} ({@code pkg/api/util/issuers.go}). */
    static final String GROUP = "cert-manager.io";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private CertManagerAdoption() {
    }

    /**
     * @param certificate the certificate to load
     * @param annotations the Secret's annotations
     * @param parsed the Secret's chain and key
     * @return why the Secret does not hold the certificate, or empty when it does
     */
    public static Optional<String> mismatch(Certificate certificate, Map<String, String> annotations,
            StoredCertificate parsed) {
        X509Certificate leaf = parsed.leaf();
        // checks.go SecretPublicKeysDiffer: the key in tls.key is the certificate's.
        if (!leaf.getPublicKey().equals(parsed.keyPair().getPublic())) {
            return Optional.of("tls.key does not belong to tls.crt");
        }
        // checks.go SecretIssuerAnnotationsMismatch, with pkg/api/util/issuers.go's defaulting.
        if (!issuerMatches(annotations, certificate.issuerRef())) {
            return Optional.of("issued by " + annotations.get(SecretCodec.ISSUER_KIND) + " " + annotations.get(SecretCodec.ISSUER_NAME)
                    + " (group " + annotations.get(SecretCodec.ISSUER_GROUP) + "), not by " + certificate.issuerRef().kind().manifestName()
                    + " " + certificate.issuerRef().name());
        }
        // checks.go SecretPrivateKeyMismatchesSpec -> pkg/util/pki/match.go PrivateKeyMatchesSpec.
        if (!keyMatches(leaf.getPublicKey(), certificate.privateKey())) {
            return Optional.of("its key is not " + certificate.privateKey().algorithm() + " " + certificate.privateKey().size());
        }
        // checks.go currentSecretValidForSpec -> pkg/util/pki/match.go FuzzyX509AltNamesMatchSpec.
        IssuedNames names = IssuedNames.of(leaf);
        Optional<String> namesDiffer = namesMismatch(certificate, names);
        if (namesDiffer.isPresent()) {
            return namesDiffer;
        }
        Optional<String> usagesDiffer = usagesMismatch(certificate, leaf);
        if (usagesDiffer.isPresent()) {
            return usagesDiffer;
        }
        // Validity is not checked here: as cert-manager's CurrentCertificateNearingExpiry (checks.go),
        // the manager's renewal rule, on the manager's clock, re-issues an adopted certificate near expiry.
        return Optional.empty();
    }

    /**
     * pkg/api/util/issuers.go SecretIssuerAnnotationsMatch: the name must be equal when any issuer
     * annotation is present; an empty or missing kind means {@code Issuer}, an empty or missing group
     * {@code cert-manager.io}.
     */
    static boolean issuerMatches(Map<String, String> annotations, IssuerRef ref) {
        String name = annotations.get(SecretCodec.ISSUER_NAME);
        String kind = annotations.get(SecretCodec.ISSUER_KIND);
        String group = annotations.get(SecretCodec.ISSUER_GROUP);
        if ((name != null || kind != null || group != null) && !ref.name().equals(name)) {
            return false;
        }
        String defaultedKind = kind == null || kind.isEmpty() ? "Issuer" : kind;
        String defaultedGroup = group == null || group.isEmpty() ? GROUP : group;
        return defaultedKind.equals(ref.kind().manifestName()) && defaultedGroup.equals(GROUP);
    }

    /** pkg/util/pki/match.go rsaPrivateKeyMatchesSpec, ecdsaPrivateKeyMatchesSpec, ed25519PrivateKeyMatchesSpec. */
    static boolean keyMatches(PublicKey key, PrivateKeySpec spec) {
        return switch (spec.algorithm()) {
            case RSA -> key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() == spec.size();
            case ECDSA -> key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == spec.size();
            case ED25519 -> "Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm());
        };
    }

    /**
     * pkg/util/pki/match.go FuzzyX509AltNamesMatchSpec: the common name and the DNS names are
     * compared as one set, so a CA may promote the first SAN to the common name (Let's Encrypt
     * does) or drop the common name; IP addresses as parsed addresses, in any order; URIs and email
     * addresses as the same strings in any order ({@code util.EqualUnsorted}).
     */
    static Optional<String> namesMismatch(Certificate certificate, IssuedNames issued) {
        Set<String> expected = new HashSet<>(certificate.dnsNames());
        certificate.commonName().ifPresent(expected::add);
        Set<String> actual = new HashSet<>(issued.dnsNames());
        if (!issued.commonName().isEmpty()) {
            actual.add(issued.commonName());
        }
        if (!canonical(actual).equals(canonical(expected))) {
            return Optional.of("it is for the names " + actual + ", not " + expected);
        }
        Set<InetAddress> expectedIps = new HashSet<>();
        certificate.ipAddresses().forEach(ip -> expectedIps.add(IssuedNames.literal(ip)));
        if (!new HashSet<>(issued.ipAddresses()).equals(expectedIps) || issued.ipAddresses().size() != expectedIps.size()) {
            return Optional.of("it is for the IP addresses " + issued.ipAddresses() + ", not " + certificate.ipAddresses());
        }
        if (!sameUnsorted(issued.uris(), certificate.uris())) {
            return Optional.of("it is for the URIs " + issued.uris() + ", not " + certificate.uris());
        }
        if (!sameUnsorted(issued.emailAddresses(), certificate.emailAddresses())) {
            return Optional.of("it is for the email addresses " + issued.emailAddresses() + ", not " + certificate.emailAddresses());
        }
        return Optional.empty();
    }

    /**
     * cert-manager compares usages and isCA on the CertificateRequest
     * (pkg/util/pki/match.go RequestMatchesSpec), which a migration does not carry over; here the
     * issued certificate must allow every requested usage and be a CA exactly when one is asked for.
     * Key encipherment is not required: ACME CAs decide it (Let's Encrypt no longer sets it).
     */
    static Optional<String> usagesMismatch(Certificate certificate, X509Certificate leaf) {
        if ((leaf.getBasicConstraints() >= 0) != certificate.isCA()) {
            return Optional.of(certificate.isCA() ? "it is not a CA certificate" : "it is a CA certificate");
        }
        boolean[] keyUsage = leaf.getKeyUsage();
        List<String> extended;
        try {
            extended = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return Optional.of("its extended key usage cannot be parsed");
        }
        for (KeyUsage usage : certificate.usages()) {
            boolean allowed = switch (usage) {
                case DIGITAL_SIGNATURE -> keyUsage == null || keyUsage[0];
                case KEY_ENCIPHERMENT -> true;
                case CERT_SIGN -> keyUsage == null || keyUsage[5];
                case CRL_SIGN -> keyUsage == null || keyUsage[6];
                case SERVER_AUTH -> extended == null || extended.contains(SERVER_AUTH);
                case CLIENT_AUTH -> extended == null || extended.contains(CLIENT_AUTH);
            };
            if (!allowed) {
                return Optional.of("it does not allow the usage '" + usage.manifestName() + "'");
            }
        }
        return Optional.empty();
    }

    /** Lower case; an IP address (a common name may be one) in one text form, whichever form it was written in. */
    /** A common name may be any text ("Example Root CA", a URI): only hex digits, colons and dots are an IPv6 literal. */
    private static boolean ipv6(String name) {
        return name.indexOf(':') >= 0 && name.matches("[0-9A-Fa-f:.]+") && name.matches("[^:]*:[^:]*:.*");
    }

    private static boolean sameUnsorted(List<String> a, List<String> b) {
        return a.size() == b.size() && a.stream().sorted().toList().equals(b.stream().sorted().toList());
    }

    private static Set<String> canonical(Set<String> names) {
        Set<String> canonical = new HashSet<>();
        for (String n : names) {
            canonical.add(ipv6(n) ? IssuedNames.literal(n).getHostAddress() : n.toLowerCase(java.util.Locale.ROOT));
        }
        return canonical;
    }
}
