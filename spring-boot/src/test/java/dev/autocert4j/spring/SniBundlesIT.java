package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.testing.internal.Poll;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two certificates on one embedded Tomcat, one per SNI name, through the per-certificate bundles
 * ({@code autocert4j-<name>}) and Spring Boot's {@code server.ssl.server-name-bundles}; a renewal of one reaches
 * its name from the next handshake on, without a restart.
 */
class SniBundlesIT {
    @TempDir
    Path dir;

    @Test
    void eachNameGetsItsOwnCertificateAndItsRenewal() throws Exception {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                .properties("server.address=127.0.0.1", "server.port=0",
                        "server.ssl.bundle=autocert4j",
                        "server.ssl.server-name-bundles[0].server-name=api.internal",
                        "server.ssl.server-name-bundles[0].bundle=autocert4j-api",
                        "server.ssl.server-name-bundles[1].server-name=www.internal",
                        "server.ssl.server-name-bundles[1].bundle=autocert4j-www",
                        "autocert4j.issuers.internal.self-signed=true",
                        "autocert4j.certificates.api.dns-names=api.internal",
                        "autocert4j.certificates.www.dns-names=www.internal",
                        "autocert4j.store.directory=" + dir)
                .run()) {
            int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
            CertificateManager manager = context.getBean(CertificateManager.class);
            Certificate api = certificate(manager, "api");
            Certificate www = certificate(manager, "www");

            TlsProbe.Response apiResponse = probe(manager, api).get(port, "api.internal");
            TlsProbe.Response wwwResponse = probe(manager, www).get(port, "www.internal");
            assertThat(apiResponse.statusLine()).isEqualTo("HTTP/1.1 200 ");
            assertThat(wwwResponse.statusLine()).isEqualTo("HTTP/1.1 200 ");
            assertThat(apiResponse.serial()).isEqualTo(stored(manager, api).getSerialNumber());
            assertThat(wwwResponse.serial()).isEqualTo(stored(manager, www).getSerialNumber());

            manager.renew(www);
            BigInteger renewed = stored(manager, www).getSerialNumber();
            TlsProbe renewedProbe = probe(manager, www);
            AtomicReference<BigInteger> seen = new AtomicReference<>();
            // The bundle update reaches Tomcat on the event's thread; a bounded wait, not a timing claim.
            Poll.until(Duration.ofSeconds(30), () -> {
                try {
                    seen.set(renewedProbe.get(port, "www.internal").serial());
                } catch (Exception e) {
                    seen.set(null); // still the old certificate, which this probe does not trust
                }
                return renewed.equals(seen.get());
            }, () -> "www.internal still not served its renewed certificate, saw " + seen.get());
            assertThat(probe(manager, api).get(port, "api.internal").serial()).as("the other name keeps its certificate")
                    .isEqualTo(apiResponse.serial());
        }
    }

    private static Certificate certificate(CertificateManager manager, String name) {
        return manager.managedCertificates().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static X509Certificate stored(CertificateManager manager, Certificate certificate) throws Exception {
        return manager.store().load(certificate).orElseThrow().leaf();
    }

    /** Self-signed: each certificate is its own trust anchor. */
    private static TlsProbe probe(CertificateManager manager, Certificate certificate) throws Exception {
        return new TlsProbe(stored(manager, certificate));
    }
}
