package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.TxtRecord;
import dev.autocert4j.testing.support.ReadmeFigures;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;

/** Promises of the README's "Coming from cert-manager" and "What maps to what" about reading manifests. */
class ReadmeMappingPromisesTest {
    static final String TSIG_SECRET = dev.autocert4j.testing.support.KnownSecrets.register("dGhpcyBpcyBhIHRzaWcga2V5IHNlY3JldA==");
    static final String EAB_KEY = dev.autocert4j.testing.support.KnownSecrets.register("c2VjcmV0LWhtYWMta2V5LW9mLWF0LWxlYXN0LTE2LWJ5dGVz");

    @Test
    void aMissingSecretNamesTheFieldAndAllThreeWaysToSupplyIt() {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parse(
                BrokenManifestsTest.issuer("name: cloudflare-apikey", "name: cloudflare-missing"), "issuer.yaml",
                ManifestOptions.builder().secrets(SecretResolver.environment(Map.of())).build()));

        assertThat(e).isNotNull();
        assertThat(e.field()).isEqualTo("spec.acme.solvers[0].dns01.cloudflare.apiKeySecretRef");
        assertThat(e.problem())
                .as("a Kubernetes Secret")
                .contains("kubectl -n cert-manager create secret generic cloudflare-missing --from-literal=api-key=")
                .as("the environment variable").contains("CLOUDFLARE_MISSING_API_KEY")
                .as("a Secret document in the manifests").contains("add a v1 Secret document to the manifests");
    }

    @Test
    void anRfc2136SolverWithoutTsigAlgorithmSignsWithTheReadmesDefault() throws Exception {
        String readmeDefault = ReadmeFigures.figure("rfc2136 \\(nameserver IP\\[:port\\], tsigKeyName, tsigAlgorithm default (\\w+),");
        assertThat(readmeDefault).isEqualTo("HMACMD5");
        // the provider talks TCP (RFC 7766 framing: a two-byte length, then the message)
        try (ServerSocket nameserver = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nameserver.setSoTimeout(10_000);
            DnsProvider provider = rfc2136Provider(nameserver.getLocalPort());

            CompletableFuture<String> create = CompletableFuture.supplyAsync(() -> {
                try {
                    return provider.createTxtRecord(new TxtRecord("_acme-challenge.web.example.com", "example.com",
                            "value", Duration.ofSeconds(60)));
                } catch (Exception e) {
                    return e.getMessage();
                }
            });
            Message request;
            try (Socket connection = nameserver.accept()) {
                DataInputStream in = new DataInputStream(connection.getInputStream());
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                request = new Message(wire);
                Message refusal = new Message(request.getHeader().getID());
                refusal.getHeader().setRcode(Rcode.REFUSED);
                byte[] answer = refusal.toWire();
                DataOutputStream out = new DataOutputStream(connection.getOutputStream());
                out.writeShort(answer.length);
                out.write(answer);
                out.flush();
                create.get(30, TimeUnit.SECONDS);
            }

            TSIGRecord tsig = request.getTSIG();
            assertThat(tsig).as("the request is signed").isNotNull();
            assertThat(tsig.getAlgorithm()).isEqualTo(TSIG.HMAC_MD5);
            assertThat(tsig.getName()).isEqualTo(Name.fromString("acme-update."));
        }
    }

    private static DnsProvider rfc2136Provider(int port) {
        String yaml = BrokenManifestsTest.issuer("""
                        cloudflare:
                          email: ops@example.com
                          apiKeySecretRef:
                            key: api-key
                            name: cloudflare-apikey
                """, """
                        rfc2136:
                          nameserver: 127.0.0.1:%d
                          tsigKeyName: acme-update
                          tsigSecretSecretRef:
                            name: tsig
                            key: secret
                """.formatted(port));
        ManifestOptions options = ManifestOptions.builder()
                .secrets(SecretResolver.environment(Map.of("TSIG_SECRET", TSIG_SECRET))).build();
        Manifests m = Manifests.parse(yaml, "rfc2136.yaml", options);
        return ((Dns01Solver) m.solvers().get(0).solver()).provider();
    }

    @ParameterizedTest(name = "keyAlgorithm {0}")
    @ValueSource(strings = {"HS384", "HS512"})
    void anExternalAccountBindingKeyAlgorithmOtherThanHs256IsRefused(String algorithm) {
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parse(eabIssuer(algorithm), "eab.yaml", eabOptions()));

        assertThat(e).as(algorithm + " is refused").isNotNull();
        assertThat(e.field()).isEqualTo("spec.acme.externalAccountBinding.keyAlgorithm");
        assertThat(e.problem()).contains("'" + algorithm + "' is not supported: HS256 is used");
    }

    @Test
    void anExternalAccountBindingKeyAlgorithmOfHs256IsRead() {
        assertThat(ReadmeFigures.figure("externalAccountBinding \\(keyID, keySecretRef; keyAlgorithm only (\\w+)\\)"))
                .isEqualTo("HS256");

        assertThatCode(() -> Manifests.parse(eabIssuer("HS256"), "eab.yaml", eabOptions())).doesNotThrowAnyException();
    }

    private static String eabIssuer(String algorithm) {
        return BrokenManifestsTest.issuer("    server: https", "    externalAccountBinding:\n      keyID: kid-1\n"
                + "      keyAlgorithm: " + algorithm + "\n      keySecretRef:\n        name: zerossl-eab\n        key: secret\n"
                + "    server: https");
    }

    private static ManifestOptions eabOptions() {
        return ManifestOptions.builder().secrets(SecretResolver.environment(Map.of("ZEROSSL_EAB_SECRET", EAB_KEY,
                "CLOUDFLARE_APIKEY_API_KEY", BrokenManifestsTest.KEY))).build();
    }
}
