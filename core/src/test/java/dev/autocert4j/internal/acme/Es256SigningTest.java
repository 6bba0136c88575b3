package dev.autocert4j.internal.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.internal.x509.P256;
import java.security.KeyPair;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.EcdsaUsingShaAlgorithm;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

class Es256SigningTest {
    private static JsonWebSignature jws(KeyPair pair) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload("{\"identifiers\":[{\"type\":\"dns\",\"value\":\"www.example.com\"}]}");
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKey(pair.getPrivate());
        return jws;
    }

    private static boolean verifies(KeyPair pair, String compact) throws JoseException {
        JsonWebSignature received = new JsonWebSignature();
        received.setCompactSerialization(compact);
        received.setKey(pair.getPublic());
        return received.verifySignature();
    }

    @Test
    void itsEs256SignaturesVerifyWithJose4jsOwnVerification() throws Exception {
        Es256Signing.install();
        KeyPair pair = P256.generateKeyPair();

        String compact = jws(pair).getCompactSerialization();

        assertThat(verifies(pair, compact)).isTrue();
        assertThat(verifies(P256.generateKeyPair(), compact)).isFalse();
        // RFC 7518 3.4: R and S, 32 bytes each, not DER.
        assertThat(java.util.Base64.getUrlDecoder().decode(compact.substring(compact.lastIndexOf('.') + 1))).hasSize(64);
    }

    @Test
    void aSignatureProviderNamedInTheProviderContextIsStillUsed() throws Exception {
        Es256Signing.install();
        KeyPair pair = P256.generateKeyPair();
        JsonWebSignature named = jws(pair);
        ProviderContext context = new ProviderContext();
        context.getSuppliedKeyProviderContext().setSignatureProvider("NoSuchProvider");
        named.setProviderContext(context);

        assertThatThrownBy(named::getCompactSerialization).isInstanceOf(JoseException.class)
                .hasMessageContaining("NoSuchProvider");
    }
}
