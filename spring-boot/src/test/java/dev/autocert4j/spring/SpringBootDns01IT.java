package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.solver.dns.cloudflare.CloudflareEmulator;
import dev.autocert4j.store.Pem;
import dev.autocert4j.solver.dns.cloudflare.PebbleOverBind;
import dev.autocert4j.testing.BindServer;
import dev.autocert4j.testing.support.KnownSecrets;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Wildcard certificates through DNS-01 configured by properties only, against real peers: Pebble validating
 * against BIND, whose zone is updated over RFC 2136 with a TSIG key, or by the Cloudflare API emulator (which
 * writes into the same BIND). The SSL bundle asks for the certificate, as the web server does at start-up.
 */
class SpringBootDns01IT {
    private static final String TOKEN = KnownSecrets.register("cf-spring-it-" + java.util.UUID.randomUUID());

    @TempDir
    static Path dir;
    private static Path trusted;

    @RegisterExtension
    static final PebbleOverBind PEERS = PebbleOverBind.withZones(b -> b.zone("example.test").zone("example.org"));

    @BeforeAll
    static void registerTsigSecretAndWritePebbleTrust() throws Exception {
        KnownSecrets.register(PEERS.bind().tsigSecret());
        trusted = dir.resolve("pebble-tls.pem");
        Files.writeString(trusted, Pem.encodeChain(List.of(PEERS.pebble().tlsTrustAnchor())));
    }

    private static ConfigurableApplicationContext start(String store, String... solverProperties) throws Exception {
        List<String> properties = new ArrayList<>(List.of(
                "autocert4j.issuers.pebble.acme.server=" + PEERS.pebble().directoryUrl(),
                "autocert4j.issuers.pebble.acme.trusted-certificates=" + trusted,
                "autocert4j.http01.address=127.0.0.1",
                "autocert4j.http01.port=" + freePort(),
                "autocert4j.store.directory=" + dir.resolve(store)));
        properties.addAll(List.of(solverProperties));
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    private static List<Object> servedNames(ConfigurableApplicationContext context, String bundleName) throws Exception {
        SslBundle bundle = context.getBean(SslBundles.class).getBundle(bundleName);
        X509Certificate leaf = (X509Certificate) bundle.getStores().getKeyStore().getCertificate(bundle.getKey().getAlias());
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(PEERS.pebble().intermediateCertificate().getSubjectX500Principal());
        return leaf.getSubjectAlternativeNames().stream().map(san -> (Object) san.get(1)).toList();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void obtainsAWildcardThroughRfc2136ConfiguredByPropertiesOnly() throws Exception {
        try (ConfigurableApplicationContext context = start("rfc2136",
                "autocert4j.solvers.bind.dns01.rfc2136.nameserver=127.0.0.1:" + PEERS.bind().port(),
                "autocert4j.solvers.bind.dns01.rfc2136.tsig-key-name=" + BindServer.TSIG_KEY_NAME,
                "autocert4j.solvers.bind.dns01.rfc2136.tsig-algorithm=" + BindServer.TSIG_ALGORITHM,
                // as ${TSIG_SECRET} from the environment would be
                "autocert4j.solvers.bind.dns01.rfc2136.tsig-secret=${AUTOCERT4J_IT_TSIG_SECRET}",
                "AUTOCERT4J_IT_TSIG_SECRET=" + PEERS.bind().tsigSecret(),
                "autocert4j.solvers.bind.dns01.resolvers=127.0.0.1:" + PEERS.bind().port(),
                "autocert4j.solvers.bind.dns01.nameserver-port=" + PEERS.bind().port(),
                "autocert4j.solvers.bind.dns01.poll-interval=100ms",
                "autocert4j.solvers.bind.selector.dns-zones=example.test",
                "autocert4j.certificates.wild.dns-names=*.example.test, example.test")) {

            assertThat(servedNames(context, "autocert4j")).containsExactlyInAnyOrder("*.example.test", "example.test");
        }
    }

    @Test
    void obtainsAWildcardThroughCloudflareConfiguredByPropertiesOnly() throws Exception {
        try (CloudflareEmulator cloudflare = PEERS.cloudflareIntoBind()
                .zone("example.org").token(TOKEN);
                ConfigurableApplicationContext context = start("cloudflare",
                        "autocert4j.solvers.cf.dns01.cloudflare.api-token=${AUTOCERT4J_IT_CLOUDFLARE_TOKEN}",
                        "AUTOCERT4J_IT_CLOUDFLARE_TOKEN=" + TOKEN,
                        "autocert4j.solvers.cf.dns01.cloudflare.base-url=" + cloudflare.baseUrl(),
                        "autocert4j.solvers.cf.dns01.resolvers=127.0.0.1:" + PEERS.bind().port(),
                        "autocert4j.solvers.cf.dns01.nameserver-port=" + PEERS.bind().port(),
                        "autocert4j.solvers.cf.dns01.poll-interval=100ms",
                        "autocert4j.certificates.wild.dns-names=*.example.org, example.org",
                        "autocert4j.certificates.wild.solvers=cf")) {

            assertThat(servedNames(context, "autocert4j")).containsExactlyInAnyOrder("*.example.org", "example.org");
            assertThat(cloudflare.requests()).anyMatch(r -> r.startsWith("POST ")).anyMatch(r -> r.startsWith("DELETE "));
            assertThat(cloudflare.txtRecordCount()).as("records left at Cloudflare").isZero();
        }
    }
}
