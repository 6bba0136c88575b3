package dev.autocert4j.internal.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.internal.x509.KeyPairs;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.Connection;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.provider.GenericAcmeProvider;
import org.shredzone.acme4j.toolbox.JSON;
import org.shredzone.acme4j.toolbox.JSONBuilder;

/**
 * The binding acme4j would send for a registration, caught at acme4j's connection (no CA needed:
 * what matters is the JWS the CA would receive).
 */
class ExternalAccountBindingTest {
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    /** Records the claims of the newAccount request and stops there. */
    private static final class RecordingProvider extends GenericAcmeProvider {
        final AtomicReference<Map<String, Object>> newAccountClaims = new AtomicReference<>();

        @Override
        public JSON directory(Session session, URI serverUri) {
            return JSON.parse("{\"newNonce\":\"https://ca.test/nonce\",\"newAccount\":\"https://ca.test/account\","
                    + "\"newOrder\":\"https://ca.test/order\"}");
        }

        @Override
        public Connection connect(URI serverUri, NetworkSettings settings, HttpClient client) {
            return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                    (proxy, method, args) -> {
                        if (method.getName().equals("sendSignedRequest") && args.length == 4) {
                            newAccountClaims.set(((JSONBuilder) args[1]).toMap());
                            throw new AcmeException("recorded, not sent");
                        }
                        if (method.getName().equals("close")) {
                            return null;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> bindingSentFor(byte[] hmacKey) {
        RecordingProvider provider = new RecordingProvider();
        Session session = new Session(URI.create("https://ca.test/directory"), provider);
        AccountBuilder builder = new AccountBuilder().agreeToTermsOfService()
                .useKeyPair(KeyPairs.generate(PrivateKeySpec.ecdsa(256)));
        ExternalAccountBinding.parse("kid-1", B64URL.encodeToString(hmacKey)).applyTo(builder);
        assertThatThrownBy(() -> builder.createLogin(session)).hasMessageContaining("recorded");
        return (Map<String, Object>) provider.newAccountClaims.get().get("externalAccountBinding");
    }

    private static String header(Map<String, Object> binding) {
        return new String(Base64.getUrlDecoder().decode((String) binding.get("protected")), StandardCharsets.UTF_8);
    }

    private static byte[] key(int bytes) {
        byte[] key = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            key[i] = (byte) (i * 7 + 3);
        }
        return key;
    }

    @Test
    void aSixtyFourByteKeyIsStillSignedWithHs256AsCertManagerSignsIt() throws Exception {
        byte[] hmacKey = key(64); // acme4j alone picks HS512 for a key this long
        Map<String, Object> binding = bindingSentFor(hmacKey);

        assertThat(JSON.parse(header(binding)).get("alg").asString()).isEqualTo("HS256");
        assertThat(JSON.parse(header(binding)).get("kid").asString()).isEqualTo("kid-1");
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(hmacKey, "HmacSHA256"));
        byte[] expected = mac.doFinal((binding.get("protected") + "." + binding.get("payload")).getBytes(StandardCharsets.US_ASCII));
        assertThat(binding.get("signature")).isEqualTo(B64URL.encodeToString(expected));
    }

    @Test
    void aFortyEightByteKeyIsSignedWithHs256Too() {
        assertThat(JSON.parse(header(bindingSentFor(key(48)))).get("alg").asString()).isEqualTo("HS256");
    }

    @Test
    void refusesStandardBase64WithPlusOrSlashAndSaysWhatBase64UrlUses() {
        String standard = Base64.getEncoder().encodeToString(new byte[] {(byte) 0xfb, (byte) 0xff, 0, 1, 2, 3}).repeat(8);
        assertThat(standard).containsAnyOf("+", "/");
        assertThatThrownBy(() -> ExternalAccountBinding.parse("kid", standard))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not base64url").hasMessageContaining("'-' and '_'")
                .hasMessageNotContaining(standard);
    }

    @Test
    void refusesAKeyShorterThanThirtyTwoBytesAndNamesTheMinimum() {
        String sixteen = B64URL.encodeToString(key(16));
        String thirtyOne = B64URL.encodeToString(key(31));
        assertThatThrownBy(() -> ExternalAccountBinding.parse("kid", sixteen))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes").hasMessageContaining("at least 32");
        assertThatThrownBy(() -> ExternalAccountBinding.parse("kid", thirtyOne))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("31 bytes");
    }

    @Test
    void acceptsThirtyTwoBytesAndToleratesTrailingPaddingAsCertManagerDoes() {
        String padded = Base64.getUrlEncoder().encodeToString(key(32));
        assertThat(padded).endsWith("=");
        assertThat(ExternalAccountBinding.parse("kid", padded).keyId()).isEqualTo("kid");
        assertThat(ExternalAccountBinding.parse("kid", B64URL.encodeToString(key(32))).toString())
                .doesNotContain(B64URL.encodeToString(key(32))).contains("32 bytes");
    }

    @Test
    void refusesPaddingInTheMiddleAndCharactersOutsideBase64Url() {
        assertThatThrownBy(() -> ExternalAccountBinding.parse("kid", "AAAA=AAAA" + B64URL.encodeToString(key(32))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not base64url");
        assertThatThrownBy(() -> ExternalAccountBinding.parse("kid", B64URL.encodeToString(key(32)) + "==="))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not base64url");
    }
}
