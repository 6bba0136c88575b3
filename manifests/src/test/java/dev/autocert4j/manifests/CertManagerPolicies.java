package dev.autocert4j.manifests;

import io.fabric8.kubernetes.api.model.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * A test oracle: cert-manager's (v1.21) policy chains ported to Java, each check with the Go function it
 * ports ({@code internal/controller/certificates/policies/policies.go} and {@code checks.go}, with
 * {@code pkg/util/pki/match.go}, {@code renewaltime.go}, {@code pkg/api/util/issuers.go} and
 * {@code internal/controller/certificates/secrets.go}). It answers what cert-manager would do with a
 * Secret when it takes over a Certificate: issue anew (the trigger chain), mark it not Ready (the
 * readiness chain), or rewrite the Secret's metadata without issuing (the post-issuance chain).
 *
 * <p>cert-manager evaluates the chains with the Certificate's "current" CertificateRequest. A Secret
 * autocert4j wrote has none in the cluster, so {@code CurrentRevisionRequest} is nil, as here:
 * {@code SecretPublicKeyDiffersFromCurrentCertificateRequest} passes and
 * {@code CurrentCertificateRequestMismatchesSpec} falls back to {@code currentSecretValidForSpec}.
 * ACME Renewal Information ({@code ARIRenewalInfo}) is nil as well (Pebble 2.4 has none). The post-issuance
 * checks of server-side-apply managed fields and owner references are in {@link CertManagerOwnershipChecks};
 * only cert-manager's own field manager can satisfy them, and they make cert-manager re-apply the Secret's
 * metadata and data, never issue.
 */
final class CertManagerPolicies {
    /** A violation: cert-manager's reason constant ({@code policies/constants.go}) and message. */
    record Violation(String reason, String message) {
    }

    /** One check of a chain: cert-manager's {@code policies.Func}. */
    @FunctionalInterface
    interface Check {
        Optional<Violation> apply(CertManagerSpec spec, Secret secret, Instant now);
    }

    private static final String CM = "cert-manager.io/";

    private CertManagerPolicies() {
    }

    /** NewTriggerPolicyChain with no current CertificateRequest: a violation means cert-manager issues anew. */
    static List<Check> triggerChain() {
        return List.of(CertManagerPolicies::secretDoesNotExist, CertManagerPolicies::secretIsMissingData,
                CertManagerPolicies::secretPublicKeysDiffer, CertManagerPolicies::secretIssuerAnnotationsMismatch,
                CertManagerPolicies::secretCertificateNameAnnotationsMismatch, CertManagerPolicies::secretPrivateKeyMismatchesSpec,
                CertManagerPolicies::currentSecretValidForSpec, CertManagerPolicies::currentCertificateNearingExpiry);
    }

    /** NewReadinessPolicyChain with no current CertificateRequest: a violation means the Certificate is not Ready. */
    static List<Check> readinessChain() {
        return List.of(CertManagerPolicies::secretDoesNotExist, CertManagerPolicies::secretIsMissingData,
                CertManagerPolicies::secretPublicKeysDiffer, CertManagerPolicies::secretIssuerAnnotationsMismatch,
                CertManagerPolicies::secretCertificateNameAnnotationsMismatch, CertManagerPolicies::secretPrivateKeyMismatchesSpec,
                CertManagerPolicies::currentSecretValidForSpec, CertManagerPolicies::currentCertificateHasExpired);
    }

    /** NewSecretPostIssuancePolicyChain without its managed-field and owner-reference checks: what the Secret holds. */
    static List<Check> postIssuanceChain() {
        return List.of(CertManagerPolicies::secretBaseLabelsMismatch, CertManagerPolicies::secretCertificateDetailsAnnotationsMismatch,
                CertManagerPolicies::secretSecretTemplateMismatch, CertManagerPolicies::secretAdditionalOutputFormatsMismatch,
                CertManagerPolicies::secretKeystoreFormatMismatch);
    }

