package dev.autocert4j.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLockProviderTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    @TempDir
    Path directory;

    @Test
    void secondThreadWaitsUntilTheFirstReleases() throws Exception {
        FileLockProvider provider = FileLockProvider.of(directory);
        LockProvider.Lock first = provider.acquire("certificate/default/www", LONG);

        CompletableFuture<LockProvider.Lock> second = CompletableFuture.supplyAsync(() -> acquire(provider, "certificate/default/www"));
        try {
            assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS))
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            first.close();
            second.get(10, TimeUnit.SECONDS).close();
        } finally {
            first.close();
            second.cancel(true);
        }
    }

    @Test
    void timeoutIsRetryableAndNamesTheLock() throws Exception {
        FileLockProvider provider = FileLockProvider.of(directory);
        LockProvider.Lock held = provider.acquire("certificate/default/www", LONG);
        try {
            assertThatThrownBy(() -> provider.acquire("certificate/default/www", Duration.ofMillis(100)))
                    .isInstanceOf(AutocertException.class)
                    .hasMessageContaining("certificate/default/www")
                    .satisfies(e -> assertThat(((AutocertException) e).isRetryable()).isTrue());
        } finally {
            held.close();
        }
    }

    @Test
    void twoProvidersOnOneDirectoryExcludeEachOtherInOneJvm() throws Exception {
        LockProvider.Lock held = FileLockProvider.of(directory).acquire("a", LONG);
        try {
            assertThatThrownBy(() -> FileLockProvider.of(directory).acquire("a", Duration.ofMillis(100)))
                    .isInstanceOf(AutocertException.class);
        } finally {
            held.close();
        }
        FileLockProvider.of(directory).acquire("a", LONG).close();
    }

    @Test
    void differentNamesDoNotBlockEachOther() throws Exception {
        FileLockProvider provider = FileLockProvider.of(directory);
        LockProvider.Lock a = provider.acquire("certificate/default/a", LONG);
        try {
            provider.acquire("certificate/default/b", Duration.ofMillis(100)).close();
        } finally {
            a.close();
        }
    }

    @Test
    void closeIsIdempotentAndReleases() throws Exception {
        FileLockProvider provider = FileLockProvider.of(directory);
        LockProvider.Lock lock = provider.acquire("x", LONG);

        lock.close();
        lock.close();

        provider.acquire("x", Duration.ofMillis(100)).close();
    }

    @Test
    void lockFilesHaveSafeDistinctNamesInsideTheDirectory() {
        FileLockProvider provider = FileLockProvider.of(directory);

        Path slashed = provider.lockFile("certificate/default/www");
        Path underscored = provider.lockFile("certificate_default_www");
        Path escaping = provider.lockFile("../../etc/passwd");

        assertThat(slashed.getParent()).isEqualTo(directory.toAbsolutePath().normalize());
        assertThat(slashed.getFileName().toString()).matches("certificate_default_www-[0-9a-f]{8}\\.lock");
        assertThat(underscored).isNotEqualTo(slashed);
        assertThat(escaping.getParent()).isEqualTo(directory.toAbsolutePath().normalize());
    }

    @Test
    void aLockHeldByAnotherProcessBlocksUntilThatProcessLetsGo() throws Exception {
        FileLockProvider provider = FileLockProvider.of(directory);
        Path lockFile = provider.lockFile("certificate/default/www");
        Files.createDirectories(lockFile.getParent());
        Path source = directory.resolve("Hold.java");
        Files.writeString(source, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class Hold {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel channel = FileChannel.open(Path.of(args[0]),
                                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                                var lock = channel.lock()) {
                            System.out.println("locked");
                            System.out.flush();
                            System.in.read(); // hold until stdin closes
                        }
                    }
                }
                """);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, source.toString(), lockFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");

            assertThatThrownBy(() -> provider.acquire("certificate/default/www", Duration.ofMillis(300)))
                    .isInstanceOf(AutocertException.class).hasMessageContaining("another process");

            child.getOutputStream().close();
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            provider.acquire("certificate/default/www", LONG).close();
        } finally {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static LockProvider.Lock acquire(FileLockProvider provider, String name) {
        try {
            return provider.acquire(name, LONG);
        } catch (AutocertException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
