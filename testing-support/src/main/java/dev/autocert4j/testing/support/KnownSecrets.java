package dev.autocert4j.testing.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Secrets that tests hand to the code under test (EAB keys, API tokens, TSIG keys). Registered
 * here, they are looked for in every test's output by {@link LogSecretScan} after the build's
 * tests ran. Stored under {@code target/} only.
 */
public final class KnownSecrets {
    private static final Path FILE = Path.of("target", "known-secrets.txt");

    private KnownSecrets() {
    }

    /**
     * @param secret a secret value that must never show up in logs
     * @return the secret, for inline use
     */
    public static synchronized String register(String secret) {
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param target the build directory
     * @return the secrets registered during this build
     * @throws IOException when the file cannot be read
     */
    public static List<String> read(Path target) throws IOException {
        Path file = target.resolve("known-secrets.txt");
        return Files.exists(file)
                ? Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(s -> !s.isBlank()).distinct().toList()
                : List.of();
    }
}
