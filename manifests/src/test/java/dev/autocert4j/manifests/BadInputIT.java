package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.KeyUsage;
import dev.autocert4j.issuer.AccountKeyRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.issuer.CaIssuer;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.SolverSelector;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.DnsProviders;
import dev.autocert4j.solver.dns.TxtRecord;
import dev.autocert4j.solver.dns.cloudflare.CloudflareDnsProvider;
import dev.autocert4j.solver.dns.cloudflare.CloudflareEmulator;
import dev.autocert4j.store.CorruptStoreException;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.PebbleServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One bad-input suite over the API, store contents and manifests. For every case: the exception
 * type, a message fragment that names the fix, failure within 5 seconds, and a file store (holding
 * an issued certificate and an account key) byte for byte as it was before. The manifest cases are
 * BrokenManifestsTest's, run again under these guarantees; the peers are real: Pebble, the
 * Cloudflare API emulator.
 */
class BadInputIT {
    private static final String KEY = dev.autocert4j.testing.support.KnownSecrets.register("0123456789abcdef0123456789abcdefbad");
    private static final Duration LIMIT = Duration.ofSeconds(5);
    private static final AccountKeyRef STORED_ACCOUNT = new AccountKeyRef("stored-account", java.util.Optional.empty());

    @TempDir
    static Path temp;
    /** The store every case starts from: one issued certificate, one account key. */
    private static Path template;
    private static PebbleServer pebble;
    private static CloudflareEmulator cloudflare;

    /** What a case does with a fresh copy of the store. */
    @FunctionalInterface
    interface Action {
        void run(Path root) throws Exception;
    }

    @BeforeAll
    static void startPeersAndFillTheStore() throws Exception {
        pebble = PebbleServer.builder().vaNoSleep(true).start();
        cloudflare = new CloudflareEmulator(null).zone("example.test").globalKey("ops@example.test", KEY);
        template = temp.resolve("template");
        FileCertificateStore store = FileCertificateStore.of(template);
        CertificateManager.builder().issuer(SelfSignedIssuer.builder("selfsigned").build()).store(store).build()
                .obtain(Certificate.builder("web").dnsNames("web.example.test").issuerRef(IssuerRef.clusterIssuer("selfsigned")).build());
        store.saveAccountKeyIfAbsent(STORED_ACCOUNT, ecKey());
    }

