package dev.autocert4j.examples.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.DnsProviders;
import dev.autocert4j.solver.dns.TxtRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The custom provider is found by name through META-INF/services and runs the user's script. */
class ExecDnsProviderTest {
    private static Path hook(Path dir, String body) throws Exception {
        Path script = dir.resolve("dns-hook.sh");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    @Test
    void isFoundByNameAndRunsTheScriptToPresentAndCleanUp(@TempDir Path dir) throws Exception {
        Path calls = dir.resolve("calls.txt");
        Path script = hook(dir, "echo \"$@\" >> " + calls);

        assertThat(DnsProviders.names(ExecDnsProviderTest.class.getClassLoader())).contains("exec");
        DnsProvider provider = DnsProviders.byName("exec", Map.of("command", script.toString()));
        String handle = provider.createTxtRecord(
                new TxtRecord("_acme-challenge.www.example.test", "example.test", "digest-value", Duration.ofSeconds(120)));
        provider.deleteTxtRecord(handle);

        assertThat(Files.readAllLines(calls)).containsExactly(
                "present _acme-challenge.www.example.test digest-value 120",
                "cleanup _acme-challenge.www.example.test digest-value");
    }

    @Test
    void aFailingScriptIsARetryableSolverFailure(@TempDir Path dir) throws Exception {
        DnsProvider provider = new ExecDnsProvider(hook(dir, "exit 3").toString());

        assertThatThrownBy(() -> provider.createTxtRecord(
                new TxtRecord("_acme-challenge.a.example.test", "example.test", "v", Duration.ofSeconds(60))))
                .isInstanceOf(SolverException.class)
                .matches(e -> ((SolverException) e).isRetryable());
    }

    @Test
    void aMissingCommandSettingSaysWhatToSet() {
        assertThatThrownBy(() -> DnsProviders.byName("exec", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("command");
    }
}