    /**
     * NewSecretPostIssuancePolicyChain, all of it, in its order (policies.go): a violation means cert-manager
     * re-applies the Secret's metadata and data with its field manager, never that it issues.
     *
     * @param ownerRefEnabled cert-manager's {@code --enable-certificate-owner-ref}
     * @param fieldManager cert-manager's field manager, {@link CertManagerOwnershipChecks#FIELD_MANAGER} in a cluster
     * @return the chain
     */
    static List<Check> postIssuanceChain(boolean ownerRefEnabled, String fieldManager) {
        return List.of(CertManagerPolicies::secretBaseLabelsMismatch, CertManagerPolicies::secretCertificateDetailsAnnotationsMismatch,
                CertManagerOwnershipChecks.secretManagedLabelsAndAnnotationsManagedFieldsMismatch(fieldManager),
                CertManagerPolicies::secretSecretTemplateMismatch,
                CertManagerOwnershipChecks.secretSecretTemplateManagedFieldsMismatch(fieldManager),
                CertManagerPolicies::secretAdditionalOutputFormatsMismatch,
                CertManagerOwnershipChecks.secretAdditionalOutputFormatsManagedFieldsMismatch(fieldManager),
                CertManagerOwnershipChecks.secretOwnerReferenceMismatch(ownerRefEnabled),
                CertManagerOwnershipChecks.secretOwnerReferenceManagedFieldMismatch(ownerRefEnabled, fieldManager),
                CertManagerPolicies::secretKeystoreFormatMismatch);
    }