    @AfterAll
    static void stopPeers() {
        if (cloudflare != null) {
            cloudflare.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    private static KeyPair ecKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static Certificate.Builder cert() {
        return Certificate.builder("web").issuerRef(IssuerRef.clusterIssuer("pebble"));
    }

    private static AcmeIssuer pebbleAt(URI directory) {
        return AcmeIssuer.builder("pebble").directory(directory).trustedCertificates(pebble.tlsTrustAnchor()).build();
    }

    private static DnsProvider nowhere() {
        return new DnsProvider() {
            @Override
            public String id() {
                return "nowhere";
            }

            @Override
            public String createTxtRecord(TxtRecord record) {
                throw new AssertionError("no record is written for bad input");
            }

            @Override
            public void deleteTxtRecord(String handle) {
            }
        };
    }

    private static Dns01Solver dns01() {
        return Dns01Solver.builder().provider(nowhere()).resolvers(new InetSocketAddress("127.0.0.1", 53)).build();
    }

    private static CertificateManager manager(Path root, AcmeIssuer issuer, dev.autocert4j.solver.Solver solver) {
        return CertificateManager.builder().issuer(issuer).solver(solver).store(FileCertificateStore.of(root)).build();
    }

    private static Arguments bad(String what, Class<? extends Throwable> type, String fix, Action action) {
        return Arguments.of(what, type, fix, action);
    }

    static Stream<Arguments> badInput() {
        List<Arguments> cases = new ArrayList<>(List.of(
                // --- the API: nulls named by argument and position
                bad("a null among dnsNames", NullPointerException.class, "dnsNames[1] is null",
                        root -> cert().dnsNames("a.example.test", null)),
                bad("dnsNames given a null array", NullPointerException.class, "dnsNames is null",
                        root -> cert().dnsNames((String[]) null)),
                bad("a null in a dnsNames collection", NullPointerException.class, "dnsNames[0] is null",
                        root -> cert().dnsNames(Arrays.asList(null, "a.example.test"))),
                bad("a null among ipAddresses", NullPointerException.class, "ipAddresses[1] is null",
                        root -> cert().ipAddresses("192.0.2.1", null)),
                bad("a null among usages", NullPointerException.class, "usages[1] is null",
                        root -> cert().usages(KeyUsage.DIGITAL_SIGNATURE, null)),
                bad("a null among fallbackIssuerRefs", NullPointerException.class, "fallbackIssuerRefs[0] is null",
                        root -> cert().fallbackIssuerRefs((IssuerRef) null)),
                bad("a null among selector dnsNames", NullPointerException.class, "selector.dnsNames[1] is null",
                        root -> SolverSelector.dnsNames("a.example.test", null)),
                bad("a null among selector dnsZones", NullPointerException.class, "selector.dnsZones[0] is null",
                        root -> SolverSelector.dnsZones((String) null)),
                bad("a null label value in a selector", NullPointerException.class, "selector.matchLabels[team] is null",
                        root -> {
                            Map<String, String> labels = new HashMap<>();
                            labels.put("team", null);
                            SolverSelector.matchLabels(labels);
                        }),
                bad("a null among DNS-01 resolvers", NullPointerException.class, "resolvers[1] is null",
                        root -> Dns01Solver.builder().resolvers(new InetSocketAddress("127.0.0.1", 53), null)),
                bad("a null among DNS-01 zones", NullPointerException.class, "zones[1]",
                        root -> Dns01Solver.builder().zones("example.test", null)),
                bad("a wildcard as DNS-01 zone", IllegalArgumentException.class, "without wildcard",
                        root -> Dns01Solver.builder().zones("*.example.test")),
                bad("a null among trusted certificates", NullPointerException.class, "trustedCertificates[0] is null",
                        root -> AcmeIssuer.builder("le").trustedCertificates((java.security.cert.X509Certificate) null)),
                bad("a null in a CA chain", NullPointerException.class, "caChain[0] is null",
                        root -> CaIssuer.builder("ca").signingKey(ecKey(), Arrays.asList((java.security.cert.X509Certificate) null))),
                bad("a null among an issuer's solvers", NullPointerException.class, "solvers[0] is null",
                        root -> CertificateManager.builder().issuer(SelfSignedIssuer.builder("s").build(),
                                Arrays.asList((SolverSet.Entry) null))),
                bad("a DNS-01 solver without provider", IllegalStateException.class, "call provider(",
                        root -> Dns01Solver.builder().build()),
                bad("a fixed propagation wait with resolver checks", IllegalStateException.class, "do not set checkResolvers",
                        root -> Dns01Solver.builder().provider(nowhere()).fixedPropagationWait(Duration.ofSeconds(1))
                                .checkResolvers(true).build()),
                bad("an unknown DNS provider name", IllegalArgumentException.class, "rfc2136",
                        root -> DnsProviders.byName("route53", Map.of())),
                bad("a Cloudflare provider without credentials", IllegalArgumentException.class, "apiToken",
                        root -> DnsProviders.byName("cloudflare", Map.of())),
                bad("an empty Cloudflare token", IllegalArgumentException.class, "paste the value from the Cloudflare dashboard",
                        root -> CloudflareDnsProvider.builder().apiToken("  ")),
                bad("a Cloudflare email that is no address", IllegalArgumentException.class, "use the Cloudflare account's login",
                        root -> CloudflareDnsProvider.builder().apiKey(KEY, "ops-at-example.test")),
                bad("Cloudflare without credentials", IllegalStateException.class, "call apiToken(token)",
                        root -> CloudflareDnsProvider.builder().build()),
                bad("a Cloudflare TTL below its range", IllegalArgumentException.class, "60..86400",
                        root -> CloudflareDnsProvider.builder().ttl(Duration.ofSeconds(30))),
                bad("a Cloudflare base URL that is not http(s)", IllegalArgumentException.class, "is not an http(s) URL",
                        root -> CloudflareDnsProvider.builder().baseUrl(URI.create("ftp://api.example.test/"))),
                bad("the wrong Cloudflare email with the right key", SolverException.class, "Check the email first",
                        root -> CloudflareDnsProvider.builder().baseUrl(cloudflare.baseUrl()).apiKey(KEY, "typo@example.test").build()
                                .createTxtRecord(new TxtRecord("_acme-challenge.a.example.test", "example.test", "v", Duration.ofSeconds(60)))),
                // --- the API against Pebble: refused before anything is stored
                bad("an https URL that is not an ACME directory (404)", IllegalArgumentException.class,
                        "not an ACME directory (no newNonce/newAccount/newOrder): check the URL, for example https://acme-v02.api.letsencrypt.org/directory",
                        root -> manager(root, pebbleAt(pebble.directoryUrl().resolve("/no-such-directory")), dns01())
                                .obtain(cert().dnsNames("a.example.test").build())),
                bad("an https URL that answers a PEM file instead of a directory", IllegalArgumentException.class,
                        "not an ACME directory (no newNonce/newAccount/newOrder)",
                        root -> manager(root, pebbleAt(pebble.directoryUrl().resolve("/roots/0")), dns01())
                                .obtain(cert().dnsNames("a.example.test").build())),
                bad("an IP address with only a DNS-01 solver", IllegalArgumentException.class,
                        "IP addresses are validated by HTTP-01 only: add an HTTP-01 solver",
                        root -> manager(root, pebbleAt(pebble.directoryUrl()), dns01()).obtain(cert().ipAddresses("192.0.2.7").build())),
                bad("a wildcard with only an HTTP-01 solver", IllegalArgumentException.class, "Wildcard names need a DNS-01 solver",
                        root -> manager(root, pebbleAt(pebble.directoryUrl()),
                                dev.autocert4j.solver.http.Http01Solver.builder().standalone("127.0.0.1", 5002).build())
                                .obtain(cert().dnsNames("*.example.test").build())),
                bad("a certificate of an issuer the manager does not have", IllegalArgumentException.class, "pebble",
                        root -> CertificateManager.builder().issuer(SelfSignedIssuer.builder("selfsigned").build())
                                .store(FileCertificateStore.of(root)).build().obtain(cert().dnsNames("a.example.test").build())),
                bad("obtain(null)", NullPointerException.class, "certificate",
                        root -> CertificateManager.builder().issuer(SelfSignedIssuer.builder("selfsigned").build())
                                .store(FileCertificateStore.of(root)).build().obtain(null)),
                // --- store locations and contents
                bad("a store root that is a regular file", IllegalArgumentException.class, "not a directory: give the path of a directory",
                        root -> FileCertificateStore.of(root.resolve("certificates/default/web/..data/tls.crt"))),
                bad("a store root under a regular file", IllegalArgumentException.class, "is under",
                        root -> FileCertificateStore.of(accountKeyFile(root).resolve("store"))),
                bad("a damaged account key in the store", CorruptStoreException.class, "stored-account.key",
                        root -> {
                            Files.writeString(accountKeyFile(root), "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n");
                            snapshot.set(hash(root)); // the damage is the input; the store must stay as damaged
                            FileCertificateStore.of(root).loadAccountKey(STORED_ACCOUNT);
                        }),
                bad("a certificate chain that is not PEM", Pem.InvalidPemException.class, "-----BEGIN CERTIFICATE-----",
                        root -> Pem.decodeChain("hello")),
                bad("a private key where the chain belongs", Pem.InvalidPemException.class, "found a private key: give only the certificates",
                        root -> Pem.decodeChain(Files.readString(root.resolve("certificates/default/web/tls.key")))),
                bad("a certificate where the key belongs", Pem.InvalidPemException.class, "found a certificate: give the private key (tls.key)",
                        root -> Pem.decodeKeyPair(Files.readString(root.resolve("certificates/default/web/tls.crt")))),
                bad("a truncated certificate", Pem.InvalidPemException.class, "give the complete PEM text",
                        root -> {
                            String pem = Files.readString(root.resolve("certificates/default/web/tls.crt"));
                            Pem.decodeChain(pem.substring(0, 120) + "\n-----END CERTIFICATE-----\n");
                        })));
        // --- manifests: every case of BrokenManifestsTest, under this suite's guarantees
        BrokenManifestsTest.broken().forEach(a -> {
            Object[] m = a.get();
            String yaml = (String) m[1];
            cases.add(bad("manifest: " + m[0], ManifestException.class, (String) m[5],
                    root -> Manifests.parse(yaml, "broken.yaml", BrokenManifestsTest.OPTIONS)));
        });
        return cases.stream();
    }

    /** Set by a case whose input is a damaged store: the hash to compare with instead of the template's. */
    private static final java.util.concurrent.atomic.AtomicReference<String> snapshot = new java.util.concurrent.atomic.AtomicReference<>();

    private static Path accountKeyFile(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root.resolve("accounts"))) {
            return files.filter(p -> p.getFileName().toString().equals("stored-account.key")).findFirst().orElseThrow();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void failsFastWithTheFixNamedAndTheStoreUntouched(String what, Class<? extends Throwable> type, String fix, Action action)
            throws Exception {
        Path root = copyOfTheStore(what);
        String before = hash(root);
        snapshot.set(null);

        Throwable thrown = assertTimeoutPreemptively(LIMIT, () -> catchThrowable(() -> action.run(root)), what + " took over " + LIMIT);

        assertThat(thrown).as(what).isInstanceOf(type).hasMessageContaining(fix).hasMessageNotContaining(KEY);
        assertThat(thrown.getMessage()).as("message of " + what).doesNotEndWith(": null");
        assertThat(hash(root)).as("the store after " + what).isEqualTo(snapshot.get() != null ? snapshot.get() : before);
    }

    private static Path copyOfTheStore(String what) throws IOException {
        Path copy = Files.createTempDirectory(temp, "store-");
        try (Stream<Path> paths = Files.walk(template)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = copy.resolve(template.relativize(p).toString());
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return copy;
    }

    /**
     * Every path of the tree with its kind and content (a link's target, a file's bytes), sorted.
     * Lock files are left out: they hold no data, and taking a lock creates one.
     */
    static String hash(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Path p : (Iterable<Path>) paths.sorted()::iterator) {
                String relative = root.relativize(p).toString();
                if (relative.equals("locks") || relative.startsWith("locks/")) {
                    continue;
                }
                digest.update(relative.getBytes(StandardCharsets.UTF_8));
                if (Files.isSymbolicLink(p)) {
                    digest.update(("->" + Files.readSymbolicLink(p)).getBytes(StandardCharsets.UTF_8));
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    digest.update(Files.readAllBytes(p));
                } else {
                    digest.update("/".getBytes(StandardCharsets.UTF_8));
                }
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
