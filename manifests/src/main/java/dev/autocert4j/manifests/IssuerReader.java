package dev.autocert4j.manifests;

import static dev.autocert4j.manifests.Fields.wrap;
import static dev.autocert4j.manifests.Fields.wrapGet;

import dev.autocert4j.Certificate;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.issuer.CaIssuer;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.solver.SolverSet;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code Issuer} and {@code ClusterIssuer} documents: ACME, self-signed and CA. One instance per load; not thread-safe. */
final class IssuerReader {
    private final ManifestOptions options;
    private final Secrets secrets;
    private final SolverReader solverReader;
    private final Map<String, Integer> issuerDocs = new HashMap<>();

    /**
     * An issuer as read.
     *
     * @param solvers its own solvers, in order: those of {@code spec.acme.solvers}, else none
     */
    record Read(Issuer issuer, List<SolverSet.Entry> solvers) {
    }

    IssuerReader(ManifestOptions options, Secrets secrets, SolverReader solverReader) {
        this.options = options;
        this.secrets = secrets;
        this.solverReader = solverReader;
    }

    /** Reads an {@code Issuer} or {@code ClusterIssuer}. */
    Read read(ManifestReader.Parsed p, List<Certificate> certificates) {
        YamlObject root = p.root();
        ManifestReader.Meta meta = ManifestReader.metadata(root);
        boolean cluster = p.kind().equals("ClusterIssuer");
        if (cluster && meta.namespace().isPresent()) {
            throw root.doc().error(root.node(), "metadata.namespace", "a ClusterIssuer belongs to no namespace: remove metadata.namespace");
        }
        String namespace = cluster ? null : meta.namespace().orElse("default");
        String id = p.kind() + " " + (cluster ? "" : namespace + "/") + meta.name();
        Integer earlier = issuerDocs.putIfAbsent(id, root.doc().number());
        if (earlier != null) {
            throw root.error("metadata", id + " is already defined in document " + earlier
                    + ": give each issuer a distinct name, or load the files separately");
        }
        IssuerContext ctx = new IssuerContext(meta.name(), namespace, cluster ? options.clusterResourceNamespace() : namespace, id);
        YamlObject spec = root.object("spec").orElseThrow(() -> root.error("spec", "is required"));
        root.done();
        spec.unsupported("vault", "use an ACME, selfSigned or ca issuer, or implement dev.autocert4j.issuer.Issuer");
        spec.unsupported("venafi", "use an ACME, selfSigned or ca issuer, or implement dev.autocert4j.issuer.Issuer");
        int types = (spec.has("acme") ? 1 : 0) + (spec.written("selfSigned") ? 1 : 0) + (spec.has("ca") ? 1 : 0);
        if (types != 1) {
            throw spec.error("set exactly one of acme, selfSigned and ca");
        }
        Read read;
        if (spec.has("acme")) {
            List<SolverSet.Entry> solvers = new ArrayList<>();
            read = new Read(acme(spec.object("acme").orElseThrow(), ctx, solvers), solvers);
        } else if (spec.has("ca")) {
            read = new Read(ca(spec.object("ca").orElseThrow(), ctx, certificates), List.of());
        } else {
            spec.raw("selfSigned").ifPresent(n -> {
                YamlObject s = YamlObject.of(spec.doc(), spec.child("selfSigned"), n);
                s.unsupported("crlDistributionPoints", "self-signed certificates carry no CRL distribution points; remove it");
                s.done();
            });
            SelfSignedIssuer.Builder b = SelfSignedIssuer.builder(meta.name());
            if (!cluster) {
                b.namespace(namespace);
            }
            read = new Read(b.build(), List.of());
        }
        spec.done();
        return read;
    }

    private Issuer acme(YamlObject a, IssuerContext ctx, List<SolverSet.Entry> solvers) {
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
        AcmeIssuer.Builder b = AcmeIssuer.builder(ctx.name());
        if (ctx.namespace() != null) {
            b.namespace(ctx.namespace());
        }
        b.directory(options.acmeServerOverride().orElse(directory));
        // pkg/issuer/acme/setup.go createAccountPrivateKey: RSA 2048, the only account key its ACME issuer accepts,
        // in every store, so the key can go back to cert-manager (a key already stored is used as it is)
        b.accountKey(PrivateKeySpec.rsa(2048));
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
            String hmac = secrets.value(ref, ctx.secretNamespace(), true, null);
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
        // the CRD's default (+kubebuilder:default=ARI), so every stored ACME issuer has it: ARI is what autocert4j does
        a.string("renewalInformationSource").filter(ri -> !ri.equals("ARI")).ifPresent(ri -> {
            throw a.error("renewalInformationSource", "'" + ri + "' is not supported: ACME Renewal Information is always "
                    + "used when the CA offers it; remove renewalInformationSource or set it to ARI");
        });
        a.unsupported("disableAccountKeyGeneration", "the account key is generated when the store has none; remove it");
        a.unsupported("enableDurationFeature", "the requested duration is not sent to the CA; remove it");
        a.unsupported("profile", "ACME profiles are not requested yet; remove it");
        List<YamlObject> list = a.objects("solvers");
        for (int i = 0; i < list.size(); i++) {
            solvers.add(solverReader.read(list.get(i), ctx, i));
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

    private Issuer ca(YamlObject c, IssuerContext ctx, List<Certificate> certificates) {
        String secretName = c.requiredString("secretName");
        for (String f : List.of("crlDistributionPoints", "ocspServers", "issuingCertificateURLs")) {
            c.unsupported(f, "issued certificates carry no " + f + "; remove it");
        }
        c.done();
        CaIssuer.Builder b = CaIssuer.builder(ctx.name());
        if (ctx.namespace() != null) {
            b.namespace(ctx.namespace());
        }
        Optional<Certificate> inFile = certificates.stream()
                .filter(cert -> cert.secretName().equals(secretName) && cert.namespace().equals(ctx.secretNamespace())).findFirst();
        if (inFile.isPresent()) {
            b.secret(inFile.get());
        } else {
            String crt = secrets.value(c, new SecretRef(ctx.secretNamespace(), secretName, "tls.crt"));
            String key = secrets.value(c, new SecretRef(ctx.secretNamespace(), secretName, "tls.key"));
            // pkg/util/kube/pki.go SecretTLSKeyPairAndCA: the CA's chain is tls.crt followed by ca.crt, so that an
            // intermediate CA's root becomes the issued Secret's ca.crt (pki.ParseSingleCertificateChain)
            Optional<String> caCrt = secrets.optionalValue(c, new SecretRef(ctx.secretNamespace(), secretName, "ca.crt"))
                    .filter(pem -> !pem.isBlank());
            try {
                List<X509Certificate> chain = new ArrayList<>(PemKeys.certificates(crt));
                if (caCrt.isPresent()) {
                    List<X509Certificate> ca;
                    try {
                        ca = PemKeys.certificates(caCrt.get());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("ca.crt is not a PEM certificate: remove it or put the CA's root there", e);
                    }
                    ca.stream().limit(1).filter(root -> !chain.contains(root)).forEach(chain::add);
                }
                b.signingKey(PemKeys.keyPair(key, chain.get(0)), chain);
            } catch (IllegalArgumentException e) {
                throw c.error("secretName", "secret " + ctx.secretNamespace() + "/" + secretName + ": " + e.getMessage());
            }
        }
        return wrapGet(c, "", () -> b.build());
    }
}
