package dev.autocert4j.testing;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.file.FileCertificateStore;
import dev.autocert4j.testing.internal.Poll;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The child JVM of {@link MultiProcessSharedStoreIT}: one "replica" of an application. It builds a
 * manager over the shared store directory exactly as an application would (no
 * {@code .lockProvider(...)}: the store's own file locks), prints {@code READY}, waits until the go
 * file exists, so that every replica starts at the same moment, and then obtains every certificate
 * at once, one thread each. It prints {@code ORDER_CREATED <namespace/name>} for each order it places and
 * {@code OBTAINED <name> <serial>} for each certificate it returns.
 *
 * <p>Arguments: store directory, ACME directory URL, PEM file of Pebble's TLS certificate, BIND
 * port, go file, then the certificate names; the TSIG secret comes in the environment variable
 * {@code AUTOCERT4J_TEST_TSIG}.
 */
final class SharedStoreChild {
    private SharedStoreChild() {
    }

    static Certificate certificate(String name) {
        return Certificate.builder(name).dnsNames(name + ".example.test").issuerRef(IssuerRef.clusterIssuer("pebble")).build();
    }

    /** @param args see the class description */
    public static void main(String[] args) throws Exception {
        FileCertificateStore store = FileCertificateStore.of(Path.of(args[0]));
        InetSocketAddress bind = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[3]));
        X509Certificate anchor = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(Path.of(args[2]))));
        Path go = Path.of(args[4]);
        List<String> names = List.of(args).subList(5, args.length);
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("pebble").directory(URI.create(args[1])).trustedCertificates(anchor).build())
                .solver(Dns01IT.solver(bind, System.getenv("AUTOCERT4J_TEST_TSIG")).pollInterval(Duration.ofMillis(100)).build())
                .store(store)
                .listener(event -> {
                    if (event.type() == CertificateEvent.Type.ORDER_CREATED) {
                        print("ORDER_CREATED " + event.certificateId());
                    }
                })
                .build();
        print("READY");
        Poll.until(Duration.ofSeconds(60), () -> Files.exists(go), () -> "no go file " + go + " within 60 s");
        ExecutorService pool = Executors.newFixedThreadPool(names.size());
        List<Future<StoredCertificate>> results = new ArrayList<>();
        for (String name : names) {
            results.add(pool.submit(() -> manager.obtain(certificate(name))));
        }
        for (int i = 0; i < names.size(); i++) {
            print("OBTAINED " + names.get(i) + " " + results.get(i).get().leaf().getSerialNumber().toString(16));
        }
        pool.shutdown();
        manager.close();
        System.exit(0);
    }

    private static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
