package dev.autocert4j.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stores build paths and Secret names from an account key reference, so both parts are object names. */
class AccountKeyRefTest {
    @ParameterizedTest
    @ValueSource(strings = {"../../etc", "..", "a/b", "", "Prod", "team a", "-ns", "ns\u0000"})
    void refusesANamespaceThatIsNotAnObjectName(String namespace) {
        assertThatThrownBy(() -> new AccountKeyRef("account-key", Optional.of(namespace)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("privateKeySecretRef namespace")
                .hasMessageContaining("lower case letters, digits");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../key", "a/b", "KEY"})
    void refusesANameThatIsNotAnObjectName(String name) {
        assertThatThrownBy(() -> new AccountKeyRef(name, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("privateKeySecretRef");
    }

    @Test
    void acceptsObjectNamesAndJoinsThemInItsId() {
        assertThat(new AccountKeyRef("le-account", Optional.of("team-a.prod")).id()).isEqualTo("team-a.prod/le-account");
        assertThat(new AccountKeyRef("le-account", Optional.empty()).id()).isEqualTo("le-account");
    }
}