    /** policies.go Chain.Evaluate: the first violation, or empty. */
    static Optional<Violation> evaluate(List<Check> chain, CertManagerSpec spec, Secret secret, Instant now) {
        for (Check check : chain) {
            Optional<Violation> v = check.apply(spec, secret, now);
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    // ---- checks.go

    /** checks.go SecretDoesNotExist. */
    static Optional<Violation> secretDoesNotExist(CertManagerSpec spec, Secret secret, Instant now) {
        return secret == null ? violation("DoesNotExist", "Issuing certificate as Secret does not exist") : Optional.empty();
    }

    /** checks.go SecretIsMissingData. */
    static Optional<Violation> secretIsMissingData(CertManagerSpec spec, Secret secret, Instant now) {
        // an empty map is what fabric8 and a JSON round trip make of Go's nil Data
        if (secret.getData() == null || secret.getData().isEmpty()) {
            return violation("MissingData", "Issuing certificate as Secret does not contain any data");
        }
        if (data(secret, "tls.key").length == 0) {
            return violation("MissingData", "Issuing certificate as Secret does not contain a private key");
        }
        if (data(secret, "tls.crt").length == 0) {
            return violation("MissingData", "Issuing certificate as Secret does not contain a certificate");
        }
        return Optional.empty();
    }

    /** checks.go SecretPublicKeysDiffer. */
    static Optional<Violation> secretPublicKeysDiffer(CertManagerSpec spec, Secret secret, Instant now) {
        AsymmetricKeyParameter key;
        try {
            key = decodePrivateKey(data(secret, "tls.key"));
        } catch (IOException | RuntimeException e) {
            return violation("InvalidKeyPair", "Issuing certificate as Secret contains invalid private key data: " + e.getMessage());
        }
        X509Certificate certificate;
        try {
            certificate = decodeCertificate(data(secret, "tls.crt"));
        } catch (IOException | CertificateException | RuntimeException e) {
            return violation("InvalidCertificate", "Issuing certificate as Secret contains an invalid certificate: " + e.getMessage());
        }
        try {
            if (!publicKeysEqual(certificate, publicKeyOf(key))) {
                return violation("InvalidKeyPair", "Issuing certificate as Secret contains a private key that does not match the certificate");
            }
        } catch (IOException | RuntimeException e) {
            return violation("InvalidKeyPair", "Secret contains an invalid key-pair: " + e.getMessage());
        }
        return Optional.empty();
    }

    /** checks.go SecretIssuerAnnotationsMismatch with pkg/api/util/issuers.go SecretIssuerAnnotationsMatch. */
    static Optional<Violation> secretIssuerAnnotationsMismatch(CertManagerSpec spec, Secret secret, Instant now) {
        Map<String, String> a = annotations(secret);
        String name = a.getOrDefault(CM + "issuer-name", "");
        String kind = a.getOrDefault(CM + "issuer-kind", "");
        String group = a.getOrDefault(CM + "issuer-group", "");
        boolean any = a.containsKey(CM + "issuer-name") || a.containsKey(CM + "issuer-kind") || a.containsKey(CM + "issuer-group");
        boolean match = !(any && !name.equals(spec.issuerName()))
                && defaultKind(kind).equals(defaultKind(spec.issuerKind())) && defaultGroup(group).equals(defaultGroup(spec.issuerGroup()));
        if (!match) {
            // formatIssuerRef
            return violation("IncorrectIssuer", "Issuing certificate as Secret was previously issued by \""
                    + defaultKind(kind) + "." + defaultGroup(group) + "/" + name + "\"");
        }
        return Optional.empty();
    }

    /** checks.go SecretCertificateNameAnnotationsMismatch. */
    static Optional<Violation> secretCertificateNameAnnotationsMismatch(CertManagerSpec spec, Secret secret, Instant now) {
        String name = annotations(secret).get(CM + "certificate-name");
        if (name != null && !name.equals(spec.name())) {
            return violation("IncorrectCertificate", "Secret was issued for \"" + name + "\". If this message is not transient, "
                    + "you might have two conflicting Certificates pointing to the same secret.");
        }
        return Optional.empty();
    }

    /** checks.go SecretPrivateKeyMismatchesSpec with pkg/util/pki/match.go PrivateKeyMatchesSpec. */
    static Optional<Violation> secretPrivateKeyMismatchesSpec(CertManagerSpec spec, Secret secret, Instant now) {
        AsymmetricKeyParameter key;
        try {
            key = decodePrivateKey(data(secret, "tls.key"));
        } catch (IOException | RuntimeException e) {
            return violation("InvalidKeyPair", "Issuing certificate as Secret contains invalid private key data: " + e.getMessage());
        }
        List<String> violations = privateKeyMatchesSpec(key, spec);
        return violations.isEmpty() ? Optional.empty()
                : violation("SecretMismatch", "Existing private key is not up to date for spec: " + goList(violations));
    }

    /** match.go PrivateKeyMatchesSpec: algorithm, and size with the implicit defaults RSA 2048 and P-256. */
    static List<String> privateKeyMatchesSpec(AsymmetricKeyParameter key, CertManagerSpec spec) {
        switch (spec.keyAlgorithm()) {
            case "", "RSA" -> {
                if (!(key instanceof RSAKeyParameters rsa)) {
                    return List.of("spec.privateKey.algorithm");
                }
                int size = spec.keySize() > 0 ? spec.keySize() : 2048;
                return rsa.getModulus().bitLength() == size ? List.of() : List.of("spec.privateKey.size");
            }
            case "Ed25519" -> {
                return key instanceof Ed25519PrivateKeyParameters ? List.of() : List.of("spec.privateKey.algorithm");
            }
            case "ECDSA" -> {
                if (!(key instanceof ECPrivateKeyParameters ec)) {
                    return List.of("spec.privateKey.algorithm");
                }
                int size = spec.keySize() > 0 ? spec.keySize() : 256;
                return ec.getParameters().getCurve().getFieldSize() == size ? List.of() : List.of("spec.privateKey.size");
            }
            default -> throw new IllegalStateException("[PROGRAMMING ERROR] unrecognised key algorithm type " + spec.keyAlgorithm());
        }
    }

    /** checks.go currentSecretValidForSpec (CurrentCertificateRequestMismatchesSpec without a request). */
    static Optional<Violation> currentSecretValidForSpec(CertManagerSpec spec, Secret secret, Instant now) {
        X509Certificate certificate;
        try {
            certificate = decodeCertificate(data(secret, "tls.crt"));
        } catch (IOException | CertificateException | RuntimeException e) {
            return violation("InvalidCertificate", "Issuing certificate as Secret contains an invalid certificate: " + e.getMessage());
        }
        List<String> violations = fuzzyX509AltNamesMatchSpec(certificate, spec);
        return violations.isEmpty() ? Optional.empty()
                : violation("SecretMismatch", "Issuing certificate as Existing issued Secret is not up to date for spec: " + goList(violations));
    }

    /** match.go FuzzyX509AltNamesMatchSpec: names may move between the common name and the DNS names. */
    static List<String> fuzzyX509AltNamesMatchSpec(X509Certificate certificate, CertManagerSpec spec) {
        IssuedNames issued = IssuedNames.of(certificate);
        List<String> violations = new ArrayList<>();
        Set<String> expected = new HashSet<>(spec.dnsNames());
        if (!spec.commonName().isEmpty()) {
            expected.add(spec.commonName());
        }
        Set<String> all = new HashSet<>(issued.dnsNames);
        if (!issued.commonName.isEmpty()) {
            all.add(issued.commonName);
        }
        if (!all.equals(expected)) {
            if ((!spec.commonName().isEmpty() && !all.contains(spec.commonName()))
                    || (!issued.commonName.isEmpty() && !expected.contains(issued.commonName))) {
                violations.add("spec.commonName");
            }
            if (!all.containsAll(spec.dnsNames()) || !expected.containsAll(issued.dnsNames)) {
                violations.add("spec.dnsNames");
            }
        }
        // ipSlicesMatch: util.EqualIPsUnsorted on the parsed addresses
        List<String> specIps = spec.ipAddresses().stream().map(CertManagerPolicies::parseIp).toList();
        if (!equalUnsorted(issued.ipAddresses.stream().map(CertManagerPolicies::sixteenBytes).toList(), specIps)) {
            violations.add("spec.ipAddresses");
        }
        if (!equalUnsorted(issued.uris, spec.uris())) {
            violations.add("spec.uris");
        }
        if (!equalUnsorted(issued.emails, spec.emailAddresses())) {
            violations.add("spec.emailAddresses");
        }
        return violations;
    }

    /** checks.go CurrentCertificateNearingExpiry, without ARI. */
    static Optional<Violation> currentCertificateNearingExpiry(CertManagerSpec spec, Secret secret, Instant now) {
        X509Certificate certificate;
        try {
            certificate = decodeCertificate(data(secret, "tls.crt"));
        } catch (IOException | CertificateException | RuntimeException e) {
            return violation("InvalidCertificate", "Issuing certificate as Secret contains an invalid certificate: " + e.getMessage());
        }
        if (spec.renewalDisabled()) {
            return Optional.empty();
        }
        Instant renewalTime = renewalTime(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant(), spec);
        if (renewalTime.isAfter(now)) {
            return Optional.empty();
        }
        return violation("Renewing", "Renewing certificate as renewal was scheduled at " + renewalTime);
    }

    /** renewaltime.go RenewalTime and desiredRenewalTime without ARI and renewal windows, truncated to the second. */
    static Instant renewalTime(Instant notBefore, Instant notAfter, CertManagerSpec spec) {
        Duration actual = Duration.between(notBefore, notAfter);
        Duration before;
        Integer pct = spec.renewBeforePercentage();
        if (spec.renewBefore() != null && !spec.renewBefore().isNegative() && !spec.renewBefore().isZero() && spec.renewBefore().compareTo(actual) < 0) {
            before = spec.renewBefore();
        } else if (pct != null && pct > 0 && pct < 100) {
            before = Duration.ofNanos((long) ((double) actual.toNanos() * pct / 100));
        } else {
            before = actual.dividedBy(3);
        }
        return notAfter.minus(before).truncatedTo(ChronoUnit.SECONDS);
    }

    /** checks.go CurrentCertificateHasExpired. */
    static Optional<Violation> currentCertificateHasExpired(CertManagerSpec spec, Secret secret, Instant now) {
        X509Certificate certificate;
        try {
            certificate = decodeCertificate(data(secret, "tls.crt"));
        } catch (IOException | CertificateException | RuntimeException e) {
            return violation("InvalidCertificate", "Issuing certificate as Secret contains an invalid certificate: " + e.getMessage());
        }
        if (now.isAfter(certificate.getNotAfter().toInstant())) {
            return violation("Expired", "Certificate expired on " + certificate.getNotAfter().toInstant());
        }
        return Optional.empty();
    }

    /** checks.go SecretBaseLabelsMismatch. */
    static Optional<Violation> secretBaseLabelsMismatch(CertManagerSpec spec, Secret secret, Instant now) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        if (labels == null) {
            return Optional.empty();
        }
        String value = labels.get("controller.cert-manager.io/fao");
        if (value == null || value.equals("true")) {
            return Optional.empty();
        }
        return violation("SecretManagedMetadataMismatch",
                "wrong base label controller.cert-manager.io/fao value \"" + value + "\", expected \"true\"");
    }

    /** checks.go SecretCertificateDetailsAnnotationsMismatch: the values of the keys both maps have. */
    static Optional<Violation> secretCertificateDetailsAnnotationsMismatch(CertManagerSpec spec, Secret secret, Instant now) {
        Map<String, String> expected;
        try {
            byte[] crt = data(secret, "tls.crt");
            expected = crt.length == 0 ? Map.of() : annotationsForCertificate(decodeCertificate(crt));
        } catch (IOException | CertificateException | RuntimeException e) {
            return violation("InvalidCertificate", "Failed getting secret annotations: " + e.getMessage());
        }
        Optional<String> key = firstMismatchingKey(expected, annotations(secret));
        return key.map(k -> new Violation("SecretTemplateMismatch",
                "Secret metadata " + annotations(secret).get(k) + " does not match certificate metadata " + expected.get(k)));
    }

    /** checks.go SecretSecretTemplateMismatch. */
    static Optional<Violation> secretSecretTemplateMismatch(CertManagerSpec spec, Secret secret, Instant now) {
        if (firstMismatchingKey(spec.templateAnnotations(), annotations(secret)).isPresent()) {
            return violation("SecretTemplateMismatch", "Certificate's SecretTemplate Annotations missing or incorrect value on Secret");
        }
        Map<String, String> labels = secret.getMetadata().getLabels() == null ? Map.of() : secret.getMetadata().getLabels();
        if (firstMismatchingKey(spec.templateLabels(), labels).isPresent()) {
            return violation("SecretTemplateMismatch", "Certificate's SecretTemplate Labels missing or incorrect value on Secret");
        }
        return Optional.empty();
    }

    /** checks.go SecretAdditionalOutputFormatsMismatch with secrets.go OutputFormatCombinedPEM / OutputFormatDER. */
    static Optional<Violation> secretAdditionalOutputFormatsMismatch(CertManagerSpec spec, Secret secret, Instant now) {
        byte[] key = data(secret, "tls.key");
        Map<String, String> secretData = secret.getData() == null ? Map.of() : secret.getData();
        for (String format : spec.outputFormats()) {
            byte[] expected;
            byte[] actual;
            if (format.equals("CombinedPEM")) {
                actual = secretData.containsKey("tls-combined.pem") ? data(secret, "tls-combined.pem") : null;
                expected = concat(key, "\n".getBytes(StandardCharsets.US_ASCII), data(secret, "tls.crt"));
            } else if (format.equals("DER")) {
                actual = secretData.containsKey("key.der") ? data(secret, "key.der") : null;
                try {
                    expected = firstPem(key).getContent();
                } catch (IOException e) {
                    expected = new byte[0];
                }
            } else {
                continue;
            }
            if (actual == null || !Arrays.equals(actual, expected)) {
                return violation("AdditionalOutputFormatsMismatch", "Certificate's AdditionalOutputFormats doesn't match Secret Data");
            }
        }
        return Optional.empty();
    }

    /** checks.go SecretKeystoreFormatMismatch. */
    static Optional<Violation> secretKeystoreFormatMismatch(CertManagerSpec spec, Secret secret, Instant now) {
        boolean issuerProvidesCa = secret.getData() != null && secret.getData().containsKey("ca.crt");
        if (spec.keystores() == null) {
            if (has(secret, "keystore.p12") || has(secret, "truststore.p12") || has(secret, "keystore.jks") || has(secret, "truststore.jks")) {
                return violation("SecretMismatch", "Keystore is not defined");
            }
            return Optional.empty();
        }
        for (String type : List.of("jks", "pkcs12")) {
            String keystore = type.equals("jks") ? "keystore.jks" : "keystore.p12";
            String truststore = type.equals("jks") ? "truststore.jks" : "truststore.p12";
            String label = type.equals("jks") ? "JKS" : "PKCS12";
            Boolean create = spec.keystores().get(type);
            if (Boolean.TRUE.equals(create)) {
                if (!has(secret, keystore) || (!has(secret, truststore) && issuerProvidesCa)) {
                    return violation("SecretMismatch", label + " Keystore key does not contain data");
                }
            } else if (has(secret, keystore) || has(secret, truststore)) {
                return violation("SecretMismatch", label + (create == null ? " Keystore not defined" : " Keystore create disabled"));
            }
        }
        return Optional.empty();
    }

    // ---- secrets.go AnnotationsForCertificate

    /** secrets.go AnnotationsForCertificate: common name, alt-names, ip-sans, uri-sans always; the rest when present. */
    static Map<String, String> annotationsForCertificate(X509Certificate certificate) {
        IssuedNames n = IssuedNames.of(certificate);
        Map<String, String> a = new java.util.LinkedHashMap<>();
        a.put(CM + "common-name", n.commonName);
        if (!n.subject.serialNumber.isEmpty()) {
            a.put(CM + "subject-serialnumber", n.subject.serialNumber);
        }
        putCsv(a, "subject-organizations", n.subject.organizations, false);
        putCsv(a, "subject-organizationalunits", n.subject.organizationalUnits, false);
        putCsv(a, "subject-countries", n.subject.countries, false);
        putCsv(a, "subject-provinces", n.subject.provinces, false);
        putCsv(a, "subject-localities", n.subject.localities, false);
        putCsv(a, "subject-postalcodes", n.subject.postalCodes, false);
        putCsv(a, "subject-streetaddresses", n.subject.streetAddresses, false);
        putCsv(a, "email-sans", n.emails, false);
        putCsv(a, "alt-names", n.dnsNames, true);
        putCsv(a, "ip-sans", n.ipAddresses.stream().map(CertManagerPolicies::goIpString).toList(), true);
        putCsv(a, "uri-sans", n.uris, true);
        return a;
    }

    private static void putCsv(Map<String, String> a, String key, List<String> values, boolean keepEmpty) {
        if (values.isEmpty() && !keepEmpty) {
            return;
        }
        // util.JoinWithEscapeCSV: Go's encoding/csv writer, one record, without the line break
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (i > 0) {
                line.append(',');
            }
            boolean quote = !v.isEmpty() && (v.equals("\\.") || v.indexOf(',') >= 0 || v.indexOf('"') >= 0
                    || v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0 || Character.isWhitespace(v.charAt(0)));
            line.append(quote ? "\"" + v.replace("\"", "\"\"") + "\"" : v);
        }
        a.put(CM + key, line.toString());
    }

