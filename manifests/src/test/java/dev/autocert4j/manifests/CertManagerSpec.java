package dev.autocert4j.manifests;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fields of a cert-manager {@code Certificate} that cert-manager's policy checks read, as
 * cert-manager itself sees them: taken from the YAML document as it is (snakeyaml-engine's maps),
 * not through autocert4j's manifest reader, so that {@link CertManagerPolicies} does not check our
 * output by our own reading. Empty strings and lists stand for absent fields, as Go's zero values.
 *
 * @param name metadata.name
 * @param issuerName spec.issuerRef.name
 * @param issuerKind spec.issuerRef.kind, "" when absent
 * @param issuerGroup spec.issuerRef.group, "" when absent
 * @param commonName spec.commonName
 * @param dnsNames spec.dnsNames
 * @param ipAddresses spec.ipAddresses
 * @param uris spec.uris
 * @param emailAddresses spec.emailAddresses
 * @param keyAlgorithm spec.privateKey.algorithm (v1alpha2: spec.keyAlgorithm, lower case), "" when absent
 * @param keySize spec.privateKey.size (v1alpha2: spec.keySize), 0 when absent
 * @param renewBefore spec.renewBefore, null when absent
 * @param renewBeforePercentage spec.renewBeforePercentage, null when absent
 * @param renewalDisabled spec.renewal.policy is {@code Disabled}
 * @param templateLabels spec.secretTemplate.labels
 * @param templateAnnotations spec.secretTemplate.annotations
 * @param outputFormats the {@code type}s of spec.additionalOutputFormats
 * @param keystores null when spec.keystores is absent, else {@code jks}/{@code pkcs12} → {@code create}
 * @param uid metadata.uid, "" when absent (the API server assigns it when the Certificate is applied)
 */
record CertManagerSpec(String name, String issuerName, String issuerKind, String issuerGroup, String commonName,
        List<String> dnsNames, List<String> ipAddresses, List<String> uris, List<String> emailAddresses,
        String keyAlgorithm, int keySize, Duration renewBefore, Integer renewBeforePercentage, boolean renewalDisabled,
        Map<String, String> templateLabels, Map<String, String> templateAnnotations, List<String> outputFormats,
        Map<String, Boolean> keystores, String uid) {

    /** A spec with only a name, an issuer name and DNS names; the rest absent. */
    static CertManagerSpec of(String name, String issuerName, List<String> dnsNames) {
        return new CertManagerSpec(name, issuerName, "", "", "", dnsNames, List.of(), List.of(), List.of(), "", 0, null,
                null, false, Map.of(), Map.of(), List.of(), null, "");
    }

    /**
     * @param newUid the uid the API server gave the Certificate
     * @return this spec with that uid
     */
    CertManagerSpec withUid(String newUid) {
        return new CertManagerSpec(name, issuerName, issuerKind, issuerGroup, commonName, dnsNames, ipAddresses, uris, emailAddresses,
                keyAlgorithm, keySize, renewBefore, renewBeforePercentage, renewalDisabled, templateLabels, templateAnnotations,
                outputFormats, keystores, newUid);
    }

    /**
     * @param document one {@code kind: Certificate} document as snakeyaml-engine loads it
     * @return its fields as cert-manager's Go types hold them
     */
    @SuppressWarnings("unchecked")
    static CertManagerSpec fromYaml(Map<String, Object> document) {
        Map<String, Object> metadata = map(document.get("metadata"));
        Map<String, Object> spec = map(document.get("spec"));
        Map<String, Object> issuerRef = map(spec.get("issuerRef"));
        Map<String, Object> privateKey = map(spec.get("privateKey"));
        Map<String, Object> template = map(spec.get("secretTemplate"));
        String algorithm = string(privateKey.get("algorithm"));
        if (algorithm.isEmpty()) {
            // v1alpha2 keyAlgorithm: rsa / ecdsa / ed25519, converted to v1's RSA / ECDSA / Ed25519
            algorithm = switch (string(spec.get("keyAlgorithm"))) {
                case "rsa" -> "RSA";
                case "ecdsa" -> "ECDSA";
                case "ed25519" -> "Ed25519";
                default -> "";
            };
        }
        Object size = privateKey.containsKey("size") ? privateKey.get("size") : spec.get("keySize");
        Map<String, Boolean> keystores = null;
        if (spec.get("keystores") != null) {
            keystores = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, Object> e : map(spec.get("keystores")).entrySet()) {
                keystores.put(e.getKey(), Boolean.TRUE.equals(map(e.getValue()).get("create")));
            }
        }
        return new CertManagerSpec(string(metadata.get("name")), string(issuerRef.get("name")),
                string(issuerRef.get("kind")), string(issuerRef.get("group")), string(spec.get("commonName")),
                strings(spec.get("dnsNames")), strings(spec.get("ipAddresses")), strings(spec.get("uris")),
                strings(spec.get("emailAddresses")), algorithm, size == null ? 0 : ((Number) size).intValue(),
                goDuration(spec.get("renewBefore")),
                spec.get("renewBeforePercentage") == null ? null : ((Number) spec.get("renewBeforePercentage")).intValue(),
                "Disabled".equals(map(spec.get("renewal")).get("policy")),
                (Map<String, String>) (Map<?, ?>) map(template.get("labels")),
                (Map<String, String>) (Map<?, ?>) map(template.get("annotations")),
                ((List<Object>) (spec.get("additionalOutputFormats") == null ? List.of() : spec.get("additionalOutputFormats")))
                        .stream().map(f -> string(map(f).get("type"))).toList(),
                keystores, string(metadata.get("uid")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    private static String string(Object value) {
        return value == null ? "" : value.toString();
    }

    private static List<String> strings(Object value) {
        return value == null ? List.of() : ((List<?>) value).stream().map(Object::toString).toList();
    }

    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+)(h|m|s)");

    /** Go's time.ParseDuration for the whole-unit forms manifests use ({@code 720h}, {@code 1h30m0s}). */
    private static Duration goDuration(Object value) {
        if (value == null) {
            return null;
        }
        Matcher m = GO_DURATION_PART.matcher(value.toString());
        Duration d = Duration.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "h" -> Duration.ofHours(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            });
            end = m.end();
        }
        if (end != value.toString().length()) {
            throw new IllegalArgumentException("not a Go duration this oracle reads: " + value);
        }
        return d;
    }
}
