package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.solver.dns.cloudflare.CloudflareEmulator;
import dev.autocert4j.store.Pem;
import dev.autocert4j.solver.dns.cloudflare.PebbleOverBind;
import dev.autocert4j.testing.support.KnownSecrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The seed's DNS-01 ClusterIssuer and Certificate, read byte for byte from the manifests module through
 * {@code autocert4j.manifests.locations}: Pebble stands in for Let's Encrypt ({@code acme-server-override}), the
 * Cloudflare API emulator for Cloudflare (writing into BIND, where Pebble looks), the API key comes from the
 * environment under the name the seed's Secret gives it, and the SSL bundle serves the issued certificate.
 */
class SeedManifestsSpringIT {
    private static final String KEY = KnownSecrets.register("seed-spring-it-global-key-0123456789abcdef");
    private static final String SEED_EMAIL = "roc@imroc.io";

    @TempDir
    Path dir;

    @RegisterExtension
    static final PebbleOverBind PEERS = PebbleOverBind.withZones(b -> b.zone("imroc.io"));

    @Test
    void theBundleServesTheSeedCertificateIssuedThroughTheSeedDns01ClusterIssuer() throws Exception {
        Path seed = Path.of(System.getProperty("autocert4j.seed", "../manifests/src/test/resources/seed"));
        Path pebbleRoot = Files.writeString(dir.resolve("pebble-tls.pem"), Pem.encodeChain(List.of(PEERS.pebble().tlsTrustAnchor())));
        try (CloudflareEmulator cloudflare = PEERS.cloudflareIntoBind()
                        .zone("imroc.io").globalKey(SEED_EMAIL, KEY);
                ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
                        .web(WebApplicationType.NONE)
                        .initializers(c -> c.getBeanFactory().registerSingleton("testPeers", (Autocert4jManifestsCustomizer) options -> options
                                .cloudflareBaseUrl(cloudflare.baseUrl())
                                .dns01(PEERS::resolvingThroughBind)))
                        .properties(
                                "autocert4j.manifests.locations=file:" + seed.resolve("dns01-clusterissuer.yaml")
                                        + ",file:" + seed.resolve("certificate.yaml"),
                                "autocert4j.manifests.acme-server-override=" + PEERS.pebble().directoryUrl(),
                                "autocert4j.manifests.trusted-certificates=" + pebbleRoot,
                                // the seed: kubectl create secret generic cloudflare-apikey --from-literal=apikey=<key>
                                "CLOUDFLARE_APIKEY_APIKEY=" + KEY,
                                "autocert4j.store.directory=" + dir.resolve("store"))
                        .run()) {
            SslBundle bundle = context.getBean(SslBundles.class).getBundle("autocert4j");
            java.security.cert.Certificate[] chain = bundle.getStores().getKeyStore().getCertificateChain(bundle.getKey().getAlias());

            X509Certificate leaf = (X509Certificate) chain[0];
            assertThat(leaf.getSubjectAlternativeNames()).extracting(san -> (Object) san.get(1)).containsExactly("dashboard.imroc.io");
            X509Certificate last = (X509Certificate) chain[chain.length - 1];
            last.verify(PEERS.pebble().rootCertificate().getPublicKey()); // issued by Pebble, under its current root
            assertThat(cloudflare.requests()).anyMatch(r -> r.startsWith("POST ")).anyMatch(r -> r.startsWith("DELETE "));
            assertThat(cloudflare.txtRecordCount()).as("TXT records left at Cloudflare").isZero();
        }
    }
}
