package dev.autocert4j.solver.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Identifier;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.Provider;
import java.security.Security;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The README's "these limits are fixed (no JVM-wide system property is involved)": while the standalone
 * responder starts, answers and refuses, no class of ours reads a system property, and none is set, nor a
 * security provider added.
 */
class StandaloneResponderSystemPropertiesTest {
    private static final ChallengeRequest CHALLENGE =
            new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("a.example.com"), "tok-1_A", "tok-1_A.thumbprint");
    /** Frames between a caller and the property lookup it asked for. */
    private static final Set<String> LOOKUP_CLASSES = Set.of("java.lang.System", "java.util.Properties", "java.lang.Integer",
            "java.lang.Long", "java.lang.Boolean", RecordingProperties.class.getName());

    /** System properties that record which of our classes looks one up. */
    private static final class RecordingProperties extends Properties {
        private static final long serialVersionUID = 1L;
        final Set<String> readByUs = ConcurrentHashMap.newKeySet();

        RecordingProperties(Properties original) {
            putAll(original);
        }

        @Override
        public String getProperty(String key) {
            record(key);
            return super.getProperty(key);
        }

        @Override
        public String getProperty(String key, String defaultValue) {
            record(key);
            return super.getProperty(key, defaultValue);
        }

        private void record(String key) {
            StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                    .filter(c -> !LOOKUP_CLASSES.contains(c)).findFirst())
                    .filter(caller -> caller.startsWith("dev.autocert4j.") && !caller.endsWith("Test"))
                    .ifPresent(caller -> readByUs.add(key + " by " + caller));
        }
    }

    @Test
    void theStandaloneResponderNeitherReadsNorSetsAnyJvmWideProperty() throws Exception {
        Properties original = System.getProperties();
        Map<Object, Object> before = new HashMap<>(original);
        List<Provider> providersBefore = List.of(Security.getProviders());
        RecordingProperties recording = new RecordingProperties(original);
        System.setProperties(recording);
        try {
            int port;
            try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = free.getLocalPort();
            }
            try (Http01Solver solver = Http01Solver.builder().standalone("127.0.0.1", port).build()) {
                solver.present(CHALLENGE);
                InetSocketAddress address = solver.address().orElseThrow();
                String head = "GET /.well-known/acme-challenge/tok-1_A HTTP/1.1\r\nHost: a.example.com\r\n";

                assertThat(RawHttpClient.exchange(address, head + "\r\n", Duration.ofSeconds(10))).startsWith("HTTP/1.1 200 ");
                assertThat(RawHttpClient.exchange(address, head + "X-Filler: " + "a".repeat(9_000) + "\r\n\r\n",
                        Duration.ofSeconds(10))).startsWith("HTTP/1.1 431 ");
            }
            assertThat(recording.readByUs).as("system properties our classes looked up").isEmpty();
            Map<Object, Object> after = new HashMap<>(recording);
            assertThat(after).as("system properties after serving").isEqualTo(before);
            assertThat(Security.getProviders()).containsExactlyElementsOf(providersBefore);
        } finally {
            System.setProperties(original);
        }
    }
}
