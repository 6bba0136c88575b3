package dev.autocert4j.manifests;

import static dev.autocert4j.manifests.Fields.duration;
import static dev.autocert4j.manifests.Fields.wrap;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.KeyAlgorithm;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.KeyUsage;
import dev.autocert4j.OutputFormat;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.RotationPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads {@code Certificate} documents. One instance per load; not thread-safe. */
final class CertificateReader {
    private final Map<String, Integer> certificateDocs = new HashMap<>();

    Certificate read(ManifestReader.Parsed p) {
        YamlObject root = p.root();
        ManifestReader.Meta meta = ManifestReader.metadata(root);
        String namespace = meta.namespace().orElse("default");
        String id = namespace + "/" + meta.name();
        Integer earlier = certificateDocs.putIfAbsent(id, root.doc().number());
        if (earlier != null) {
            throw root.error("metadata", "Certificate " + id + " is already defined in document " + earlier + ": give each a distinct name");
        }
        YamlObject spec = root.object("spec").orElseThrow(() -> root.error("spec", "is required"));
        root.done();
        Certificate.Builder b = Certificate.builder(meta.name()).namespace(namespace).labels(meta.labels());
        wrap(spec, "secretName", () -> b.secretName(spec.requiredString("secretName")));
        YamlObject ref = spec.object("issuerRef").orElseThrow(() -> spec.error("issuerRef", "is required: name the Issuer or ClusterIssuer"));
        String issuerName = ref.requiredString("name");
        // Kind and group as written, "" when left out: cert-manager copies them verbatim into the Secret's issuer
        // annotations (pkg/controller/certificates/issuing/issuing_controller.go, SecretData from the request's issuerRef).
        String kind = ref.string("kind").orElse("");
        Optional<String> group = ref.string("group");
        if (group.isPresent() && !group.get().isEmpty() && !group.get().equals("cert-manager.io")) {
            throw ref.error("group", "'" + group.get() + "' is not supported: external issuers are not read; use cert-manager.io");
        }
        if (!kind.isEmpty() && !kind.equals("Issuer") && !kind.equals("ClusterIssuer")) {
            throw ref.error("kind", "'" + kind + "' is not an issuer kind: use Issuer or ClusterIssuer");
        }
        IssuerRef issuerRef = IssuerRef.asWritten(issuerName, kind, group.orElse(""));
        ref.done();
        b.issuerRef(issuerRef);
        spec.string("commonName").ifPresent(cn -> wrap(spec, "commonName", () -> b.commonName(cn)));
        List<String> dnsNames = spec.strings("dnsNames");
        wrap(spec, "dnsNames", () -> b.dnsNames(dnsNames));
        List<String> ips = spec.strings("ipAddresses");
        wrap(spec, "ipAddresses", () -> b.ipAddresses(ips));
        spec.string("duration").ifPresent(d -> wrap(spec, "duration", () -> b.duration(duration(spec, "duration", d))));
        spec.string("renewBefore").ifPresent(d -> wrap(spec, "renewBefore", () -> b.renewBefore(duration(spec, "renewBefore", d))));
        spec.integer("renewBeforePercentage").ifPresent(v -> wrap(spec, "renewBeforePercentage", () -> b.renewBeforePercentage(v)));
        spec.bool("isCA").ifPresent(v -> b.isCA(v));
        List<String> usageNames = spec.strings("usages");
        if (!usageNames.isEmpty()) {
            List<KeyUsage> usages = new ArrayList<>();
            for (int i = 0; i < usageNames.size(); i++) {
                usages.add(usage(spec, i, usageNames.get(i)));
            }
            wrap(spec, "usages", () -> b.usages(usages.toArray(KeyUsage[]::new)));
        }
        PrivateKeySpec key = privateKey(spec, p.apiVersion());
        wrap(spec, "privateKey", () -> b.privateKey(key));
        KeystoresReader.read(spec).ifPresent(k -> b.keystores(k));
        CertificateSubjectReader.read(spec, b);
        for (String f : List.of("otherNames", "nameConstraints")) {
            spec.unsupported(f, "certificates carry DNS names, IP addresses, URIs, email addresses and subject attributes, "
                    + "but not " + f + ": remove it");
        }
        spec.unsupported("encodeUsagesInRequest", "usages are always requested as set; remove it");
        List<OutputFormat> formats = new ArrayList<>();
        List<YamlObject> formatItems = spec.objects("additionalOutputFormats");
        for (int i = 0; i < formatItems.size(); i++) {
            formats.add(outputFormat(spec, i, formatItems.get(i)));
        }
        if (!formats.isEmpty()) {
            wrap(spec, "additionalOutputFormats", () -> b.additionalOutputFormats(formats.toArray(OutputFormat[]::new)));
        }
        spec.unsupported("renewal", "renewal policies and windows are not supported; remove renewal (renewBefore and "
                + "renewBeforePercentage are)");
        spec.unsupported("revisionHistoryLimit", "autocert4j keeps no CertificateRequest history; remove it");
        if (p.apiVersion().equals(ManifestReader.V1)) {
            for (String f : List.of("keySize", "keyAlgorithm", "keyEncoding")) {
                spec.unsupported(f, "in " + ManifestReader.V1 + " it lives in spec.privateKey (algorithm, size, encoding)");
            }
        }
        spec.done();
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw spec.error(e.getMessage());
        }
    }

    /** cert-manager's {@code CertificateAdditionalOutputFormat}: {@code {type: CombinedPEM}} or {@code {type: DER}}. */
    private static OutputFormat outputFormat(YamlObject spec, int index, YamlObject item) {
        String type = item.requiredString("type");
        item.done();
        for (OutputFormat f : OutputFormat.values()) {
            if (f.manifestName().equals(type)) {
                return f;
            }
        }
        throw spec.error("additionalOutputFormats", index, "type '" + type + "' is not supported: use CombinedPEM or DER");
    }

    private static KeyUsage usage(YamlObject spec, int index, String name) {
        for (KeyUsage u : KeyUsage.values()) {
            if (u.manifestName().equals(name)) {
                return u;
            }
        }
        List<String> known = new ArrayList<>();
        for (KeyUsage u : KeyUsage.values()) {
            known.add(u.manifestName());
        }
        throw spec.error("usages", index, "'" + name + "' is not supported: use one of " + String.join(", ", known));
    }

    private static PrivateKeySpec privateKey(YamlObject spec, String apiVersion) {
        String algorithm = null;
        Integer size = null;
        String encoding = null;
        String rotation = null;
        String prefix = "privateKey.";
        Optional<YamlObject> pk = spec.object("privateKey");
        if (pk.isPresent()) {
            algorithm = pk.get().string("algorithm").orElse(null);
            size = pk.get().integer("size").orElse(null);
            encoding = pk.get().string("encoding").orElse(null);
            rotation = pk.get().string("rotationPolicy").orElse(null);
            pk.get().done();
        }
        if (apiVersion.equals(ManifestReader.V1ALPHA2)) {
            if (spec.has("keyAlgorithm") || spec.has("keySize") || spec.has("keyEncoding")) {
                prefix = "";
            }
            algorithm = spec.string("keyAlgorithm").map(a -> a.toUpperCase(Locale.ROOT).equals("ECDSA") ? "ECDSA" : a.toUpperCase(Locale.ROOT).equals("RSA") ? "RSA" : a).orElse(algorithm);
            size = spec.integer("keySize").orElse(size);
            encoding = spec.string("keyEncoding").orElse(encoding);
        }
        YamlObject at = pk.orElse(spec);
        String field = prefix.isEmpty() ? "keyAlgorithm" : "algorithm";
        KeyAlgorithm alg = switch (algorithm == null ? "RSA" : algorithm) {
            case "RSA" -> KeyAlgorithm.RSA;
            case "ECDSA" -> KeyAlgorithm.ECDSA;
            case "Ed25519" -> KeyAlgorithm.ED25519;
            default -> throw at.error(field, "'" + algorithm + "' is not supported: use RSA, ECDSA or Ed25519");
        };
        int bits = size != null ? size : switch (alg) {
            case RSA -> 2048;
            case ECDSA -> 256;
            case ED25519 -> 0;
        };
        KeyEncoding enc = switch (encoding == null ? "PKCS1" : encoding) {
            case "PKCS1" -> KeyEncoding.PKCS1;
            case "PKCS8" -> KeyEncoding.PKCS8;
            default -> throw at.error(prefix.isEmpty() ? "keyEncoding" : "encoding", "'" + encoding + "' is not supported: use PKCS1 or PKCS8");
        };
        if (alg == KeyAlgorithm.ED25519 && encoding == null) {
            enc = KeyEncoding.PKCS8;
        }
        RotationPolicy rot = switch (rotation == null ? "Always" : rotation) {
            case "Always" -> RotationPolicy.ALWAYS;
            case "Never" -> RotationPolicy.NEVER;
            default -> throw at.error("rotationPolicy", "'" + rotation + "' is not supported: use Always or Never");
        };
        try {
            return new PrivateKeySpec(alg, bits, enc, rot);
        } catch (IllegalArgumentException e) {
            throw at.error(prefix.isEmpty() ? "keySize" : "size", e.getMessage());
        }
    }
}
