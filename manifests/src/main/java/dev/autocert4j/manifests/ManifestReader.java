package dev.autocert4j.manifests;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.KeyAlgorithm;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.KeyUsage;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.RotationPolicy;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.issuer.CaIssuer;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverSelector;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.solver.dns.CnameStrategy;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.cloudflare.CloudflareDnsProvider;
import dev.autocert4j.solver.dns.rfc2136.Rfc2136DnsProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Reads manifest files into issuers, solvers and certificates. One instance per load; not thread-safe. */
final class ManifestReader {
    static final String V1 = "cert-manager.io/v1";
    static final String V1ALPHA2 = "cert-manager.io/v1alpha2";
    private static final Set<String> SERVER_SET_METADATA = Set.of("uid", "resourceVersion", "generation",
            "creationTimestamp", "managedFields", "selfLink");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final ManifestOptions options;
    private final List<Parsed> documents = new ArrayList<>();
    /** Secrets from {@code v1 Secret} documents; namespace null when the document has none. */
    private final Map<List<String>, String> fileSecrets = new HashMap<>();
    private final Map<String, Integer> issuerDocs = new HashMap<>();
    private final Map<String, Integer> certificateDocs = new HashMap<>();

    final List<dev.autocert4j.issuer.Issuer> issuers = new ArrayList<>();
    final List<SolverSet.Entry> solvers = new ArrayList<>();
    /** Each ACME issuer's own solvers, as cert-manager keeps them per issuer. */
    final Map<dev.autocert4j.issuer.Issuer, List<SolverSet.Entry>> issuerSolvers = new java.util.IdentityHashMap<>();
    final List<Certificate> certificates = new ArrayList<>();

    private record Parsed(YamlObject root, String apiVersion, String kind) {
    }

    ManifestReader(ManifestOptions options) {
        this.options = options;
    }

