package dev.autocert4j.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.AccountKeyRef;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.lock.FileLockProvider;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.CorruptStoreException;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.TestChains;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCertificateStoreTest {
    @TempDir
    Path root;

    private final Certificate certificate = Certificate.builder("www").namespace("shop")
            .issuerRef(IssuerRef.clusterIssuer("letsencrypt")).dnsNames("www.example.com").build();

    private StoredCertificate issue(int revision) throws Exception {
        KeyPair key = TestChains.ec("secp256r1");
        return new StoredCertificate(List.of(TestChains.selfSigned(key, "www.example.com")), key,
                new CertificateMetadata(certificate.specFingerprint(), "letsencrypt", revision, Instant.now()));
    }

    private Path certificateDirectory() {
        return root.resolve("certificates/shop/www");
    }

    @Test
    void preflightPassesForAWritableRootAndFailsWhereAFileBlocksTheCertificateDirectory() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        store.preflight(PreflightRequest.of(certificate));
        assertThat(root.resolve("certificates")).as("the preflight writes nothing").doesNotExist();

        Files.writeString(root.resolve("certificates"), "not a directory");

        assertThatThrownBy(() -> store.preflight(PreflightRequest.of(certificate))).isInstanceOf(PreflightException.class)
                .hasMessageContaining(root.resolve("certificates") + " is not a directory");
    }

    @Test
    void layoutIsAsDocumented() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);

        store.save(certificate, issue(1));

        Path dir = certificateDirectory();
        assertThat(store.certificateDirectory(certificate)).isEqualTo(dir);
        List<String> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(entries).hasSize(6);
        assertThat(entries).startsWith("..data").contains("..lock", "metadata.properties", "tls.crt", "tls.key");
        String revision = entries.stream().filter(e -> e.startsWith("..rev-")).findFirst().orElseThrow();
        assertThat(revision).matches("\\.\\.rev-1-[0-9a-f]+");
        assertThat(Files.readSymbolicLink(dir.resolve("..data"))).isEqualTo(Path.of(revision));
        for (String file : List.of("tls.crt", "tls.key", "metadata.properties")) {
            assertThat(Files.readSymbolicLink(dir.resolve(file))).isEqualTo(Path.of("..data", file));
            assertThat(dir.resolve(revision).resolve(file)).isRegularFile();
        }
        try (Stream<Path> list = Files.list(dir.resolve(revision))) {
            assertThat(list).hasSize(3);
        }
        assertThat(Files.readString(dir.resolve("tls.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(dir.resolve("tls.key"))).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("metadata.properties")))
                .contains("specFingerprint=" + certificate.specFingerprint(), "issuerName=letsencrypt", "revision=1",
                        "issuedAt=", "keyEncoding=PKCS1", "keyAlgorithm=EC");
        assertThat(store.defaultLockProvider()).isInstanceOf(FileLockProvider.class);
        assertThat(((FileLockProvider) store.defaultLockProvider()).directory()).isEqualTo(root.resolve("locks"));
    }

    @Test
    void keyIsWrittenInTheEncodingOfTheSpec() throws Exception {
        Certificate pkcs8 = certificate.toBuilder().privateKey(PrivateKeySpec.rsa(2048).withEncoding(
                dev.autocert4j.KeyEncoding.PKCS8)).build();
        KeyPair key = TestChains.rsa(2048);
        FileCertificateStore store = FileCertificateStore.of(root);

        store.save(pkcs8, new StoredCertificate(List.of(TestChains.selfSigned(key, "www.example.com")), key,
                new CertificateMetadata(pkcs8.specFingerprint(), "letsencrypt", 1, Instant.now())));

        assertThat(Files.readString(certificateDirectory().resolve("tls.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(store.load(pkcs8).orElseThrow().keyPair().getPrivate()).isEqualTo(key.getPrivate());
    }

    @Test
    void keyFilesHaveMode0600AndDirectoriesMode0700() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        store.save(certificate, issue(1));
        AccountKeyRef ref = AccountKeyRef.of("account", IssuerScope.cluster());
        store.saveAccountKeyIfAbsent(ref, TestChains.ec("secp256r1"));

        assertThat(mode(certificateDirectory().resolve("tls.key").toRealPath())).isEqualTo("rw-------");
        assertThat(mode(root.resolve("accounts/_cluster/account.key"))).isEqualTo("rw-------");
        assertThat(mode(root.resolve("certificates"))).isEqualTo("rwx------");
        assertThat(mode(certificateDirectory())).isEqualTo("rwx------");
        assertThat(mode(certificateDirectory().resolve(Files.readSymbolicLink(certificateDirectory().resolve("..data")))))
                .isEqualTo("rwx------");
        assertThat(mode(root.resolve("accounts/_cluster"))).isEqualTo("rwx------");
    }

    @Test
    void accountKeysLiveUnderTheirNamespaceOrCluster() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);

        store.saveAccountKeyIfAbsent(AccountKeyRef.of("acme", IssuerScope.namespaced("shop")), TestChains.rsa(2048));
        store.saveAccountKeyIfAbsent(AccountKeyRef.of("acme", IssuerScope.cluster()), TestChains.rsa(2048));

        assertThat(Files.readString(root.resolve("accounts/shop/acme.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(root.resolve("accounts/_cluster/acme.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        try (Stream<Path> list = Files.list(root.resolve("accounts/shop"))) {
            assertThat(list).as("no temporary files left").hasSize(1);
        }
    }

    @Test
    void accountKeyStoredByAnotherStoreInstanceWins() throws Exception {
        AccountKeyRef ref = AccountKeyRef.of("acme", IssuerScope.cluster());
        KeyPair first = TestChains.ec("secp256r1");

        FileCertificateStore.of(root).saveAccountKeyIfAbsent(ref, first);
        KeyPair returned = FileCertificateStore.of(root).saveAccountKeyIfAbsent(ref, TestChains.ec("secp256r1"));

        assertThat(returned.getPrivate()).isEqualTo(first.getPrivate());
    }

    @Test
    void truncatedCertificateFileFailsNamingTheFile() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        store.save(certificate, issue(1));
        Path crt = certificateDirectory().resolve("tls.crt");
        String pem = Files.readString(crt);

        Files.writeString(crt, pem.substring(0, pem.length() / 2)); // writes through the link into the revision

        assertThatThrownBy(() -> store.load(certificate)).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining(crt.toString())
                .satisfies(e -> assertThat(((StoreException) e).isRetryable()).as("moved aside: a retry re-issues").isTrue());
    }

    @Test
    void damagedKeyFailsNamingTheFileWithoutShowingTheKey() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        store.save(certificate, issue(1));
        Path key = certificateDirectory().resolve("tls.key");
        String pem = Files.readString(key);

        Files.writeString(key, pem.substring(0, 60) + "!!" + pem.substring(62));

        assertThatThrownBy(() -> store.load(certificate)).isInstanceOf(StoreException.class)
                .hasMessageContaining(key.toString())
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("PRIVATE KEY-----\n"));
    }

    @Test
    void keyOfAnotherCertificateIsReportedAsDamage() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        store.save(certificate, issue(1));
        Path crt = certificateDirectory().resolve("tls.crt");
        Path other = root.resolve("other");
        Files.createDirectories(other);
        Certificate otherCertificate = certificate.toBuilder().build();
        FileCertificateStore.of(other).save(otherCertificate, issue(1));

        Files.writeString(crt, Files.readString(other.resolve("certificates/shop/www/tls.crt")));

        assertThatThrownBy(() -> store.load(certificate)).isInstanceOf(StoreException.class)
                .hasMessageContaining(certificateDirectory().resolve("tls.key").toString())
                .hasMessageContaining("does not belong to the leaf");
    }

    @Test
    void badMetadataFailsNamingTheFile() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        store.save(certificate, issue(1));
        Path metadata = certificateDirectory().resolve("metadata.properties");

        Files.writeString(metadata, Files.readString(metadata).replaceAll("revision=1", "revision=one"));

        assertThatThrownBy(() -> store.load(certificate)).isInstanceOf(StoreException.class)
                .hasMessageContaining(metadata.toString());
    }

    @Test
    void missingFileInTheRevisionFailsNamingTheFile() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        store.save(certificate, issue(1));
        Path key = certificateDirectory().resolve("tls.key");

        Files.delete(key.toRealPath());

        assertThatThrownBy(() -> store.load(certificate)).isInstanceOf(StoreException.class)
                .hasMessageContaining(key.toString());
    }

    @Test
    void damagedAccountKeyFailsNamingTheFile() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        AccountKeyRef ref = AccountKeyRef.of("acme", IssuerScope.cluster());
        store.saveAccountKeyIfAbsent(ref, TestChains.rsa(2048));
        Path file = root.resolve("accounts/_cluster/acme.key");

        Files.writeString(file, Files.readString(file).substring(0, 100));

        assertThatThrownBy(() -> store.loadAccountKey(ref)).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining(file.toString())
                .satisfies(e -> assertThat(((StoreException) e).isRetryable()).as("left in place").isFalse());
        assertThat(file).as("an account key is never moved aside: that would register a new ACME account").exists();
    }

    @Test
    void leftoversOfACrashedSaveAreRemovedByTheNextSave() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        store.save(certificate, issue(1));
        Path dir = certificateDirectory();
        Path deadRevision = Files.createDirectory(dir.resolve("..rev-7-dead"));
        Files.writeString(deadRevision.resolve("tls.key"), "half");
        Path tempFile = Files.writeString(dir.resolve("..tmp-1234-tls.crt"), "half");

        store.save(certificate, issue(2));

        assertThat(deadRevision).doesNotExist();
        assertThat(tempFile).doesNotExist();
        try (Stream<Path> list = Files.list(dir)) {
            assertThat(list.filter(p -> p.getFileName().toString().startsWith("..rev-"))).hasSize(1);
        }
        assertThat(store.load(certificate).orElseThrow().metadata().revision()).isEqualTo(2);
    }

    @Test
    void previousCertificateSurvivesASaveThatFailsMidway() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        StoredCertificate first = issue(1);
        store.save(certificate, first);
        store.beforeSwitch = revision -> {
            throw new IOException("disk full (simulated)");
        };

        assertThatThrownBy(() -> store.save(certificate, issue(2))).isInstanceOf(StoreException.class)
                .hasMessageContaining("previous certificate is intact")
                .satisfies(e -> assertThat(((StoreException) e).isRetryable()).isTrue());

        StoredCertificate loaded = FileCertificateStore.of(root).load(certificate).orElseThrow();
        assertThat(loaded.metadata().revision()).isEqualTo(1);
        assertThat(loaded.chain()).isEqualTo(first.chain());
        try (Stream<Path> list = Files.list(certificateDirectory())) {
            assertThat(list.filter(p -> p.getFileName().toString().startsWith("..rev-"))).hasSize(1);
        }
    }

    @Test
    void aSaveInterruptedBeforeTheSwitchLeavesTheOldSetReadable() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        store.save(certificate, issue(1));
        Path[] complete = new Path[1];
        store.beforeSwitch = revision -> {
            // Copy the complete new revision aside, as if the process had died right here.
            complete[0] = Files.createDirectory(revision.resolveSibling("..rev-2-crashed"));
            try (Stream<Path> files = Files.list(revision)) {
                for (Path file : files.toList()) {
                    Files.copy(file, complete[0].resolve(file.getFileName()));
                }
            }
            throw new IOException("killed (simulated)");
        };
        assertThatThrownBy(() -> store.save(certificate, issue(2))).isInstanceOf(StoreException.class);

        assertThat(complete[0]).isDirectory();
        assertThat(store.load(certificate).orElseThrow().metadata().revision()).isEqualTo(1);
        store.beforeSwitch = revision -> { };
        store.save(certificate, issue(3));
        assertThat(complete[0]).doesNotExist();
        assertThat(store.load(certificate).orElseThrow().metadata().revision()).isEqualTo(3);
    }

    /** Fails, rather than skips, without openssl: a skipped test would hide that no tool outside Java read the files. */
    @Test
    void filesAreReadableByOpenssl() throws Exception {
        String openssl = executable("openssl");
        FileCertificateStore store = FileCertificateStore.of(root);
        store.save(certificate, issue(1));
        Path dir = certificateDirectory();

        assertThat(run(openssl, "x509", "-noout", "-in", dir.resolve("tls.crt").toString())).isZero();
        assertThat(run(openssl, "ec", "-check", "-noout", "-in", dir.resolve("tls.key").toString())).isZero();
    }

    /** @return the path of {@code name} on the PATH (or in /usr/bin); fails the test saying what to install when absent */
    static String executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + java.io.File.pathSeparator + "/usr/bin";
        return java.util.Arrays.stream(path.split(java.io.File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, name)).filter(Files::isExecutable).findFirst().map(Path::toString)
                .orElseThrow(() -> new AssertionError(name + " is not installed, and this test needs it: install it"
                        + " (apt-get install " + name + "; .ci/run does)"));
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return process.exitValue();
        } finally {
            process.destroyForcibly();
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void metadataFileHasNoDateComment() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        store.save(certificate, issue(1));

        List<String> comments = Files.readAllLines(certificateDirectory().resolve("metadata.properties"),
                StandardCharsets.ISO_8859_1).stream().filter(l -> l.startsWith("#")).toList();

        assertThat(comments).containsExactly("#autocert4j certificate metadata");
    }

    @Test
    void aPendingCleanupIsOneFileUnderCleanupsNamedBySha256() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        dev.autocert4j.store.PendingCleanup cleanup = new dev.autocert4j.store.PendingCleanup("shop/www", "dns-01/test",
                "example.com|_acme-challenge.www.example.com|value");

        store.recordPendingCleanup(cleanup);
        store.recordPendingCleanup(cleanup);

        List<Path> files;
        try (Stream<Path> list = Files.list(root.resolve("cleanups"))) {
            files = list.toList();
        }
        assertThat(files).singleElement().extracting(f -> f.getFileName().toString()).asString()
                .matches("[0-9a-f]{64}\\.properties");
        assertThat(Files.readString(files.get(0), StandardCharsets.ISO_8859_1))
                .contains("certificateId=shop/www", "solverId=dns-01/test");

        store.removePendingCleanup(cleanup);
        assertThat(files.get(0)).doesNotExist();
    }
}