    /** Go's net.IP.String(): dotted IPv4; IPv6 with the longest run (two or more, the first of equals) of zero groups as "::". */
    static String goIpString(byte[] ip) {
        try {
            InetAddress address = InetAddress.getByAddress(ip);
            if (address instanceof java.net.Inet4Address) {
                return address.getHostAddress();
            }
            String[] groups = address.getHostAddress().split(":");
            int bestAt = -1;
            int bestLength = 1;
            for (int i = 0; i < groups.length; i++) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLength) {
                    bestAt = i;
                    bestLength = j - i;
                }
            }
            if (bestAt < 0) {
                return String.join(":", groups);
            }
            return String.join(":", Arrays.asList(groups).subList(0, bestAt)) + "::"
                    + String.join(":", Arrays.asList(groups).subList(bestAt + bestLength, groups.length));
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    // ---- decoding, as pkg/util/pki/parse.go

    /** pki.DecodePrivateKeyBytes: the first PEM block, PKCS#1, SEC 1 or PKCS#8. */
    static AsymmetricKeyParameter decodePrivateKey(byte[] pem) throws IOException {
        PemObject block = firstPem(pem);
        PrivateKeyInfo info = switch (block.getType()) {
            case "PRIVATE KEY" -> PrivateKeyInfo.getInstance(block.getContent());
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                Object parsed = new org.bouncycastle.openssl.PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII))).readObject();
                yield ((PEMKeyPair) parsed).getPrivateKeyInfo();
            }
            default -> throw new IOException("unknown private key type: " + block.getType());
        };
        return PrivateKeyFactory.createKey(info);
    }

    private static PemObject firstPem(byte[] pem) throws IOException {
        try (PemReader reader = new PemReader(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            PemObject block = reader.readPemObject();
            if (block == null) {
                throw new IOException("error decoding private key PEM block: no PEM data was found in given input");
            }
            return block;
        }
    }

    /** pki.DecodeX509CertificateBytes: the first certificate of the PEM chain. */
    static X509Certificate decodeCertificate(byte[] pem) throws IOException, CertificateException {
        try (PemReader reader = new PemReader(new StringReader(new String(pem, StandardCharsets.US_ASCII)))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                if (block.getType().equals("CERTIFICATE")) {
                    return (X509Certificate) CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(block.getContent()));
                }
            }
        }
        throw new IOException("error decoding certificate PEM block: no valid certificates found");
    }

    private static AsymmetricKeyParameter publicKeyOf(AsymmetricKeyParameter key) {
        if (key instanceof RSAPrivateCrtKeyParameters rsa) {
            return new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
        }
        if (key instanceof ECPrivateKeyParameters ec) {
            return new ECPublicKeyParameters(ec.getParameters().getG().multiply(ec.getD()).normalize(), ec.getParameters());
        }
        if (key instanceof Ed25519PrivateKeyParameters ed) {
            return ed.generatePublicKey();
        }
        throw new IllegalArgumentException("unsupported key " + key.getClass().getSimpleName());
    }

    /** pki.PublicKeysEqual: same type and same values. */
    private static boolean publicKeysEqual(X509Certificate certificate, AsymmetricKeyParameter fromKey) throws IOException {
        AsymmetricKeyParameter fromCertificate = PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded()));
        if (fromCertificate instanceof RSAKeyParameters a && fromKey instanceof RSAKeyParameters b) {
            return a.getModulus().equals(b.getModulus()) && a.getExponent().equals(b.getExponent());
        }
        if (fromCertificate instanceof ECPublicKeyParameters a && fromKey instanceof ECPublicKeyParameters b) {
            return a.getQ().normalize().equals(b.getQ().normalize()) && a.getParameters().getCurve().equals(b.getParameters().getCurve());
        }
        if (fromCertificate instanceof Ed25519PublicKeyParameters a && fromKey instanceof Ed25519PublicKeyParameters b) {
            return Arrays.equals(a.getEncoded(), b.getEncoded());
        }
        return false;
    }

    // ---- helpers

    private static Optional<Violation> violation(String reason, String message) {
        return Optional.of(new Violation(reason, message));
    }

    private static byte[] data(Secret secret, String key) {
        String value = secret.getData() == null ? null : secret.getData().get(key);
        return value == null ? new byte[0] : Base64.getDecoder().decode(value);
    }

    private static boolean has(Secret secret, String key) {
        return data(secret, key).length != 0;
    }

    private static Map<String, String> annotations(Secret secret) {
        Map<String, String> a = secret.getMetadata() == null ? null : secret.getMetadata().getAnnotations();
        return a == null ? Map.of() : a;
    }

    private static String defaultKind(String kind) {
        return kind.isEmpty() ? "Issuer" : kind;
    }

    private static String defaultGroup(String group) {
        return group.isEmpty() ? "cert-manager.io" : group;
    }

    /** checks.go mapsHaveMatchingValues: the first key (sorted) both maps have with different values. */
    private static Optional<String> firstMismatchingKey(Map<String, String> a, Map<String, String> b) {
        return new TreeSet<>(a.keySet()).stream().filter(b::containsKey).filter(k -> !b.get(k).equals(a.get(k))).findFirst();
    }

    /** util.EqualUnsorted: equal as sorted lists (duplicates count). */
    private static boolean equalUnsorted(List<String> a, List<String> b) {
        return a.stream().sorted().toList().equals(b.stream().sorted().toList());
    }

    /** net.ParseIP, then To16, as hex text to compare; an unparsable address stays distinct. */
    private static String parseIp(String text) {
        try {
            if (!text.matches("[0-9a-fA-F:.]+")) {
                return "unparsable:" + text;
            }
            return sixteenBytes(InetAddress.getByName(text).getAddress());
        } catch (java.net.UnknownHostException e) {
            return "unparsable:" + text;
        }
    }

    private static String sixteenBytes(byte[] ip) {
        byte[] sixteen = ip;
        if (ip.length == 4) {
            sixteen = new byte[16];
            sixteen[10] = (byte) 0xff;
            sixteen[11] = (byte) 0xff;
            System.arraycopy(ip, 0, sixteen, 12, 4);
        }
        return new BigInteger(1, sixteen).toString(16);
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** Go's fmt %v of a []string: {@code [a b]}. */
    private static String goList(List<String> values) {
        return "[" + String.join(" ", values) + "]";
    }

    /** What Go's crypto/x509 parses out of a certificate: subject fields and SANs, in order. */
    static final class IssuedNames {
        final String commonName;
        final Subject subject;
        final List<String> dnsNames = new ArrayList<>();
        final List<byte[]> ipAddresses = new ArrayList<>();
        final List<String> uris = new ArrayList<>();
        final List<String> emails = new ArrayList<>();

        private IssuedNames(String commonName, Subject subject) {
            this.commonName = commonName;
            this.subject = subject;
        }

        static IssuedNames of(X509Certificate certificate) {
            Subject subject = Subject.of(certificate);
            IssuedNames n = new IssuedNames(subject.commonName, subject);
            try {
                var sans = certificate.getSubjectAlternativeNames();
                if (sans != null) {
                    for (List<?> san : sans) {
                        switch ((Integer) san.get(0)) {
                            case 1 -> n.emails.add((String) san.get(1));
                            case 2 -> n.dnsNames.add((String) san.get(1));
                            case 6 -> n.uris.add((String) san.get(1));
                            case 7 -> n.ipAddresses.add(InetAddress.getByName((String) san.get(1)).getAddress());
                            default -> { }
                        }
                    }
                }
            } catch (java.security.cert.CertificateParsingException | java.net.UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
            return n;
        }
    }

    /** Go's pkix.Name filled from the subject's RDN sequence (a later CN or serialNumber wins). */
    static final class Subject {
        String commonName = "";
        String serialNumber = "";
        final List<String> organizations = new ArrayList<>();
        final List<String> organizationalUnits = new ArrayList<>();
        final List<String> countries = new ArrayList<>();
        final List<String> provinces = new ArrayList<>();
        final List<String> localities = new ArrayList<>();
        final List<String> postalCodes = new ArrayList<>();
        final List<String> streetAddresses = new ArrayList<>();

        static Subject of(X509Certificate certificate) {
            Subject s = new Subject();
            var name = org.bouncycastle.asn1.x500.X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
            for (var rdn : name.getRDNs()) {
                for (var atv : rdn.getTypesAndValues()) {
                    String value = ((org.bouncycastle.asn1.ASN1String) atv.getValue()).getString();
                    switch (atv.getType().getId()) {
                        case "2.5.4.3" -> s.commonName = value;
                        case "2.5.4.5" -> s.serialNumber = value;
                        case "2.5.4.10" -> s.organizations.add(value);
                        case "2.5.4.11" -> s.organizationalUnits.add(value);
                        case "2.5.4.6" -> s.countries.add(value);
                        case "2.5.4.8" -> s.provinces.add(value);
                        case "2.5.4.7" -> s.localities.add(value);
                        case "2.5.4.17" -> s.postalCodes.add(value);
                        case "2.5.4.9" -> s.streetAddresses.add(value);
                        default -> { }
                    }
                }
            }
            return s;
        }
    }
}
