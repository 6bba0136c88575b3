package dev.autocert4j.store.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code openssl} and {@code keytool}, the independent readers of the keystores we write, in a
 * directory. Their output holds certificates and bag attributes, never a key or a password: keys are
 * written to files and compared by their public halves.
 */
final class KeystoreTools {
    private final Path dir;

    KeystoreTools(Path dir) {
        this.dir = dir;
    }

    /** What a tool printed, and how it ended. */
    record Result(int exitCode, String output) {
    }

    Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    Result openssl(String... args) throws IOException, InterruptedException {
        return run("openssl", args);
    }

    Result keytool(String... args) throws IOException, InterruptedException {
        return run("keytool", args);
    }

    /** @return the public key, PEM, of a file holding a private key ({@code openssl pkey -pubout}) */
    String publicKeyOf(String keyFile) throws IOException, InterruptedException {
        Result result = openssl("pkey", "-in", keyFile, "-pubout");
        if (result.exitCode() != 0) {
            throw new IOException("openssl pkey failed with exit code " + result.exitCode());
        }
        return result.output();
    }

    private Result run(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(Arrays.asList(args));
        Path log = Files.createTempFile(dir, tool, ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(tool + " " + args[0] + " did not finish within 60 s");
        }
        return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    }
}
