package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {
    static final SecretRef SEED = new SecretRef("cert-manager", "cloudflare-apikey", "apikey");
    static final String KEY = dev.autocert4j.testing.support.KnownSecrets.register("resolver-key-00112233445566778899");

    @Test
    void namesEnvironmentVariablesAfterSecretAndKey() throws Exception {
        SecretResolver env = SecretResolver.environment(Map.of("CLOUDFLARE_APIKEY_APIKEY", KEY));

        assertThat(SecretResolver.environmentVariable(SEED)).isEqualTo("CLOUDFLARE_APIKEY_APIKEY");
        assertThat(env.resolve(SEED)).contains(KEY);
        assertThat(env.resolve(new SecretRef("cert-manager", "cloudflare-apikey", "email"))).isEmpty();
        assertThat(env.toString()).doesNotContain(KEY);
    }

    @Test
    void readsAMountedSecretDirectoryWithoutTheTrailingNewline(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("cloudflare-apikey"));
        Files.writeString(dir.resolve("cloudflare-apikey/apikey"), KEY + "\n");
        SecretResolver files = SecretResolver.directory(dir);

        assertThat(files.resolve(SEED)).contains(KEY);
        assertThat(files.resolve(new SecretRef("cert-manager", "other", "apikey"))).isEmpty();
        assertThat(files.resolve(new SecretRef("cert-manager", "..", "apikey"))).isEmpty();
    }

    @Test
    void firstOfAsksInOrderUntilOneHasTheSecret() throws Exception {
        SecretResolver resolver = SecretResolver.firstOf(ref -> Optional.empty(),
                SecretResolver.environment(Map.of("CLOUDFLARE_APIKEY_APIKEY", "first")),
                ref -> Optional.of("second"));

        assertThat(resolver.resolve(SEED)).contains("first");
    }

    @Test
    void refusesBlankReferences() {
        assertThatThrownBy(() -> new SecretRef("ns", " ", "k")).isInstanceOf(IllegalArgumentException.class);
    }
}
