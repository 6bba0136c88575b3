package dev.autocert4j.store.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.lock.k8s.KubernetesLeaseLockProvider;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.k8s.internal.BookkeepingSecrets;
import dev.autocert4j.testing.BindServer;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.internal.ChildProcess;
import dev.autocert4j.testing.internal.CrashPoint;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import dev.autocert4j.testing.support.KnownSecrets;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * A child JVM renewing through a {@link CertificateManager} over DNS-01 (RFC 2136 into BIND, validated by Pebble)
 * with the Kubernetes Secret store on the mock API server is killed (SIGKILL) at each instant of the order: intent
 * journalled, create returned, handle journalled, challenge triggered, order finalised, and in the middle of saving
 * the Secret. The certificate stored before stays intact, and a new manager on the same store removes what the dead
 * one left (at start-up, or once the dead one's Lease has expired, under the certificate's lock before it orders)
 * and renews: no TXT record in BIND and no entry in the store's journal Secret is left behind. And a TXT record
 * someone else made with the very value we present (in BIND's zone file) survives a kill after the solver
 * answered and before its answer was journalled, and the next manager's cleanup.
 */
class Dns01CrashIT {
    private static BindServer bind;
    private static PebbleServer pebble;
    private KubernetesMockApi api;
    private final List<KubernetesLeaseLockProvider> lockProviders = new ArrayList<>();

    @BeforeAll
    static void startPeers() {
        bind = BindServer.builder().zone("example.test",
                "_acme-challenge.existing IN TXT \"" + Dns01CrashChild.EXISTING.dnsTxtValue() + "\"").start();
        KnownSecrets.register(bind.tsigSecret());
        pebble = PebbleServer.builder().dnsServer(bind.address()).authzReuse(0).start();
    }

    @AfterAll
    static void stopPeers() {
        if (pebble != null) {
            pebble.close();
        }
        if (bind != null) {
            bind.close();
        }
    }

    @BeforeEach
    void startApiServer() {
        api = new KubernetesMockApi();
    }

    @AfterEach
    void stopApiServer() {
        lockProviders.forEach(KubernetesLeaseLockProvider::close);
        api.close();
    }

    private CertificateManager manager() {
        KubernetesLeaseLockProvider locks = SecretStoreCrashChildren.shortLeases(api.client());
        lockProviders.add(locks);
        return CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl()).trustedCertificates(pebble.tlsTrustAnchor()).build())
                .solver(Dns01CrashChild.solver(Dns01CrashChild.rfc2136(bind.port(), bind.tsigSecret()), bind.port()).build())
                .store(KubernetesSecretStore.of(api.client())).lockProvider(locks).build();
    }

    /** The entries of the store's journal, read from its Secret on the API server. */
    private Map<String, String> journalSecret() {
        Secret journal = api.inspector().secrets().inNamespace(KubernetesSecretStore.DEFAULT_CLUSTER_RESOURCE_NAMESPACE)
                .withName(BookkeepingSecrets.CLEANUPS_SECRET).get();
        return journal == null || journal.getData() == null ? Map.of() : journal.getData();
    }

    /** The TXT values BIND serves at {@code name}. */
    private static List<String> txt(String name) throws IOException {
        SimpleResolver resolver = new SimpleResolver(bind.address());
        Message response = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.TXT, DClass.IN)));
        List<String> values = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r instanceof TXTRecord t) {
                values.add(String.join("", t.getStrings()));
            }
        }
        return values;
    }

    private static List<String> challengeRecords(Certificate spec) throws IOException {
        return txt("_acme-challenge." + spec.dnsNames().get(0));
    }

    private String secretVersion(Certificate spec) {
        return api.inspector().secrets().inNamespace("default").withName(spec.secretName()).get().getMetadata().getResourceVersion();
    }

    private ChildProcess startChild(String stage, Certificate spec, Path dir) throws IOException {
        Path anchor = dir.resolve("pebble-tls.pem");
        Files.writeString(anchor, Pem.encodeChain(List.of(pebble.tlsTrustAnchor())));
        return ChildProcess.start("DNS-01 crash child at " + stage, List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                Dns01CrashChild.class.getName(), api.client().getMasterUrl().toString(), stage, spec.name(),
                pebble.directoryUrl().toString(), anchor.toString(), Integer.toString(bind.port())),
                Map.of("AUTOCERT4J_TEST_TSIG", bind.tsigSecret()), dir, dir.resolve("child-" + stage + ".log"));
    }

    /** Runs the child until it reaches the stage (for {@code STORE}: until it saved a few times), then kills it. */
    private void runChildUntilKilled(String stage, Certificate spec, Path dir) throws IOException {
        ChildProcess child = startChild(stage, spec, dir);
        if (stage.equals("STORE")) {
            CrashPoint.killDuringSaves(child, () -> secretVersion(spec), Duration.ofSeconds(60));
        } else {
            CrashPoint.killAt(child, stage, Duration.ofSeconds(90));
        }
    }

    @ParameterizedTest(name = "killed at {0}")
    @ValueSource(strings = {"INTENT_WRITTEN", "CREATE_RETURNED", "HANDLE_CONFIRMED", "CHALLENGE_TRIGGERED", "ORDER_FINALISED", "STORE"})
    void aNewManagerOnTheSecretStoreRemovesWhatAKilledManagerLeftAndRenews(String stage, @TempDir Path dir) throws Exception {
        Certificate spec = Dns01CrashChild.certificate("crash-" + stage.toLowerCase(Locale.ROOT).replace('_', '-'));
        StoredCertificate before = manager().obtain(spec);

        runChildUntilKilled(stage, spec, dir);

        StoredCertificate afterCrash = KubernetesSecretStore.of(api.inspector()).load(spec).orElseThrow();
        assertThat(afterCrash.leaf()).as("the certificate stored before the crash").isEqualTo(before.leaf());
        assertThat(afterCrash.keyPair().getPublic()).isEqualTo(afterCrash.leaf().getPublicKey());
        if (!stage.equals("STORE")) {
            assertThat(challengeRecords(spec)).as("the record the killed process left").hasSize(stage.equals("INTENT_WRITTEN") ? 0 : 1);
            assertThat(journalSecret()).as("the journal the killed process left").hasSize(1);
        }

        // The stored certificate is still good: obtain returns it. The dead child's Lease may still block the
        // start-up cleanup for a few seconds; the renewal waits for it, and under the lock removes what the child left.
        CertificateManager next = manager();
        assertThat(next.obtain(spec).leaf()).isEqualTo(before.leaf());
        StoredCertificate renewed = next.renew(spec);

        assertThat(renewed.leaf().getSerialNumber()).isNotEqualTo(before.leaf().getSerialNumber());
        assertThat(KubernetesSecretStore.of(api.inspector()).load(spec).orElseThrow().leaf()).isEqualTo(renewed.leaf());
        assertThat(challengeRecords(spec)).as("TXT records left in BIND").isEmpty();
        assertThat(journalSecret()).as("entries left in the journal Secret").isEmpty();
    }

    @Test
    void anIdenticalRecordOfSomeoneElseSurvivesAKillBeforeTheSolversAnswerWasJournalled(@TempDir Path dir) throws Exception {
        Certificate spec = Dns01CrashChild.certificate("existing");
        String name = "_acme-challenge.existing.example.test";
        assertThat(txt(name)).as("the zone file's record").containsExactly(Dns01CrashChild.EXISTING.dnsTxtValue());

        CrashPoint.killAt(startChild("EXISTING_RECORD", spec, dir), CrashPoint.Instant.CREATE_RETURNED.name(), Duration.ofSeconds(60));
        assertThat(txt(name)).as("after the kill").containsExactly(Dns01CrashChild.EXISTING.dnsTxtValue());

        manager().cleanUpLeftovers();

        assertThat(txt(name)).as("after the next manager's cleanup").containsExactly(Dns01CrashChild.EXISTING.dnsTxtValue());
        assertThat(journalSecret()).as("entries left in the journal Secret").isEmpty();
    }
}
