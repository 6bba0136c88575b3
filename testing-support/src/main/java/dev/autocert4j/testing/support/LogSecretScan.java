package dev.autocert4j.testing.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fails the build when any test's captured output holds a secret: a PEM private key block, or
 * one of the secrets tests registered with {@link KnownSecrets}. Runs after the integration tests
 * (exec-maven-plugin in the verify phase, {@code classpathScope} test, the module's
 * {@code target} directory as the argument), over Surefire's and Failsafe's reports. Modules
 * whose tests handle secrets set {@code redirectTestOutputToFile} so the output is in the reports.
 */
public final class LogSecretScan {
    private static final Pattern PEM_PRIVATE_KEY = Pattern.compile("-----BEGIN [A-Z ]*PRIVATE KEY-----");

    private LogSecretScan() {
    }

    /**
     * @param args the build directory ({@code target})
     * @throws IOException when the reports cannot be read
     */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        List<String> findings = scan(target, KnownSecrets.read(target));
        if (!findings.isEmpty()) {
            findings.forEach(System.err::println);
            throw new IllegalStateException(findings.size() + " secret(s) found in test output; see the lines above");
        }
        System.out.println("Secret scan: no secrets in the test output under " + target);
    }

    /**
     * @param target the build directory holding {@code surefire-reports} and {@code failsafe-reports}
     * @param knownSecrets secret values to look for
     * @return one line per finding, naming the file and the kind of secret, never its value
     * @throws IOException when a report cannot be read
     */
    public static List<String> scan(Path target, List<String> knownSecrets) throws IOException {
        List<String> findings = new ArrayList<>();
        for (String reports : List.of("surefire-reports", "failsafe-reports")) {
            Path dir = target.resolve(reports);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".txt")
                        || f.getFileName().toString().endsWith(".xml")).sorted().toList()) {
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    if (PEM_PRIVATE_KEY.matcher(text).find()) {
                        findings.add(file + ": contains a PEM private key");
                    }
                    for (int i = 0; i < knownSecrets.size(); i++) {
                        if (text.contains(knownSecrets.get(i))) {
                            // Name the secret by its index, never by its value.
                            findings.add(file + ": contains registered secret #" + i);
                        }
                    }
                }
            }
        }
        return findings;
    }
}
