package dev.autocert4j.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.internal.x509.Csr;
import dev.autocert4j.internal.x509.KeyPairs;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.CorruptStoreException;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged files: reported once, naming the file, moved aside (never deleted), and issued anew by the
 * same {@code obtain}, as the README says; {@code obtain} fails only when the damage cannot be moved
 * aside.
 */
class FileCertificateStoreDamageTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.250Z");
    private static final String STAMP = "20260301T100000Z";

    @TempDir
    Path root;

    private final SelfSignedIssuer selfSigned = SelfSignedIssuer.builder("selfsigned").build();
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Certificate www = Certificate.builder("www").namespace("shop").dnsNames("www.example.test")
            .issuerRef(IssuerRef.clusterIssuer("selfsigned")).build();
    private final Certificate api = Certificate.builder("api").namespace("shop").dnsNames("api.example.test")
            .issuerRef(IssuerRef.clusterIssuer("selfsigned")).build();

    private FileCertificateStore store() {
        FileCertificateStore store = FileCertificateStore.of(root);
        store.clock = clock;
        return store;
    }

    private StoredCertificate issue(Certificate certificate) throws Exception {
        KeyPair key = KeyPairs.generate(certificate.privateKey());
        List<java.security.cert.X509Certificate> chain = selfSigned.issue(
                new IssuanceRequest(certificate, key, Csr.create(certificate, key)),
                new dev.autocert4j.issuer.IssuanceContext(new SolverSet(List.of()), new InMemoryCertificateStore(),
                        LockProvider.inJvm(), clock, event -> { }));
        return new StoredCertificate(chain, key, new CertificateMetadata(certificate.specFingerprint(), "selfsigned", 1, NOW));
    }

    private Path dir(Certificate certificate) {
        return root.resolve("certificates").resolve(certificate.namespace()).resolve(certificate.name());
    }

    private static List<String> entries(Path dir) throws Exception {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void truncatedCertificateIsMovedAsideOnceAndTheNextLoadFindsNothing() throws Exception {
        FileCertificateStore store = store();
        store.save(www, issue(www));
        Path crt = dir(www).resolve("tls.crt");
        String pem = Files.readString(crt);
        String truncated = pem.substring(0, pem.length() / 2);
        Files.writeString(crt, truncated);

        CorruptStoreException e = catchThrowableOfType(CorruptStoreException.class, () -> store.load(www));

        Path crtAside = dir(www).resolve("tls.crt.damaged-" + STAMP);
        Path keyAside = dir(www).resolve("tls.key.damaged-" + STAMP);
        Path metadataAside = dir(www).resolve("metadata.properties.damaged-" + STAMP);
        assertThat(e.isRetryable()).isTrue();
        assertThat(e.damaged()).isEqualTo(crt.toString());
        assertThat(e.movedAside()).containsExactly(crtAside.toString(), keyAside.toString(), metadataAside.toString());
        assertThat(e.getMessage()).contains("Damaged store file " + crt, crtAside.toString(), keyAside.toString(),
                "the next load finds no certificate, so the manager issues a new one");
        assertThat(crtAside).hasContent(truncated);
        assertThat(Files.readString(keyAside)).startsWith("-----BEGIN EC PRIVATE KEY-----");
        if (root.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyAside, LinkOption.NOFOLLOW_LINKS)))
                    .as("the key stays private").isEqualTo("rw-------");
        }
        assertThat(entries(dir(www))).noneMatch(name -> name.startsWith("..rev-") || name.equals("..data"));

        assertThat(store.load(www)).isEmpty();
        assertThat(crtAside).exists();
    }

    @Test
    void garbledKeyIsReportedWithoutShowingTheKey() throws Exception {
        FileCertificateStore store = store();
        store.save(www, issue(www));
        Path key = dir(www).resolve("tls.key");
        String pem = Files.readString(key);
        String body = pem.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        Files.writeString(key, pem.replace(body, "!!" + body.substring(2)));

        assertThatThrownBy(() -> store.load(www)).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining("Damaged store file " + key)
                .hasMessageNotContaining(body.substring(2, 30));
        assertThat(dir(www).resolve("tls.key.damaged-" + STAMP)).exists();
        assertThat(store.load(www)).isEmpty();
    }

    @Test
    void garbageMetadataIsMovedAside() throws Exception {
        FileCertificateStore store = store();
        store.save(www, issue(www));
        Path metadata = dir(www).resolve("metadata.properties");
        Files.write(metadata, new byte[] {'r', 'e', 'v', '=', '\\', 'u', 'Z', 'Z', 0, (byte) 0xff});

        assertThatThrownBy(() -> store.load(www)).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining("Damaged store file " + metadata);
        assertThat(dir(www).resolve("metadata.properties.damaged-" + STAMP)).exists();
        assertThat(store.load(www)).isEmpty();
    }

    @Test
    void keyOfAnotherCertificateIsMovedAsideNamingTheKeyFile() throws Exception {
        FileCertificateStore store = store();
        store.save(www, issue(www));
        store.save(api, issue(api));
        Path key = dir(www).resolve("tls.key");
        Files.writeString(key, Files.readString(dir(api).resolve("tls.key")));

        assertThatThrownBy(() -> store.load(www)).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining("Damaged store file " + key)
                .hasMessageContaining("does not belong to the leaf");
        assertThat(store.load(www)).isEmpty();
    }

    @Test
    void otherCertificatesAreUntouched() throws Exception {
        FileCertificateStore store = store();
        store.save(www, issue(www));
        StoredCertificate apiStored = issue(api);
        store.save(api, apiStored);
        List<String> apiEntries = entries(dir(api));
        Files.writeString(dir(www).resolve("tls.crt"), "garbage");

        assertThatThrownBy(() -> store.load(www)).isInstanceOf(CorruptStoreException.class);

        assertThat(entries(dir(api))).isEqualTo(apiEntries);
        StoredCertificate loaded = store.load(api).orElseThrow();
        assertThat(loaded.chain()).isEqualTo(apiStored.chain());
        assertThat(loaded.keyPair().getPublic()).isEqualTo(apiStored.keyPair().getPublic());
    }

    @Test
    void missingRevisionDirectoryIsRecordedByMovingTheLinkAside() throws Exception {
        FileCertificateStore store = store();
        store.save(www, issue(www));
        Path revision = dir(www).resolve(Files.readSymbolicLink(dir(www).resolve("..data")));
        try (Stream<Path> files = Files.list(revision)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(revision);

        CorruptStoreException e = catchThrowableOfType(CorruptStoreException.class, () -> store.load(www));

        assertThat(e.movedAside()).containsExactly(dir(www).resolve("..data.damaged-" + STAMP).toString());
        assertThat(e.isRetryable()).isTrue();
        assertThat(store.load(www)).isEmpty();
    }

    @Test
    void dataEntryThatIsNotALinkIsMovedAsideByLoadAndBySave() throws Exception {
        FileCertificateStore store = store();
        store.save(www, issue(www));
        store.save(api, issue(api));
        Path wwwData = dir(www).resolve("..data");
        Files.delete(wwwData);
        Files.writeString(wwwData, "not a link");
        Path apiData = dir(api).resolve("..data");
        Files.delete(apiData);
        Files.writeString(apiData, "not a link either");

        assertThatThrownBy(() -> store.load(www)).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining(wwwData.toString()).hasMessageContaining("is not a symbolic link");
        assertThat(store.load(www)).isEmpty();
        assertThat(dir(www).resolve("..data.damaged-" + STAMP)).hasContent("not a link");

        StoredCertificate replacement = issue(api);
        store.save(api, replacement); // without a load first
        assertThat(store.load(api).orElseThrow().chain()).isEqualTo(replacement.chain());
        assertThat(dir(api).resolve("..data.damaged-" + STAMP)).hasContent("not a link either");
    }

    @Test
    void damageTwiceInOneSecondKeepsBothSetsAside() throws Exception {
        FileCertificateStore store = store();
        store.save(www, issue(www));
        Files.writeString(dir(www).resolve("tls.crt"), "first damage");
        assertThatThrownBy(() -> store.load(www)).isInstanceOf(CorruptStoreException.class);
        store.save(www, issue(www));
        Files.writeString(dir(www).resolve("tls.crt"), "second damage");

        CorruptStoreException e = catchThrowableOfType(CorruptStoreException.class, () -> store.load(www));

        assertThat(e.movedAside()).contains(dir(www).resolve("tls.crt.damaged-" + STAMP + "-2").toString());
        assertThat(dir(www).resolve("tls.crt.damaged-" + STAMP)).hasContent("first damage");
        assertThat(dir(www).resolve("tls.crt.damaged-" + STAMP + "-2")).hasContent("second damage");
    }

    @Test
    void obtainReportsTheDamageAsAnEventAndIssuesANewCertificate() throws Exception {
        FileCertificateStore store = store();
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        CertificateManager manager = CertificateManager.builder().store(store).issuer(selfSigned).clock(clock)
                .listener(events::add).build();
        StoredCertificate first = manager.obtain(www);
        StoredCertificate other = manager.obtain(api);
        Path crt = dir(www).resolve("tls.crt");
        Files.writeString(crt, Files.readString(crt).substring(0, 100));

        StoredCertificate second = manager.obtain(www);

        assertThat(events).filteredOn(e -> e.type() == CertificateEvent.Type.FAILED).singleElement()
                .extracting(CertificateEvent::message).asString().contains("damaged", crt.toString());
        assertThat(second.leaf().getSerialNumber()).isNotEqualTo(first.leaf().getSerialNumber());
        assertThat(second.keyPair().getPublic()).isNotEqualTo(first.keyPair().getPublic());
        assertThat(FileCertificateStore.of(root).load(www).orElseThrow().leaf()).isEqualTo(second.leaf());
        assertThat(Files.readString(crt, StandardCharsets.US_ASCII)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(dir(www).resolve("tls.crt.damaged-" + STAMP)).exists();
        assertThat(manager.obtain(api).leaf()).as("not re-issued").isEqualTo(other.leaf());
    }

    @Test
    void obtainLogsTheDamageAtWarnNamingTheDamagedFile() throws Exception {
        CertificateManager manager = CertificateManager.builder().store(store()).issuer(selfSigned).clock(clock).build();
        manager.obtain(www);
        Path crt = dir(www).resolve("tls.crt");
        Files.writeString(crt, Files.readString(crt).substring(0, 100));

        // slf4j-simple (the test binding) writes to whatever System.err is when it logs
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            manager.obtain(www);
        } finally {
            System.setErr(original);
        }

        assertThat(captured.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains(" WARN ")))
                .isNotEmpty().allMatch(line -> line.contains("shop/www") && line.contains(crt.toString()))
                .anyMatch(line -> line.contains("Failed") && line.contains("damaged"));
    }

    @Test
    void obtainFailsNamingTheFileAndWhatToDeleteWhenTheDamagedEntryCannotBeMovedAside() throws Exception {
        FileCertificateStore store = store();
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        CertificateManager manager = CertificateManager.builder().store(store).issuer(selfSigned).clock(clock)
                .listener(events::add).build();
        manager.obtain(www);
        Path crt = dir(www).resolve("tls.crt");
        Files.writeString(crt, "garbage");
        // Every name the damaged file could be moved to is taken already.
        Files.createFile(dir(www).resolve("tls.crt.damaged-" + STAMP));
        for (int i = 2; i <= 100; i++) {
            Files.createFile(dir(www).resolve("tls.crt.damaged-" + STAMP + "-" + i));
        }
        events.clear();

        CorruptStoreException e = catchThrowableOfType(CorruptStoreException.class, () -> manager.obtain(www));

        assertThat(e.isRetryable()).as("someone has to look at the store first").isFalse();
        assertThat(e.movedAside()).isEmpty();
        assertThat(e.damaged()).isEqualTo(crt.toString());
        assertThat(e.getMessage()).contains("Damaged store file " + crt, "could not be moved aside", "delete " + dir(www));
        assertThat(crt).as("left in place").hasContent("garbage");
        assertThat(events).as("nothing was ordered").noneMatch(ev -> ev.type() == CertificateEvent.Type.ISSUED);
    }

    @Test
    void aDamagedFailuresFileIsMovedAsideAndCountsAsNoFailures() throws Exception {
        FileCertificateStore store = store();
        store.saveFailures(www, new dev.autocert4j.store.IssuanceFailures(www.specFingerprint(), 3, NOW, NOW.plusSeconds(14400),
                "rate limited"));
        store.saveFailures(api, new dev.autocert4j.store.IssuanceFailures(api.specFingerprint(), 1, NOW, NOW.plusSeconds(3600), "x"));
        Path file = root.resolve("failures").resolve("shop").resolve("www.properties");
        Files.writeString(file, "attempts=three\n");

        assertThat(store.loadFailures(www)).as("a lost backoff only means an earlier retry").isEmpty();

        assertThat(file.resolveSibling("www.properties.damaged-" + STAMP)).hasContent("attempts=three\n");
        assertThat(file).doesNotExist();
        assertThat(store.loadFailures(api)).as("another certificate's failures").isPresent();
    }
}