    /** Adds the documents of one file; call {@link #build()} after the last. */
    void add(String content, String source) {
        LoadSettings settings = LoadSettings.builder().setLabel(source).setSchema(new CoreSchema()).build();
        int number = 0;
        try {
            for (Node root : new Compose(settings).composeAllFromString(content)) {
                number++;
                if (root instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) {
                    continue; // an empty document, e.g. after a trailing ---
                }
                YamlObject o = YamlObject.of(new YamlObject.Doc(source, number), "", root);
                String apiVersion = o.requiredString("apiVersion");
                String kind = o.requiredString("kind");
                documents.add(new Parsed(o, apiVersion, kind));
            }
        } catch (MarkedYamlEngineException e) {
            // the problem only: the snippet could show a secret from a Secret document
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ManifestException(source, number + 1, line, "", "not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new ManifestException(source, number + 1, 0, "", "not valid YAML");
        }
    }

    void build() {
        for (Parsed p : documents) {
            if (p.kind.equals("Secret") && p.apiVersion.equals("v1")) {
                secretDocument(p.root);
            } else if (p.kind.equals("Secret")) {
                throw p.root.error("apiVersion", "a Secret has apiVersion v1, not " + p.apiVersion);
            } else if (!p.apiVersion.equals(V1) && !p.apiVersion.equals(V1ALPHA2)) {
                throw p.root.error("apiVersion", "'" + p.apiVersion + "' is not supported: use " + V1 + " or " + V1ALPHA2);
            } else if (!Set.of("ClusterIssuer", "Issuer", "Certificate").contains(p.kind)) {
                throw p.root.error("kind", "'" + p.kind + "' is not supported: the kinds read are ClusterIssuer, Issuer, "
                        + "Certificate (" + V1 + ", " + V1ALPHA2 + ") and Secret (v1)");
            }
        }
        for (Parsed p : documents) {
            if (p.kind.equals("Certificate")) {
                certificate(p);
            }
        }
        for (Parsed p : documents) {
            if (p.kind.equals("ClusterIssuer") || p.kind.equals("Issuer")) {
                issuer(p);
            }
        }
    }

    // ---- metadata ----

    private record Meta(String name, Optional<String> namespace, Map<String, String> labels) {
    }

    private static Meta metadata(YamlObject root) {
        YamlObject m = root.object("metadata").orElseThrow(() -> root.error("metadata", "is required: give at least metadata.name"));
        String name = m.requiredString("name");
        Optional<String> namespace = m.string("namespace");
        Map<String, String> labels = m.stringMap("labels");
        m.stringMap("annotations"); // accepted, not used: see the README
        m.ignored(SERVER_SET_METADATA.toArray(String[]::new));
        m.unsupported("generateName", "every object needs a fixed name; set metadata.name");
        m.done();
        root.ignored("apiVersion", "kind", "metadata", "status");
        return new Meta(name, namespace, labels);
    }

    // ---- Secret ----

    private void secretDocument(YamlObject root) {
        Meta meta = metadata(root);
        root.string("type");
        root.bool("immutable");
        Optional<YamlObject> data = root.object("data");
        if (data.isPresent()) {
            for (String key : data.get().keys()) {
                String encoded = data.get().string(key).orElse("");
                byte[] decoded;
                try {
                    decoded = Base64.getMimeDecoder().decode(encoded);
                } catch (IllegalArgumentException e) {
                    throw data.get().error(key, "is not base64: Secret data values are base64 encoded; use stringData for plain text");
                }
                fileSecrets.put(List.of(meta.namespace.orElse(""), meta.name, key), new String(decoded, StandardCharsets.UTF_8));
            }
            data.get().done();
        }
        Optional<YamlObject> stringData = root.object("stringData");
        if (stringData.isPresent()) {
            for (String key : stringData.get().keys()) {
                fileSecrets.put(List.of(meta.namespace.orElse(""), meta.name, key), stringData.get().string(key).orElse(""));
            }
            stringData.get().done();
        }
        root.done();
    }

    private String secret(YamlObject ref, String namespace, boolean keyRequired, String defaultKey) {
        String name = ref.requiredString("name");
        String key = keyRequired ? ref.requiredString("key") : ref.string("key").orElse(defaultKey);
        ref.done();
        return lookUp(ref, new SecretRef(namespace, name, key));
    }

    private String lookUp(YamlObject at, SecretRef ref) {
        String inFile = fileSecrets.get(List.of(ref.namespace(), ref.name(), ref.key()));
        if (inFile == null) {
            inFile = fileSecrets.get(List.of("", ref.name(), ref.key()));
        }
        if (inFile != null) {
            return inFile;
        }
        try {
            return options.secrets().resolve(ref).orElseThrow(() -> at.error(ref + " was not found by " + options.secrets()
                    + ": create it (kubectl -n " + ref.namespace() + " create secret generic " + ref.name() + " --from-literal="
                    + ref.key() + "=...), set environment variable " + SecretResolver.environmentVariable(ref)
                    + ", or add a v1 Secret document to the manifests"));
        } catch (IOException e) {
            throw at.error(ref + " could not be read: " + e.getMessage());
        }
    }

    // ---- Certificate ----

    private void certificate(Parsed p) {
        YamlObject root = p.root;
        Meta meta = metadata(root);
        String namespace = meta.namespace.orElse("default");
        String id = namespace + "/" + meta.name;
        Integer earlier = certificateDocs.putIfAbsent(id, root.doc().number());
        if (earlier != null) {
            throw root.error("metadata", "Certificate " + id + " is already defined in document " + earlier + ": give each a distinct name");
        }
        YamlObject spec = root.object("spec").orElseThrow(() -> root.error("spec", "is required"));
        root.done();
        Certificate.Builder b = Certificate.builder(meta.name).namespace(namespace).labels(meta.labels);
        wrap(spec, "secretName", () -> b.secretName(spec.requiredString("secretName")));
        YamlObject ref = spec.object("issuerRef").orElseThrow(() -> spec.error("issuerRef", "is required: name the Issuer or ClusterIssuer"));
        String issuerName = ref.requiredString("name");
        String kind = ref.string("kind").orElse("Issuer");
        Optional<String> group = ref.string("group");
        if (group.isPresent() && !group.get().isEmpty() && !group.get().equals("cert-manager.io")) {
            throw ref.error("group", "'" + group.get() + "' is not supported: external issuers are not read; use cert-manager.io");
        }
        IssuerRef issuerRef = switch (kind) {
            case "Issuer" -> IssuerRef.issuer(issuerName);
            case "ClusterIssuer" -> IssuerRef.clusterIssuer(issuerName);
            default -> throw ref.error("kind", "'" + kind + "' is not an issuer kind: use Issuer or ClusterIssuer");
        };
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
        PrivateKeySpec key = privateKey(spec, p.apiVersion);
        wrap(spec, "privateKey", () -> b.privateKey(key));
        spec.unsupported("keystores", "keystores are a setting of the store, for every certificate: remove keystores here and "
                + "use KubernetesSecretStore.builder(client).pkcs12Keystore(...) or .jksKeystore(...)");
        spec.unsupported("secretTemplate", "labels and annotations on the stored Secret are not configurable yet; remove secretTemplate");
        for (String f : List.of("subject", "uris", "emailAddresses", "otherNames", "literalSubject", "nameConstraints")) {
            spec.unsupported(f, "certificates carry DNS names and IP addresses (and a common name) only; remove " + f);
        }
        spec.unsupported("encodeUsagesInRequest", "usages are always requested as set; remove it");
        spec.unsupported("additionalOutputFormats", "the store writes tls.crt, tls.key and ca.crt; remove it");
        spec.unsupported("revisionHistoryLimit", "autocert4j keeps no CertificateRequest history; remove it");
        if (p.apiVersion.equals(V1)) {
            for (String f : List.of("keySize", "keyAlgorithm", "keyEncoding")) {
                spec.unsupported(f, "in " + V1 + " it lives in spec.privateKey (algorithm, size, encoding)");
            }
        }
        spec.done();
        try {
            certificates.add(b.build());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw spec.error(e.getMessage());
        }
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
        if (apiVersion.equals(V1ALPHA2)) {
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

    private static Duration duration(YamlObject o, String key, String text) {
        Duration d = GoDuration.parse(text);
        if (d == null) {
            throw o.error(key, "'" + text + "' is not a duration: write it as cert-manager does, e.g. 2160h, 720h or 1h30m");
        }
        return d;
    }

    /** Runs a core builder call, turning its configuration error into one that names the field. */
    private static void wrap(YamlObject o, String key, Runnable call) {
        try {
            call.run();
        } catch (ManifestException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw o.error(key, e.getMessage());
        }
    }

    private static <T> T wrapGet(YamlObject o, String key, Supplier<T> call) {
        try {
            return call.get();
        } catch (ManifestException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw o.error(key, e.getMessage());
        }
    }

    // ---- Issuer / ClusterIssuer ----

    private void issuer(Parsed p) {
        YamlObject root = p.root;
        Meta meta = metadata(root);
        boolean cluster = p.kind.equals("ClusterIssuer");
        if (cluster && meta.namespace.isPresent()) {
            throw root.doc().error(root.node(), "metadata.namespace", "a ClusterIssuer belongs to no namespace: remove metadata.namespace");
        }
        String namespace = cluster ? null : meta.namespace.orElse("default");
        String id = p.kind + " " + (cluster ? "" : namespace + "/") + meta.name;
        Integer earlier = issuerDocs.putIfAbsent(id, root.doc().number());
        if (earlier != null) {
            throw root.error("metadata", id + " is already defined in document " + earlier
                    + ": give each issuer a distinct name, or load the files separately");
        }
        IssuerContext ctx = new IssuerContext(meta.name, namespace, cluster ? options.clusterResourceNamespace() : namespace, id);
        YamlObject spec = root.object("spec").orElseThrow(() -> root.error("spec", "is required"));
        root.done();
        spec.unsupported("vault", "use an ACME, selfSigned or ca issuer, or implement dev.autocert4j.issuer.Issuer");
        spec.unsupported("venafi", "use an ACME, selfSigned or ca issuer, or implement dev.autocert4j.issuer.Issuer");
        int types = (spec.has("acme") ? 1 : 0) + (spec.written("selfSigned") ? 1 : 0) + (spec.has("ca") ? 1 : 0);
        if (types != 1) {
            throw spec.error("set exactly one of acme, selfSigned and ca");
        }
        if (spec.has("acme")) {
            int first = solvers.size();
            dev.autocert4j.issuer.Issuer acme = acme(spec.object("acme").orElseThrow(), ctx);
            issuers.add(acme);
            if (solvers.size() > first) {
                issuerSolvers.put(acme, List.copyOf(solvers.subList(first, solvers.size())));
            }
        } else if (spec.has("ca")) {
            issuers.add(ca(spec.object("ca").orElseThrow(), ctx));
        } else {
            spec.raw("selfSigned").ifPresent(n -> {
                YamlObject s = YamlObject.of(spec.doc(), spec.child("selfSigned"), n);
                s.unsupported("crlDistributionPoints", "self-signed certificates carry no CRL distribution points; remove it");
                s.done();
            });
            SelfSignedIssuer.Builder b = SelfSignedIssuer.builder(meta.name);
            if (!cluster) {
                b.namespace(namespace);
            }
            issuers.add(b.build());
        }
        spec.done();
    }

    private record IssuerContext(String name, String namespace, String secretNamespace, String id) {
    }

    private dev.autocert4j.issuer.Issuer acme(YamlObject a, IssuerContext ctx) {
        String server = a.requiredString("server");
        URI directory;
        try {
            directory = new URI(server);
        } catch (URISyntaxException e) {
            throw a.error("server", "'" + server + "' is not a URL: use the CA's ACME directory URL");
        }
        if (!"https".equalsIgnoreCase(directory.getScheme())) {
            throw a.error("server", "'" + server + "' is not an https URL: ACME requires TLS");
        }
        AcmeIssuer.Builder b = AcmeIssuer.builder(ctx.name);
        if (ctx.namespace != null) {
            b.namespace(ctx.namespace);
        }
        b.directory(options.acmeServerOverride().orElse(directory));
        a.string("email").filter(e -> !e.isEmpty()).ifPresent(e -> wrap(a, "email", () -> b.email(e)));
        YamlObject keyRef = a.object("privateKeySecretRef")
                .orElseThrow(() -> a.error("privateKeySecretRef", "is required: name the Secret that keeps the ACME account key"));
        String keySecret = keyRef.requiredString("name");
        keyRef.string("key").filter(k -> !k.equals("tls.key")).ifPresent(k -> {
            throw keyRef.error("key", "'" + k + "' is not supported: the account key is stored under tls.key; remove key");
        });
        keyRef.done();
        wrap(a, "privateKeySecretRef", () -> b.privateKeySecretRef(keySecret));
        a.object("externalAccountBinding").ifPresent(eab -> {
            String keyId = eab.requiredString("keyID");
            eab.string("keyAlgorithm").filter(alg -> !alg.equals("HS256")).ifPresent(alg -> {
                throw eab.error("keyAlgorithm", "'" + alg + "' is not supported: HS256 is used (the field is deprecated); remove it");
            });
            YamlObject ref = eab.object("keySecretRef").orElseThrow(() -> eab.error("keySecretRef", "is required: the Secret with the HMAC key"));
            String hmac = secret(ref, ctx.secretNamespace, true, null);
            eab.done();
            wrap(a, "externalAccountBinding", () -> b.externalAccountBinding(keyId, hmac));
        });
        a.string("preferredChain").filter(c -> !c.isBlank()).ifPresent(c -> wrap(a, "preferredChain", () -> b.preferredChain(c)));
        if (a.bool("skipTLSVerify").orElse(false)) {
            throw a.error("skipTLSVerify", "true is refused: autocert4j never switches TLS verification off. Put the CA "
                    + "certificate that signed the ACME server's TLS certificate into caBundle (base64 of the PEM) instead");
        }
        Optional<String> caBundle = a.string("caBundle");
        if (!options.trustedCertificates().isEmpty()) {
            b.trustedCertificates(options.trustedCertificates().toArray(X509Certificate[]::new));
        } else if (caBundle.isPresent()) {
            List<X509Certificate> anchors = certificates(a, "caBundle", caBundle.get());
            wrap(a, "caBundle", () -> b.trustedCertificates(anchors.toArray(X509Certificate[]::new)));
        }
        a.unsupported("disableAccountKeyGeneration", "the account key is generated when the store has none; remove it");
        a.unsupported("enableDurationFeature", "the requested duration is not sent to the CA; remove it");
        a.unsupported("profile", "ACME profiles are not requested yet; remove it");
        List<YamlObject> list = a.objects("solvers");
        for (int i = 0; i < list.size(); i++) {
            solver(list.get(i), ctx, i);
        }
        a.done();
        try {
            return b.build();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw a.error(e.getMessage());
        }
    }

    private static List<X509Certificate> certificates(YamlObject o, String key, String base64Pem) {
        try {
            byte[] pem = Base64.getMimeDecoder().decode(base64Pem);
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw o.error(key, "holds no certificate: give the base64 of a PEM bundle");
            }
            return out;
        } catch (IllegalArgumentException e) {
            if (e instanceof ManifestException m) {
                throw m;
            }
            throw o.error(key, "is not base64: give the base64 of a PEM bundle (base64 -w0 ca.pem)");
        } catch (CertificateException e) {
            throw o.error(key, "is not a PEM certificate bundle: " + e.getMessage());
        }
    }

    private void solver(YamlObject s, IssuerContext ctx, int index) {
        SolverSelector selector = SolverSelector.any();
        Optional<YamlObject> sel = s.object("selector");
        if (sel.isPresent()) {
            YamlObject x = sel.get();
            List<String> names = x.strings("dnsNames");
            List<String> zones = x.strings("dnsZones");
            Map<String, String> labels = x.stringMap("matchLabels");
            x.done();
            selector = wrapGet(s, "selector", () -> new SolverSelector(new LinkedHashSet<>(names), new LinkedHashSet<>(zones), labels));
        }
        boolean dns = s.has("dns01");
        boolean http = s.has("http01");
        if (dns == http) {
            throw s.error("set exactly one of dns01 and http01");
        }
        Solver solver = dns ? dns01(s.object("dns01").orElseThrow(), ctx, index) : http01(s.object("http01").orElseThrow(), ctx);
        s.done();
        solvers.add(new SolverSet.Entry(selector, solver));
    }

    private Solver dns01(YamlObject d, IssuerContext ctx, int index) {
        for (String p : List.of("route53", "cloudDNS", "azureDNS", "acmeDNS", "akamai", "digitalocean", "webhook")) {
            d.unsupported(p, "the DNS-01 providers read from manifests are cloudflare and rfc2136; for " + p
                    + " implement dev.autocert4j.solver.dns.DnsProvider and configure Dns01Solver in code");
        }
        boolean cf = d.has("cloudflare");
        boolean rfc = d.has("rfc2136");
        if (cf == rfc) {
            throw d.error("set exactly one DNS provider: cloudflare or rfc2136");
        }
        DnsProvider provider = cf ? cloudflare(d.object("cloudflare").orElseThrow(), ctx) : rfc2136(d.object("rfc2136").orElseThrow(), ctx);
        Dns01Solver.Builder b = Dns01Solver.builder().provider(provider).id(ctx.id + " solvers[" + index + "]");
        d.string("cnameStrategy").ifPresent(c -> b.cnameStrategy(switch (c) {
            case "None" -> CnameStrategy.NONE;
            case "Follow" -> CnameStrategy.FOLLOW;
            default -> throw d.error("cnameStrategy", "'" + c + "' is not supported: use None or Follow");
        }));
        d.done();
        options.dns01Customizer().accept(b);
        return wrapGet(d, "", () -> b.build());
    }

    private DnsProvider cloudflare(YamlObject c, IssuerContext ctx) {
        Optional<String> email = c.string("email");
        Optional<YamlObject> keyRef = c.object("apiKeySecretRef");
        Optional<YamlObject> tokenRef = c.object("apiTokenSecretRef");
        if (keyRef.isPresent() == tokenRef.isPresent()) {
            throw c.error("set exactly one of apiTokenSecretRef (an API token; recommended) and apiKeySecretRef (the global API key, with email)");
        }
        CloudflareDnsProvider.Builder b = CloudflareDnsProvider.builder();
        if (tokenRef.isPresent()) {
            String token = secret(tokenRef.get(), ctx.secretNamespace, true, null);
            wrap(c, "apiTokenSecretRef", () -> b.apiToken(token));
        } else {
            String mail = email.orElseThrow(() -> c.error("email", "is required with apiKeySecretRef: the Cloudflare account's email"));
            String key = secret(keyRef.get(), ctx.secretNamespace, true, null);
            wrap(c, "apiKeySecretRef", () -> b.apiKey(key, mail));
        }
        options.cloudflareBaseUrl().ifPresent(b::baseUrl);
        c.done();
        return wrapGet(c, "", () -> b.build());
    }

    private DnsProvider rfc2136(YamlObject r, IssuerContext ctx) {
        String ns = r.requiredString("nameserver");
        InetSocketAddress address = ipAndPort(ns);
        if (address == null) {
            throw r.error("nameserver", "'" + ns + "' is not an IP address with an optional port: write 192.0.2.1:53 or [2001:db8::1]:53");
        }
        Rfc2136DnsProvider.Builder b = Rfc2136DnsProvider.builder().nameserver(address);
        Optional<String> keyName = r.string("tsigKeyName");
        String algorithm = r.string("tsigAlgorithm").orElse("HMACMD5");
        String javaAlgorithm = switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "HMACMD5" -> "hmac-md5";
            case "HMACSHA1" -> "hmac-sha1";
            case "HMACSHA256" -> "hmac-sha256";
            case "HMACSHA512" -> "hmac-sha512";
            default -> throw r.error("tsigAlgorithm", "'" + algorithm + "' is not supported: use HMACMD5, HMACSHA1, HMACSHA256 or HMACSHA512");
        };
        Optional<YamlObject> secretRef = r.object("tsigSecretSecretRef");
        if (keyName.isPresent() != secretRef.isPresent()) {
            throw r.error("set both tsigKeyName and tsigSecretSecretRef, or neither");
        }
        if (keyName.isPresent()) {
            String secret = secret(secretRef.get(), ctx.secretNamespace, true, null);
            wrap(r, "tsigSecretSecretRef", () -> b.tsigKey(keyName.get(), javaAlgorithm, secret));
        }
        r.unsupported("protocol", "updates are sent as the DNS library chooses; remove protocol");
        r.done();
        return wrapGet(r, "", () -> b.build());
    }

    /** An IP literal with an optional port (53 if absent), never a host name (no DNS lookup); null if malformed. */
    static InetSocketAddress ipAndPort(String text) {
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = rest.substring(1);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        boolean v4 = IPV4.matcher(host).matches();
        boolean v6 = host.contains(":") && IPV6.matcher(host).matches();
        if (!v4 && !v6) {
            return null;
        }
        int p = 53;
        if (port != null) {
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
                return null;
            }
            p = Integer.parseInt(port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (IOException e) {
            return null;
        }
    }

    private Solver http01(YamlObject h, IssuerContext ctx) {
        h.unsupported("gatewayHTTPRoute", "only http01.ingress is read; route the challenge path to the application yourself");
        YamlObject i = h.object("ingress").orElseThrow(() -> h.error("ingress", "is required"));
        Optional<String> name = i.string("name");
        Optional<String> cls = i.string("class");
        Optional<String> className = i.string("ingressClassName");
        Optional<String> serviceType = i.string("serviceType");
        serviceType.filter(t -> !t.equals("NodePort") && !t.equals("ClusterIP")).ifPresent(t -> {
            throw i.error("serviceType", "'" + t + "' is not supported: use NodePort or ClusterIP");
        });
        Map<String, String> labels = Map.of();
        Map<String, String> annotations = Map.of();
        Optional<YamlObject> template = i.object("ingressTemplate");
        if (template.isPresent()) {
            YamlObject meta = template.get().object("metadata").orElseThrow(() -> template.get().error("metadata", "is required"));
            labels = meta.stringMap("labels");
            annotations = meta.stringMap("annotations");
            meta.done();
            template.get().done();
        }
        i.unsupported("podTemplate", "there is no solver pod: the application answers the challenge itself; remove podTemplate");
        i.done();
        h.done();
        Http01IngressConfig config;
        try {
            config = new Http01IngressConfig(ctx.name, Optional.ofNullable(ctx.namespace), name, cls, className, serviceType, labels, annotations);
        } catch (IllegalArgumentException e) {
            throw h.error("ingress", e.getMessage());
        }
        Http01SolverFactory factory = options.http01Solvers().orElseThrow(() -> h.error("ingress",
                "needs an HTTP-01 solver: pass ManifestOptions.builder().http01Solvers(Http01SolverFactory.ingress(client, "
                        + "namespace, service, port, b -> { })), or a factory of your own that returns the solver answering "
                        + "/.well-known/acme-challenge/ for this Ingress"));
        Solver solver;
        try {
            solver = requireNonNullSolver(h, factory.create(config));
        } catch (ManifestException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw h.error("ingress", e.getMessage());
        }
        if (solver.challengeType() != ChallengeType.HTTP_01) {
            throw h.error("ingress", "the http01Solvers factory returned a " + solver.challengeType().acmeName() + " solver: return an HTTP-01 one");
        }
        return solver;
    }

    private static Solver requireNonNullSolver(YamlObject at, Solver solver) {
        if (solver == null) {
            throw at.error("ingress", "the http01Solvers factory returned null: return a solver");
        }
        return solver;
    }

    // ---- CA ----

    private dev.autocert4j.issuer.Issuer ca(YamlObject c, IssuerContext ctx) {
        String secretName = c.requiredString("secretName");
        for (String f : List.of("crlDistributionPoints", "ocspServers", "issuingCertificateURLs")) {
            c.unsupported(f, "issued certificates carry no " + f + "; remove it");
        }
        c.done();
        CaIssuer.Builder b = CaIssuer.builder(ctx.name);
        if (ctx.namespace != null) {
            b.namespace(ctx.namespace);
        }
        Optional<Certificate> inFile = certificates.stream()
                .filter(cert -> cert.secretName().equals(secretName) && cert.namespace().equals(ctx.secretNamespace)).findFirst();
        if (inFile.isPresent()) {
            b.secret(inFile.get());
        } else {
            String crt = lookUp(c, new SecretRef(ctx.secretNamespace, secretName, "tls.crt"));
            String key = lookUp(c, new SecretRef(ctx.secretNamespace, secretName, "tls.key"));
            try {
                List<X509Certificate> chain = PemKeys.certificates(crt);
                b.signingKey(PemKeys.keyPair(key, chain.get(0)), chain);
            } catch (IllegalArgumentException e) {
                throw c.error("secretName", "secret " + ctx.secretNamespace + "/" + secretName + ": " + e.getMessage());
            }
        }
        return wrapGet(c, "", () -> b.build());
    }
}
