package dev.autocert4j.store.k8s;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.rfc2136.Rfc2136DnsProvider;
import dev.autocert4j.store.PendingCleanup;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.testing.BindServer;
import dev.autocert4j.testing.internal.CrashPoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The child JVM of {@link Dns01CrashIT}: renews a certificate stored in a Kubernetes Secret through a
 * {@link CertificateManager} whose DNS-01 solver writes into the parent's BIND over RFC 2136, and stops dead at one
 * {@link CrashPoint.Instant} until the test kills it. Stage {@code STORE} saves the stored certificate over and
 * over instead, so that the kill lands in a save. Stage {@code EXISTING_RECORD} presents {@link #EXISTING} (whose
 * record the zone file holds already) with the store's journal and stops once the solver has answered, before
 * the answer is journalled: in the provider's create, or right after {@code present} when it made no create call.
 *
 * <p>Arguments: API server URL, stage, certificate name, ACME directory URL, PEM file of Pebble's TLS certificate,
 * BIND port; the TSIG secret comes in the environment variable {@code AUTOCERT4J_TEST_TSIG}.
 */
final class Dns01CrashChild {
    /** A challenge whose record is in the zone before anyone presents it: someone else's identical record. */
    static final ChallengeRequest EXISTING = new ChallengeRequest(ChallengeType.DNS_01, Identifier.dns("existing.example.test"),
            "token-existing", "token-existing.thumbprint");

    private Dns01CrashChild() {
    }

    static Certificate certificate(String name) {
        return SecretStoreCrashChildren.certificate(name, "pebble");
    }

    static Dns01Solver.Builder solver(DnsProvider provider, int bindPort) {
        InetSocketAddress bind = new InetSocketAddress("127.0.0.1", bindPort);
        return Dns01Solver.builder().provider(provider).resolvers(bind).nameserverPort(bindPort).pollInterval(Duration.ofMillis(100));
    }

    static DnsProvider rfc2136(int bindPort, String tsigSecret) {
        return Rfc2136DnsProvider.builder().nameserver(new InetSocketAddress("127.0.0.1", bindPort))
                .tsigKey(BindServer.TSIG_KEY_NAME, BindServer.TSIG_ALGORITHM, tsigSecret).build();
    }

    /** @param args see the class description */
    public static void main(String[] args) throws Exception {
        String stage = args[1];
        Certificate spec = certificate(args[2]);
        int bindPort = Integer.parseInt(args[5]);
        String tsig = System.getenv("AUTOCERT4J_TEST_TSIG");
        try (KubernetesClient client = SecretStoreCrashChildren.client(args[0])) {
            KubernetesSecretStore store = KubernetesSecretStore.of(client);
            if (stage.equals("STORE")) {
                CrashPoint.saveOverAndOver(store, spec);
            }
            if (stage.equals("EXISTING_RECORD")) {
                presentExisting(store, spec, bindPort, tsig);
            }
            CrashPoint.Instant instant = CrashPoint.Instant.valueOf(stage);
            SecretStoreCrashChildren.renewUntilKilled(client, spec, "pebble", args[3], Path.of(args[4]),
                    "dns01-crash-child-account-key", solver(CrashPoint.provider(rfc2136(bindPort, tsig), instant), bindPort).build(),
                    instant);
        }
    }

    /**
     * Presents {@link #EXISTING} as a manager would, its intents going to the store's journal, and stops before the
     * answer is journalled.
     */
    private static void presentExisting(KubernetesSecretStore store, Certificate spec, int bindPort, String tsig) throws Exception {
        Dns01Solver solver = solver(CrashPoint.provider(rfc2136(bindPort, tsig), CrashPoint.Instant.CREATE_RETURNED), bindPort)
                .build();
        solver.present(EXISTING, handle -> {
            try {
                store.recordPendingCleanup(new PendingCleanup(spec.id(), solver.solverId(), handle));
            } catch (StoreException e) {
                throw new SolverException("could not journal the intent", true, e);
            }
        });
        // The solver answered without calling the provider's create: the same instant, its answer not journalled yet.
        CrashPoint.reached(CrashPoint.Instant.CREATE_RETURNED.name());
    }
}
