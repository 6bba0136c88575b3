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
 * A test CA made with the {@code openssl} command, independent of our own code: a self-signed root
 * and an intermediate it signed, as a private CA or an ACME CA has them. Leaves are signed by the
 * intermediate. Used to write fixture Secrets the way cert-manager writes them.
 */
final class OpensslCa {
    private final Path dir;
    private int serial;

    OpensslCa(Path dir) throws IOException, InterruptedException {
        this.dir = dir;
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "root.key", "-out", "root.crt", "-subj", "/CN=Fixture Root", "-days", "3650",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "intermediate.key", "-out", "intermediate.csr", "-subj", "/CN=Fixture Intermediate");
        Files.writeString(dir.resolve("intermediate.cnf"), "[v3]\nbasicConstraints=critical,CA:TRUE,pathlen:0\n"
                + "keyUsage=critical,keyCertSign,cRLSign\n");
        openssl("x509", "-req", "-in", "intermediate.csr", "-CA", "root.crt", "-CAkey", "root.key", "-set_serial", "1",
                "-days", "3650", "-extfile", "intermediate.cnf", "-extensions", "v3", "-out", "intermediate.crt");
    }

    /** A leaf as the CA issued it: its PEM chain (leaf, intermediate) and its private key in PEM. */
    record Leaf(String chainPem, String keyPem, String rootPem) {
    }

    /**
     * @param key {@code rsa:2048}, {@code ec:P-256}, ...
     * @param subject the subject ({@code /CN=api.example.com}, or {@code /} for none)
     * @param subjectAltName the SAN extension value ({@code DNS:a.example.com,IP:2001:db8::1})
     * @param extendedKeyUsage the EKU extension value ({@code serverAuth,clientAuth})
     * @return the leaf; its key in the traditional (PKCS#1 / SEC 1) encoding, as cert-manager's default
     */
    Leaf issue(String key, String subject, String subjectAltName, String extendedKeyUsage)
            throws IOException, InterruptedException {
        String n = "leaf" + (++serial);
        String[] algorithm = key.split(":");
        String option = algorithm[0].equals("rsa") ? "rsa_keygen_bits:" + algorithm[1] : "ec_paramgen_curve:" + algorithm[1];
        openssl("genpkey", "-algorithm", algorithm[0].equals("rsa") ? "RSA" : "EC", "-pkeyopt", option, "-out", n + ".pk8");
        openssl("pkey", "-in", n + ".pk8", "-traditional", "-out", n + ".key");
        openssl("req", "-new", "-key", n + ".pk8", "-subj", subject, "-out", n + ".csr");
        Files.writeString(dir.resolve(n + ".cnf"), "[v3]\nbasicConstraints=critical,CA:FALSE\n"
                + "keyUsage=critical,digitalSignature\nextendedKeyUsage=" + extendedKeyUsage + "\n"
                + "subjectAltName=" + subjectAltName + "\n");
        openssl("x509", "-req", "-in", n + ".csr", "-CA", "intermediate.crt", "-CAkey", "intermediate.key",
                "-set_serial", Integer.toString(100 + serial), "-days", "90", "-extfile", n + ".cnf", "-extensions", "v3",
                "-out", n + ".crt");
        return new Leaf(read(n + ".crt") + read("intermediate.crt"), read(n + ".key"), read("root.crt"));
    }

    /**
     * @param commonName the subject's common name
     * @return the PEM of a further self-signed root, unrelated to this CA's, as a user's trust bundle holds them
     */
    String otherRoot(String commonName) throws IOException, InterruptedException {
        String n = "other" + (++serial);
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", n + ".key", "-out", n + ".crt", "-subj", "/CN=" + commonName, "-days", "3650",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign");
        return read(n + ".crt");
    }

    private String read(String file) throws IOException {
        return Files.readString(dir.resolve(file), StandardCharsets.US_ASCII);
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("openssl " + args[0] + " did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("openssl " + String.join(" ", args) + " failed: " + Files.readString(dir.resolve("openssl.log")));
        }
    }
}
