package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.TestCertificates;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KubernetesSecretStoreTest {
    private KubernetesMockApi api;
    private KubernetesSecretStore store;

    private static final Certificate SEED = Certificate.builder("dashboard-imroc-io").namespace("default")
            .secretName("dashboard-imroc-io-tls").dnsNames("dashboard.imroc.io")
            .issuerRef(IssuerRef.clusterIssuer("letsencrypt-dns01")).build();

    @BeforeEach
    void start() throws Exception {
        api = new KubernetesMockApi();
        store = KubernetesSecretStore.of(api.client());
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void seedCertificateProducesTheSecretCertManagerWrites() throws Exception {
        store.save(SEED, TestCertificates.issue(SEED, 1));

        Secret secret = api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").get();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        // Key names only: an assertion message must not print key material. The test chain ends
        // in a self-signed root, so ca.crt is known and written, as cert-manager does.
        assertThat(secret.getData().keySet()).containsExactlyInAnyOrder("tls.crt", "tls.key", "ca.crt");
        assertThat(secret.getMetadata().getAnnotations()).containsAllEntriesOf(Map.of(
                "cert-manager.io/certificate-name", "dashboard-imroc-io",
                "cert-manager.io/issuer-name", "letsencrypt-dns01",
                "cert-manager.io/issuer-kind", "ClusterIssuer",
                "cert-manager.io/issuer-group", "cert-manager.io",
                // From the issued certificate (the test CA puts the first name into the CN), not the spec.
                "cert-manager.io/common-name", "dashboard.imroc.io",
                "cert-manager.io/alt-names", "dashboard.imroc.io",
                "cert-manager.io/ip-sans", "",
                "cert-manager.io/uri-sans", ""));
        assertThat(secret.getMetadata().getAnnotations().keySet())
                .allMatch(k -> k.startsWith("cert-manager.io/") || k.startsWith("autocert4j.dev/"));
    }

    /**
     * Another writer (a controller adding labels, read-modify-write with the resourceVersion it read,
     * retrying on 409) keeps changing the Secret while the store saves revision after revision: the
     * store saves until both sides have met a conflict at least once, so the race really happened;
     * then every label the other writer wrote is there, and so is the last revision saved.
     */
    @Test
    void aWriterChangingTheSecretWhileTheStoreSavesLosesNothingAndNeitherDoTheSaves() throws Exception {
        store.save(SEED, TestCertificates.issue(SEED, 1));
        AtomicInteger storeReads = new AtomicInteger();
        store.betweenReadAndWrite = storeReads::incrementAndGet;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger writerConflicts = new AtomicInteger();
        ExecutorService otherWriter = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> labelsWritten = otherWriter.submit(() -> {
                int written = 0;
                while (!stop.get()) {
                    Secret current = api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").get();
                    Secret next = new SecretBuilder(current).editMetadata().addToLabels("writer-" + written, "yes").endMetadata().build();
                    try {
                        api.inspector().secrets().inNamespace("default").resource(next).update();
                        written++;
                    } catch (KubernetesClientException e) {
                        if (e.getCode() != 409) {
                            throw e;
                        }
                        writerConflicts.incrementAndGet();
                    }
                }
                return written;
            });
            int revision = 1;
            while (revision < 300 && (storeReads.get() <= revision - 1 || writerConflicts.get() == 0)) {
                revision++;
                store.save(SEED, TestCertificates.issue(SEED, revision));
            }
            stop.set(true);
            int written = labelsWritten.get(60, TimeUnit.SECONDS);

            assertThat(storeReads.get()).as("the store met a conflict and read again").isGreaterThan(revision - 1);
            assertThat(writerConflicts.get()).as("the other writer met a conflict").isPositive();
            Secret after = api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").get();
            for (int i = 0; i < written; i++) {
                assertThat(after.getMetadata().getLabels()).containsEntry("writer-" + i, "yes");
            }
            assertThat(store.load(SEED).orElseThrow().metadata().revision()).isEqualTo(revision);
        } finally {
            stop.set(true);
            otherWriter.shutdownNow();
        }
    }

    @Test
    void aConditionalSaveDoesNotOverwriteACertificateAnotherWriterSavedBetweenItsReadAndItsWrite() throws Exception {
        store.save(SEED, TestCertificates.issue(SEED, 1));
        StoredCertificate read = store.load(SEED).orElseThrow();
        StoredCertificate rivals = TestCertificates.issue(SEED, 2);
        KubernetesSecretStore rival = KubernetesSecretStore.of(api.client());
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        store.betweenReadAndWrite = () -> {
            if (reads.incrementAndGet() == 1) {
                try {
                    rival.save(SEED, rivals); // the write of ours that follows conflicts (409) and reads again
                } catch (dev.autocert4j.store.StoreException e) {
                    throw new IllegalStateException(e);
                }
            }
        };

        assertThatThrownBy(() -> store.saveIfUnchanged(SEED, java.util.Optional.of(read), TestCertificates.issue(SEED, 2)))
                .isInstanceOf(dev.autocert4j.store.StoreException.class)
                .hasMessageContaining("Secret default/dashboard-imroc-io-tls was saved by another writer")
                .hasMessageContaining("revision 2")
                .satisfies(e -> assertThat(((dev.autocert4j.store.StoreException) e).isRetryable()).isTrue());

        assertThat(reads).hasValue(2);
        StoredCertificate stored = store.load(SEED).orElseThrow();
        assertThat(stored.chain()).as("the other writer's certificate").isEqualTo(rivals.chain());
        assertThat(stored.metadata()).isEqualTo(rivals.metadata());
    }

    @Test
    void aConditionalSaveWritesWhileTheStoreHoldsWhatWasReadAndRefusesOverACertificateSavedWhereNoneWas() throws Exception {
        StoredCertificate first = TestCertificates.issue(SEED, 1);
        store.saveIfUnchanged(SEED, java.util.Optional.empty(), first);
        StoredCertificate read = store.load(SEED).orElseThrow();
        StoredCertificate revoked = new StoredCertificate(read.chain(), read.keyPair(),
                read.metadata().withRevokedAt(java.time.Instant.parse("2026-11-30T08:00:00Z")));
        store.saveIfUnchanged(SEED, java.util.Optional.of(read), revoked);
        assertThat(store.load(SEED).orElseThrow().metadata().isRevoked()).isTrue();

        assertThatThrownBy(() -> store.saveIfUnchanged(SEED, java.util.Optional.empty(), TestCertificates.issue(SEED, 1)))
                .isInstanceOf(dev.autocert4j.store.StoreException.class).hasMessageContaining("saved by another writer");
        assertThatThrownBy(() -> store.saveIfUnchanged(SEED, java.util.Optional.of(read), TestCertificates.issue(SEED, 2)))
                .as("the revocation mark changed it since it was read")
                .isInstanceOf(dev.autocert4j.store.StoreException.class).hasMessageContaining("saved by another writer");
        assertThat(store.load(SEED).orElseThrow().chain()).isEqualTo(first.chain());
    }

    @Test
    void saveRetriesAfterAConflictBetweenItsReadAndItsWrite() throws Exception {
        store.save(SEED, TestCertificates.issue(SEED, 1));
        java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
        store.betweenReadAndWrite = () -> {
            if (reads.incrementAndGet() == 1) {
                api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls")
                        .edit(s -> new SecretBuilder(s).editMetadata().addToAnnotations("other.example/owner", "ops")
                                .endMetadata().build());
            }
        };
        StoredCertificate second = TestCertificates.issue(SEED, 2);

        store.save(SEED, second);

        assertThat(reads).as("the first write conflicted and the store read again").hasValue(2);
        Secret after = api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").get();
        assertThat(after.getMetadata().getAnnotations()).containsEntry("other.example/owner", "ops");
        StoredCertificate loaded = store.load(SEED).orElseThrow();
        assertThat(loaded.metadata()).isEqualTo(second.metadata());
        assertThat(loaded.chain()).isEqualTo(second.chain());
    }

    @Test
    void foreignSecretIsNeitherReadNorOverwritten() throws Exception {
        api.inspector().secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata()
                .withName("dashboard-imroc-io-tls").endMetadata().withType("Opaque")
                .withData(Map.of("password", "c2VjcmV0")).build()).create();

        assertThatThrownBy(() -> store.load(SEED)).isInstanceOf(ForeignSecretException.class);
        assertThatThrownBy(() -> store.save(SEED, TestCertificates.issue(SEED, 1))).isInstanceOf(ForeignSecretException.class);
        assertThat(api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").get().getData().keySet())
                .containsExactly("password");
    }

    @Test
    void issuanceFailuresLiveInAnnotationsOfOneSecretPerNamespaceEvenBeforeTheCertificatesSecretExists() throws Exception {
        java.time.Instant failed = java.time.Instant.parse("2026-05-01T00:00:00Z");
        store.saveFailures(SEED, new dev.autocert4j.store.IssuanceFailures(SEED.specFingerprint(), 2, failed,
                failed.plusSeconds(7200), "rate limited"));

        assertThat(api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").get())
                .as("the certificate's Secret is not created by a failure").isNull();
        Secret failures = api.inspector().secrets().inNamespace("default").withName("autocert4j-issuance-failures").get();
        assertThat(failures.getData()).as("nothing in data").isNullOrEmpty();
        assertThat(failures.getMetadata().getAnnotations()).containsKey("autocert4j.dev/failures.dashboard-imroc-io");
        assertThat(KubernetesSecretStore.of(api.client()).loadFailures(SEED)).hasValueSatisfying(f -> {
            assertThat(f.attempts()).isEqualTo(2);
            assertThat(f.nextAttempt()).isEqualTo(failed.plusSeconds(7200));
        });

        store.clearFailures(SEED);
        assertThat(api.inspector().secrets().inNamespace("default").withName("autocert4j-issuance-failures").get()
                .getMetadata().getAnnotations()).doesNotContainKey("autocert4j.dev/failures.dashboard-imroc-io");
    }

    @Test
    void aDamagedSecretIsCopiedAsideReportedOnceAndIssuedAnewOver() throws Exception {
        store.save(SEED, TestCertificates.issue(SEED, 1));
        api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").edit(s -> new SecretBuilder(s)
                .addToData("tls.crt", java.util.Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\ntrunc".getBytes()))
                .build());

        dev.autocert4j.store.CorruptStoreException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                dev.autocert4j.store.CorruptStoreException.class, () -> store.load(SEED));

        assertThat(e.damaged()).isEqualTo("default/dashboard-imroc-io-tls");
        assertThat(e.movedAside()).singleElement().asString().startsWith("default/dashboard-imroc-io-tls.damaged-");
        assertThat(e.getMessage()).contains("the manager issues a new one into Secret default/dashboard-imroc-io-tls");
        String copyName = e.movedAside().get(0).substring("default/".length());
        Secret copy = api.inspector().secrets().inNamespace("default").withName(copyName).get();
        assertThat(copy.getType()).isEqualTo("Opaque");
        // The copy keeps the evidence but no private key: nothing would ever delete it.
        assertThat(copy.getData()).containsKey("tls.crt").doesNotContainKey("tls.key");
        assertThat(copy.getMetadata().getAnnotations()).containsEntry("autocert4j.dev/left-out", "tls.key");
        assertThat(e.getMessage()).contains("without private keys");
        assertThat(store.load(SEED)).as("the next load: nothing usable").isEmpty();

        store.save(SEED, TestCertificates.issue(SEED, 2));

        assertThat(store.load(SEED).orElseThrow().metadata().revision()).isEqualTo(2);
        assertThat(api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").get().getMetadata()
                .getAnnotations()).doesNotContainKey("autocert4j.dev/damaged");
        assertThat(api.inspector().secrets().inNamespace("default").withName(copyName).get()).as("the copy stays").isNotNull();
    }

    @Test
    void obtainOverADamagedSecretIssuesANewCertificateInTheSameCallAndReportsTheDamageAsAnEvent() throws Exception {
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        try (CertificateManager manager = CertificateManager.builder().issuer(SelfSignedIssuer.builder("letsencrypt-dns01").build())
                .store(store).lockProvider(LockProvider.inJvm()).listener(events::add).build()) {
            StoredCertificate first = manager.obtain(SEED);
            api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").edit(s -> new SecretBuilder(s)
                    .addToData("tls.crt", java.util.Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\ntrunc".getBytes()))
                    .build());
            events.clear();

            StoredCertificate second = manager.obtain(SEED);

            assertThat(second.leaf().getSerialNumber()).isNotEqualTo(first.leaf().getSerialNumber());
            assertThat(store.load(SEED).orElseThrow().leaf()).isEqualTo(second.leaf());
            assertThat(events).filteredOn(e -> e.type() == CertificateEvent.Type.FAILED).singleElement()
                    .extracting(CertificateEvent::message).asString()
                    .contains("damaged", "default/dashboard-imroc-io-tls", "dashboard-imroc-io-tls.damaged-");
            assertThat(api.inspector().secrets().inNamespace("default").list().getItems())
                    .extracting(secret -> secret.getMetadata().getName())
                    .anyMatch(name -> name.startsWith("dashboard-imroc-io-tls.damaged-"));
        }
    }

    @Test
    void aDamagedSecretIsReportedWithTheEntryAndTheReasonAndKeepsTheCause() throws Exception {
        store.save(SEED, TestCertificates.issue(SEED, 1));
        api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").edit(s -> new SecretBuilder(s)
                .addToData("tls.crt", java.util.Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\ntrunc".getBytes()))
                .build());

        dev.autocert4j.store.CorruptStoreException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                dev.autocert4j.store.CorruptStoreException.class, () -> store.load(SEED));

        assertThat(e.getMessage()).startsWith("Secret default/dashboard-imroc-io-tls holds no readable tls.crt: ")
                .doesNotContain("null").doesNotContain("tls.key");
        assertThat(e).hasCauseInstanceOf(dev.autocert4j.store.StoreException.class);
        assertThat(e.getCause().getCause()).isInstanceOf(dev.autocert4j.store.Pem.InvalidPemException.class);

        store.save(SEED, TestCertificates.issue(SEED, 2));
        api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").edit(s -> new SecretBuilder(s)
                .removeFromData("tls.key").build());
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(dev.autocert4j.store.CorruptStoreException.class,
                () -> store.load(SEED)).getMessage()).startsWith("Secret default/dashboard-imroc-io-tls has no tls.key");
    }

    @Test
    void aDamagedSecretWithKeystoresLeavesNoPrivateKeyInItsCopy() throws Exception {
        api.inspector().secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata()
                .withName("p12-password").withNamespace("default").endMetadata()
                .addToData("password", java.util.Base64.getEncoder().encodeToString("changeit".getBytes())).build()).create();
        KubernetesSecretStore withKeystores = KubernetesSecretStore.builder(api.client())
                .pkcs12Keystore(new SecretKeyRef("p12-password", "password")).build();
        withKeystores.save(SEED, TestCertificates.issue(SEED, 1));
        api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").edit(s -> new SecretBuilder(s)
                .addToData("tls.key", java.util.Base64.getEncoder().encodeToString("garbled".getBytes())).build());

        dev.autocert4j.store.CorruptStoreException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                dev.autocert4j.store.CorruptStoreException.class, () -> withKeystores.load(SEED));

        Secret copy = api.inspector().secrets().inNamespace("default")
                .withName(e.movedAside().get(0).substring("default/".length())).get();
        assertThat(copy.getData()).containsKeys("tls.crt", "truststore.p12").doesNotContainKeys("tls.key", "keystore.p12");
        assertThat(copy.getMetadata().getAnnotations()).containsEntry("autocert4j.dev/left-out", "tls.key,keystore.p12");
    }

    @Test
    void twoCertificatesWithOneSecretNameGetAnErrorNamingBothInsteadOfOverwritingEachOther() throws Exception {
        Certificate other = Certificate.builder("dashboard-v2").namespace("default").secretName("dashboard-imroc-io-tls")
                .dnsNames("v2.dashboard.imroc.io").issuerRef(IssuerRef.clusterIssuer("letsencrypt-dns01")).build();
        store.save(SEED, TestCertificates.issue(SEED, 1));
        String before = api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").get()
                .getMetadata().getResourceVersion();

        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : java.util.List.<
                org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(() -> store.load(other),
                () -> store.save(other, TestCertificates.issue(other, 1)))) {
            assertThatThrownBy(call).isInstanceOf(SecretNameConflictException.class)
                    .hasMessageContaining("Secret default/dashboard-imroc-io-tls")
                    .hasMessageContaining("default/dashboard-imroc-io")
                    .hasMessageContaining("default/dashboard-v2")
                    .hasMessageContaining("give each certificate its own secretName")
                    .satisfies(t -> assertThat(((SecretNameConflictException) t).isRetryable()).isFalse());
        }
        assertThat(api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").get()
                .getMetadata().getResourceVersion()).as("untouched").isEqualTo(before);
        assertThat(store.load(SEED)).as("the owner still loads it").isPresent();
    }

    @Test
    void aCertManagerSecretOfAnotherCertificateIsNeitherAdoptedNorOverwritten() throws Exception {
        api.inspector().secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata()
                .withName("dashboard-imroc-io-tls").withNamespace("default")
                .addToAnnotations("cert-manager.io/certificate-name", "someone-elses").endMetadata()
                // an API server refuses a kubernetes.io/tls Secret without both keys
                .withType("kubernetes.io/tls").addToData("tls.crt", "Zm9yZWlnbi1jZXJ0").addToData("tls.key", "Zm9yZWlnbi1rZXk=")
                .build()).create();

        assertThatThrownBy(() -> store.save(SEED, TestCertificates.issue(SEED, 1)))
                .isInstanceOf(SecretNameConflictException.class).hasMessageContaining("default/someone-elses");
        assertThat(api.inspector().secrets().inNamespace("default").withName("dashboard-imroc-io-tls").get().getData())
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of("tls.crt", "Zm9yZWlnbi1jZXJ0", "tls.key", "Zm9yZWlnbi1rZXk="));
    }

    @Test
    void failureAnnotationKeysStayWithinSixtyThreeCharactersForTheLongestCertificateNames() throws Exception {
        String longest = ("a".repeat(62) + ".").repeat(4) + "a".repeat(1); // 253 characters
        String sibling = longest.substring(0, 252) + "b";
        assertThat(longest).hasSize(253);
        java.time.Instant failed = java.time.Instant.parse("2026-05-01T00:00:00Z");
        java.util.List<String> names = java.util.List.of(longest, sibling, "a".repeat(54), "a".repeat(55));
        for (int i = 0; i < names.size(); i++) {
            store.saveFailures(failing(names.get(i)), new dev.autocert4j.store.IssuanceFailures(
                    failing(names.get(i)).specFingerprint(), i + 1, failed, failed.plusSeconds(60), "down"));
        }

        java.util.Set<String> keys = api.inspector().secrets().inNamespace("default").withName("autocert4j-issuance-failures")
                .get().getMetadata().getAnnotations().keySet();
        // The API server (and KubernetesMockApi's validation in front of the CRUD mock) answers 422 beyond 63.
        assertThat(keys).filteredOn(k -> k.startsWith("autocert4j.dev/failures.")).hasSize(4).allSatisfy(k -> {
            String namePart = k.substring("autocert4j.dev/".length());
            assertThat(namePart).hasSizeLessThanOrEqualTo(63).matches("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
        });
        assertThat(keys).contains("autocert4j.dev/failures." + "a".repeat(54));
        for (int i = 0; i < names.size(); i++) {
            int attempts = i + 1;
            Certificate cert = failing(names.get(i));
            assertThat(KubernetesSecretStore.of(api.client()).loadFailures(cert)).as(names.get(i).length() + " characters")
                    .hasValueSatisfying(f -> assertThat(f.attempts()).isEqualTo(attempts));
        }
        store.clearFailures(failing(longest));
        assertThat(store.loadFailures(failing(longest))).isEmpty();
        assertThat(store.loadFailures(failing(sibling))).as("a name differing only at its end").isPresent();
    }

    private static Certificate failing(String name) {
        return Certificate.builder(name).namespace("default").dnsNames("x.example.com")
                .issuerRef(IssuerRef.clusterIssuer("ca")).build();
    }
}
