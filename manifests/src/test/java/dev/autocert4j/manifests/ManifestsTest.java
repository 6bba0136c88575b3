package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerKind;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.KeyAlgorithm;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.KeyUsage;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.RotationPolicy;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.issuer.CaIssuer;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.solver.SolverSelector;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.cloudflare.CloudflareDnsProvider;
import dev.autocert4j.solver.dns.rfc2136.Rfc2136DnsProvider;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed's manifests, verbatim and in v1 form, and what each field maps to. */
class ManifestsTest {
    static final String KEY = dev.autocert4j.testing.support.KnownSecrets.register("seed-global-key-fedcba9876543210");
    static final ManifestOptions SEED_SECRETS = ManifestOptions.builder()
            .secrets(SecretResolver.environment(Map.of("CLOUDFLARE_APIKEY_APIKEY", KEY))).build();

    static Path resource(String dir, String name) {
        try {
            return Path.of(ManifestsTest.class.getResource("/" + dir + "/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed", "v1"})
    void loadsTheSeedDns01ClusterIssuerWithTheCloudflareGlobalKey(String dir) throws Exception {
        Manifests m = Manifests.load(resource(dir, "dns01-clusterissuer.yaml"), SEED_SECRETS);

        assertThat(m.issuers()).singleElement().isInstanceOfSatisfying(AcmeIssuer.class, acme -> {
            assertThat(acme.name()).isEqualTo("letsencrypt-dns01");
            assertThat(acme.scope().kind()).isEqualTo(IssuerKind.CLUSTER_ISSUER);
            assertThat(acme.directory()).isEqualTo(AcmeIssuer.LETS_ENCRYPT);
            assertThat(acme.accountKeyRef().name()).isEqualTo("letsencrypt-dns01");
            assertThat(acme.email()).contains("roc@imroc.io");
        });
        SolverSet.Entry entry = m.solvers().get(0);
        assertThat(m.solvers()).hasSize(1);
        assertThat(entry.selector()).isEqualTo(SolverSelector.any());
        assertThat(entry.solver()).isInstanceOfSatisfying(Dns01Solver.class, dns -> {
            assertThat(dns.provider()).isInstanceOf(CloudflareDnsProvider.class);
            assertThat(dns.solverId()).isEqualTo("ClusterIssuer letsencrypt-dns01 solvers[0]");
        });
        assertThat(m.certificates()).isEmpty();
        assertThat(m.toString() + entry.solver() + ((Dns01Solver) entry.solver()).provider()).doesNotContain(KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed", "v1"})
    void loadsTheSeedCertificate(String dir) throws Exception {
        Manifests m = Manifests.load(resource(dir, "certificate.yaml"));

        Certificate c = m.certificate("kubernetes-dashboard", "dashboard-imroc-io").orElseThrow();
        assertThat(c.secretName()).isEqualTo("dashboard-imroc-io-tls");
        // The seed gives no group: kept as written, for the Secret's cert-manager.io/issuer-group.
        assertThat(c.issuerRef()).isEqualTo(IssuerRef.asWritten("letsencrypt-dns01", "ClusterIssuer", ""));
        assertThat(c.dnsNames()).containsExactly("dashboard.imroc.io");
        // cert-manager's defaults, not the library's: RSA 2048, PKCS1, rotated on each issuance
        assertThat(c.privateKey()).isEqualTo(new PrivateKeySpec(KeyAlgorithm.RSA, 2048, KeyEncoding.PKCS1, RotationPolicy.ALWAYS));
        assertThat(m.issuers()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"seed", "v1"})
    void handsTheSeedIngressSettingsToTheHttp01Factory(String dir) throws Exception {
        List<Http01IngressConfig> seen = new ArrayList<>();
        ManifestOptions options = ManifestOptions.builder().http01Solvers(config -> {
            seen.add(config);
            return Http01Solver.builder().mounted().build();
        }).build();

        Manifests byName = Manifests.load(resource(dir, "http01-clusterissuer-ingress-name.yaml"), options);
        Manifests byClass = Manifests.load(resource(dir, "http01-clusterissuer-ingress-class.yaml"), options);

        assertThat(seen).extracting(Http01IngressConfig::issuerName).containsExactly("letsencrypt-http01", "letsencrypt-http01");
        assertThat(seen.get(0).name()).contains("challenge");
        assertThat(seen.get(0).ingressClass()).isEmpty();
        assertThat(seen.get(1).ingressClass()).contains("nginx");
        assertThat(seen.get(1).namespace()).isEmpty();
        assertThat(byName.solvers()).singleElement().extracting(SolverSet.Entry::solver).isInstanceOf(Http01Solver.class);
        assertThat(((AcmeIssuer) byClass.issuers().get(0)).accountKeyRef().name()).isEqualTo("letsencrypt-http01");
    }

    @Test
    void refusesTheTwoSeedHttp01IssuersTogetherBecauseTheyShareAName() {
        ManifestOptions options = ManifestOptions.builder().http01Solvers(c -> Http01Solver.builder().mounted().build()).build();

        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.load(List.of(
                resource("seed", "http01-clusterissuer-ingress-name.yaml"), resource("seed", "http01-clusterissuer-ingress-class.yaml")), options));

        assertThat(e.source()).endsWith("http01-clusterissuer-ingress-class.yaml");
        assertThat(e.problem()).contains("ClusterIssuer letsencrypt-http01 is already defined");
    }

    /**
     * The manager that {@code applyTo} configures gives each issuer its own solvers: a wildcard of
     * the DNS-01 issuer gets past solver selection (and fails only at the CA, which is a closed local
     * port here), while the same wildcard of the HTTP-01 issuer is refused before anything is
     * ordered, because the DNS-01 solver is not that issuer's. Solvers wired to every issuer, or to
     * none, fail one of the two.
     */
    @Test
    void theSeedIssuersConfigureAManagerThatGivesEachIssuerItsOwnSolvers() throws Exception {
        URI unreachableCa;
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            unreachableCa = URI.create("https://127.0.0.1:" + closed.getLocalPort() + "/dir");
        }
        ManifestOptions options = ManifestOptions.builder().secrets(SEED_SECRETS.secrets()).acmeServerOverride(unreachableCa)
                .http01Solvers(c -> Http01Solver.builder().mounted().build()).build();
        Manifests m = Manifests.load(List.of(resource("seed", "dns01-clusterissuer.yaml"),
                resource("seed", "http01-clusterissuer-ingress-name.yaml"), resource("seed", "certificate.yaml")), options);
        Certificate seed = m.certificate("kubernetes-dashboard", "dashboard-imroc-io").orElseThrow();
        Certificate dnsWildcard = Certificate.builder("wild-dns").dnsNames("*.imroc.io")
                .issuerRef(IssuerRef.clusterIssuer("letsencrypt-dns01")).build();
        Certificate httpWildcard = Certificate.builder("wild-http").dnsNames("*.imroc.io")
                .issuerRef(IssuerRef.clusterIssuer("letsencrypt-http01")).build();

        assertThat(m.certificates()).extracting(Certificate::id).containsExactly("kubernetes-dashboard/dashboard-imroc-io");
        try (CertificateManager manager = m.applyTo(CertificateManager.builder()).store(new InMemoryCertificateStore()).build()) {
            assertThatThrownBy(() -> manager.obtain(httpWildcard)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("*.imroc.io");
            assertThatThrownBy(() -> manager.obtain(dnsWildcard)).as("solved by the DNS-01 issuer's own solver")
                    .isInstanceOf(dev.autocert4j.AutocertException.class).hasMessageContaining(unreachableCa.getAuthority());
            assertThatThrownBy(() -> manager.obtain(seed)).as("the seed certificate, through the seed's DNS-01 issuer")
                    .isInstanceOf(dev.autocert4j.AutocertException.class).hasMessageContaining(unreachableCa.getAuthority());
        }
    }

    @Test
    void eachSeedIssuerKeepsItsOwnSolversWhenLoadedTogether() throws Exception {
        ManifestOptions options = ManifestOptions.builder().secrets(SEED_SECRETS.secrets())
                .http01Solvers(c -> Http01Solver.builder().mounted().build()).build();
        Manifests m = Manifests.load(List.of(resource("seed", "dns01-clusterissuer.yaml"),
                resource("seed", "http01-clusterissuer-ingress-name.yaml"), resource("seed", "certificate.yaml")), options);

        Issuer dns01 = m.issuers().stream().filter(i -> i.name().equals("letsencrypt-dns01")).findFirst().orElseThrow();
        Issuer http01 = m.issuers().stream().filter(i -> i.name().equals("letsencrypt-http01")).findFirst().orElseThrow();
        assertThat(m.solvers(dns01)).singleElement().extracting(SolverSet.Entry::solver).isInstanceOf(Dns01Solver.class);
        assertThat(m.solvers(http01)).singleElement().extracting(SolverSet.Entry::solver).isInstanceOf(Http01Solver.class);
        m.applyTo(CertificateManager.builder()).store(new InMemoryCertificateStore()).build().close();
    }

    @Test
    void findsASecretInASecretDocumentOfTheSameFile() {
        String yaml = """
                apiVersion: v1
                kind: Secret
                type: Opaque
                metadata:
                  name: cloudflare-apikey
                  namespace: cert-manager
                data:
                  api-key: %s
                ---
                """.formatted(java.util.Base64.getEncoder().encodeToString(KEY.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                + BrokenManifestsTest.DNS01_ISSUER;

        Manifests m = Manifests.parse(yaml, "with-secret.yaml", ManifestOptions.builder().secrets(ref -> java.util.Optional.empty()).build());

        assertThat(m.issuers()).hasSize(1);
        assertThat(m.solvers()).hasSize(1);
    }

    @Test
    void aSecretInAnotherNamespaceIsNotFoundForAClusterIssuer() {
        String yaml = """
                apiVersion: v1
                kind: Secret
                metadata:
                  name: cloudflare-apikey
                  namespace: default
                stringData:
                  api-key: whatever
                ---
                """ + BrokenManifestsTest.DNS01_ISSUER;

        assertThatThrownBy(() -> Manifests.parse(yaml, "x.yaml", ManifestOptions.builder().secrets(ref -> java.util.Optional.empty()).build()))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("secret cert-manager/cloudflare-apikey key api-key was not found")
                .hasMessageNotContaining("whatever");
    }

    @Test
    void mapsEveryCertificateField() {
        String yaml = """
                apiVersion: cert-manager.io/v1
                kind: Certificate
                metadata:
                  name: api
                  namespace: prod
                  labels:
                    team: payments
                  annotations:
                    kubectl.kubernetes.io/last-applied-configuration: "{}"
                  resourceVersion: "42"
                spec:
                  secretName: api-tls
                  issuerRef:
                    name: internal-ca
                    kind: Issuer
                    group: cert-manager.io
                  commonName: api.example.com
                  dnsNames: [api.example.com, "*.api.example.com"]
                  ipAddresses: [192.0.2.10]
                  duration: 720h
                  renewBefore: 1h30m
                  isCA: false
                  usages: [digital signature, key encipherment, server auth, client auth]
                  privateKey:
                    algorithm: ECDSA
                    size: 384
                    encoding: PKCS8
                    rotationPolicy: Never
                status:
                  conditions: []
                """;

        Certificate c = Manifests.parse(yaml, "api.yaml", ManifestOptions.defaults()).certificates().get(0);

        assertThat(c.id()).isEqualTo("prod/api");
        assertThat(c.labels()).containsExactly(Map.entry("team", "payments"));
        assertThat(c.issuerRef()).isEqualTo(IssuerRef.issuer("internal-ca"));
        assertThat(c.commonName()).contains("api.example.com");
        assertThat(c.dnsNames()).containsExactly("api.example.com", "*.api.example.com");
        assertThat(c.ipAddresses()).containsExactly("192.0.2.10");
        assertThat(c.duration()).isEqualTo(Duration.ofHours(720));
        assertThat(c.renewBefore()).contains(Duration.ofMinutes(90));
        assertThat(c.usages()).containsExactlyInAnyOrder(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.KEY_ENCIPHERMENT,
                KeyUsage.SERVER_AUTH, KeyUsage.CLIENT_AUTH);
        assertThat(c.privateKey()).isEqualTo(new PrivateKeySpec(KeyAlgorithm.ECDSA, 384, KeyEncoding.PKCS8, RotationPolicy.NEVER));
    }

    /** The field as cert-manager's docs show it (usage/certificate "Additional Certificate Output Formats"). */
    @Test
    void mapsAdditionalOutputFormatsAndRefusesAnUnknownType() {
        String yaml = """
                apiVersion: cert-manager.io/v1
                kind: Certificate
                metadata:
                  name: api
                spec:
                  secretName: api-tls
                  issuerRef:
                    name: internal-ca
                  dnsNames: [api.example.com]
                  additionalOutputFormats:
                  - type: CombinedPEM
                  - type: DER
                """;

        Certificate c = Manifests.parse(yaml, "api.yaml", ManifestOptions.defaults()).certificates().get(0);

        assertThat(c.additionalOutputFormats()).containsExactlyInAnyOrder(dev.autocert4j.OutputFormat.COMBINED_PEM,
                dev.autocert4j.OutputFormat.DER);
        assertThatThrownBy(() -> Manifests.parse(yaml.replace("type: DER", "type: PKCS12"), "api.yaml", ManifestOptions.defaults()))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("additionalOutputFormats[1]").hasMessageContaining("use CombinedPEM or DER");
    }

    @Test
    void readsV1alpha2KeyFieldsAndRenewBeforePercentage() {
        String yaml = """
                apiVersion: cert-manager.io/v1alpha2
                kind: Certificate
                metadata:
                  name: old
                spec:
                  secretName: old-tls
                  issuerRef:
                    name: selfsigned
                  dnsNames: [old.example.com]
                  keyAlgorithm: ecdsa
                  keySize: 256
                  renewBeforePercentage: 25
                """;

        Certificate c = Manifests.parse(yaml, "old.yaml", ManifestOptions.defaults()).certificates().get(0);

        assertThat(c.namespace()).isEqualTo("default");
        assertThat(c.privateKey().algorithm()).isEqualTo(KeyAlgorithm.ECDSA);
        assertThat(c.privateKey().size()).isEqualTo(256);
        assertThat(c.renewBeforePercentage()).hasValue(25);
        assertThat(c.issuerRef().kind()).isEqualTo(IssuerKind.ISSUER);
    }

    @Test
    void mapsAnAcmeIssuerWithSelectorsRfc2136EabCnameFollowAndServerOverride() {
        String yaml = """
                apiVersion: cert-manager.io/v1
                kind: Issuer
                metadata:
                  name: zerossl
                  namespace: prod
                spec:
                  acme:
                    server: https://acme.zerossl.com/v2/DV90
                    email: ops@example.com
                    preferredChain: "ISRG Root X1"
                    skipTLSVerify: false
                    privateKeySecretRef:
                      name: zerossl-account
                    externalAccountBinding:
                      keyID: kid-1
                      keySecretRef:
                        name: zerossl-eab
                        key: secret
                    solvers:
                    - selector:
                        dnsZones: [example.com]
                        matchLabels:
                          dns: rfc2136
                      dns01:
                        cnameStrategy: Follow
                        rfc2136:
                          nameserver: 127.0.0.1:5353
                          tsigKeyName: acme-update
                          tsigAlgorithm: HMACSHA256
                          tsigSecretSecretRef:
                            name: tsig
                            key: secret
                    - selector:
                        dnsNames: [www.example.com]
                      http01:
                        ingress:
                          ingressClassName: nginx
                          serviceType: ClusterIP
                          ingressTemplate:
                            metadata:
                              labels: {team: web}
                              annotations: {a: b}
                """;
        Map<SecretRef, String> secrets = Map.of(
                new SecretRef("prod", "zerossl-eab", "secret"), "c2VjcmV0LWhtYWMta2V5LW9mLWF0LWxlYXN0LTE2LWJ5dGVz",
                new SecretRef("prod", "tsig", "secret"), "dGhpcyBpcyBhIHRzaWcga2V5IHNlY3JldA==");
        List<Http01IngressConfig> seen = new ArrayList<>();
        ManifestOptions options = ManifestOptions.builder()
                .secrets(ref -> java.util.Optional.ofNullable(secrets.get(ref)))
                .acmeServerOverride(URI.create("https://127.0.0.1:14000/dir"))
                .http01Solvers(c -> {
                    seen.add(c);
                    return Http01Solver.builder().mounted().build();
                }).build();

        Manifests m = Manifests.parse(yaml, "zerossl.yaml", options);

        AcmeIssuer acme = (AcmeIssuer) m.issuers().get(0);
        assertThat(acme.scope().namespace()).contains("prod");
        assertThat(acme.directory()).isEqualTo(URI.create("https://127.0.0.1:14000/dir"));
        assertThat(acme.email()).contains("ops@example.com");
        assertThat(m.solvers()).hasSize(2);
        assertThat(m.solvers().get(0).selector()).isEqualTo(new SolverSelector(Set.of(), Set.of("example.com"), Map.of("dns", "rfc2136")));
        assertThat(((Dns01Solver) m.solvers().get(0).solver()).provider()).isInstanceOf(Rfc2136DnsProvider.class);
        assertThat(m.solvers().get(0).solver().toString()).contains("FOLLOW");
        assertThat(m.solvers().get(1).selector().dnsNames()).containsExactly("www.example.com");
        assertThat(seen).singleElement().satisfies(c -> {
            assertThat(c.namespace()).contains("prod");
            assertThat(c.ingressClassName()).contains("nginx");
            assertThat(c.serviceType()).contains("ClusterIP");
            assertThat(c.templateLabels()).containsEntry("team", "web");
            assertThat(c.templateAnnotations()).containsEntry("a", "b");
        });
    }

    @Test
    void mapsSelfSignedAndCaIssuersWithTheCaFromACertificateInTheSameFile() {
        String yaml = """
                apiVersion: cert-manager.io/v1
                kind: ClusterIssuer
                metadata:
                  name: selfsigned
                spec:
                  selfSigned:
                ---
                apiVersion: cert-manager.io/v1
                kind: Certificate
                metadata:
                  name: root
                  namespace: cert-manager
                spec:
                  isCA: true
                  commonName: root.example.test
                  dnsNames: [root.example.test]
                  secretName: root-ca
                  issuerRef:
                    name: selfsigned
                    kind: ClusterIssuer
                ---
                apiVersion: cert-manager.io/v1
                kind: ClusterIssuer
                metadata:
                  name: internal
                spec:
                  ca:
                    secretName: root-ca
                """;

        Manifests m = Manifests.parse(yaml, "ca.yaml", ManifestOptions.defaults());

        assertThat(m.issuers()).hasSize(2);
        assertThat(m.issuers().get(0)).isInstanceOf(SelfSignedIssuer.class);
        assertThat(m.issuers().get(1)).isInstanceOfSatisfying(CaIssuer.class,
                ca -> assertThat(ca.secret()).contains(m.certificate("cert-manager", "root").orElseThrow()));
        assertThat(m.certificate("cert-manager", "root").orElseThrow().isCA()).isTrue();
    }

    @Test
    void skipsEmptyDocumentsAndCountsThemInErrors() {
        // an empty document, then the broken one (a leading --- opens the first document)
        String yaml = "---\n---\n" + BrokenManifestsTest.cert("kind: Certificate", "kind: Nope");

        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parse(yaml, "e.yaml", ManifestOptions.defaults()));

        assertThat(e.document()).isEqualTo(2);
        assertThat(e.line()).isEqualTo(4);
    }

    @Test
    void acceptsOnlyIpLiteralsAsRfc2136Nameservers() {
        assertThat(SolverReader.ipAndPort("192.0.2.1")).isEqualTo(new java.net.InetSocketAddress("192.0.2.1", 53));
        assertThat(SolverReader.ipAndPort("192.0.2.1:5353").getPort()).isEqualTo(5353);
        assertThat(SolverReader.ipAndPort("[2001:db8::1]:53").getAddress().getHostAddress()).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(SolverReader.ipAndPort("2001:db8::1").getPort()).isEqualTo(53);
        assertThat(SolverReader.ipAndPort("ns1.example.com")).isNull();
        assertThat(SolverReader.ipAndPort("cafe.bad:53")).isNull();
        assertThat(SolverReader.ipAndPort("192.0.2.1:70000")).isNull();
        assertThat(SolverReader.ipAndPort("256.0.0.1")).isNull();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"ECDSA, 521", "RSA, 8192", "RSA, 6144"})
    void readsTheKeySizesCertManagerGenerates(String algorithm, int size) {
        String yaml = BrokenManifestsTest.cert("  secretName: web-tls",
                "  secretName: web-tls\n  privateKey:\n    algorithm: " + algorithm + "\n    size: " + size);

        Certificate c = Manifests.parse(yaml, "k.yaml", ManifestOptions.defaults()).certificates().get(0);

        assertThat(c.privateKey().algorithm()).isEqualTo(KeyAlgorithm.valueOf(algorithm));
        assertThat(c.privateKey().size()).isEqualTo(size);
    }

    @Test
    void parsesGoDurations() {
        assertThat(GoDuration.parse("2160h")).isEqualTo(Duration.ofDays(90));
        assertThat(GoDuration.parse("360h0m0s")).isEqualTo(Duration.ofDays(15));
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse("90s500ms")).isEqualTo(Duration.ofMillis(90_500));
        assertThat(GoDuration.parse("90d")).isNull();
        assertThat(GoDuration.parse("h")).isNull();
        assertThat(GoDuration.parse("10")).isNull();
    }
}
