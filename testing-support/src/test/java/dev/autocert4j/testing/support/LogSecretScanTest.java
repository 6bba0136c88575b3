package dev.autocert4j.testing.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSecretScanTest {
    @Test
    void findsPemPrivateKeysAndRegisteredSecretsWithoutPrintingThem(@TempDir Path target) throws Exception {
        Path reports = Files.createDirectories(target.resolve("failsafe-reports"));
        Files.writeString(reports.resolve("A-output.txt"), "log line\n-----BEGIN EC PRIVATE KEY-----\nMHc...\n");
        Files.writeString(reports.resolve("B-output.txt"), "token=s3cr3t-t0ken in a message\n");
        Files.writeString(reports.resolve("C-output.txt"), "-----BEGIN CERTIFICATE----- is fine\n");

        List<String> findings = LogSecretScan.scan(target, List.of("s3cr3t-t0ken"));

        assertThat(findings).hasSize(2);
        assertThat(findings.get(0)).contains("A-output.txt").contains("PEM private key");
        assertThat(findings.get(1)).contains("B-output.txt").contains("secret #0").doesNotContain("s3cr3t");
    }

    @Test
    void cleanOutputHasNoFindings(@TempDir Path target) throws Exception {
        Path reports = Files.createDirectories(target.resolve("surefire-reports"));
        Files.writeString(reports.resolve("A-output.txt"), "Issued by pebble, serial 1a2b\n");

        assertThat(LogSecretScan.scan(target, List.of("s3cr3t"))).isEmpty();
    }
}
