package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.store.Pem;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * What a save writes as {@code ca.crt}, as cert-manager's server-side apply leaves it
 * ({@code pkg/controller/certificates/issuing/internal/secret.go setValues}: {@code ca.crt} is applied only "if
 * len(data.CA) > 0", so a {@code ca.crt} another field manager wrote is not cert-manager's to remove):
 * <ul>
 * <li>the issuer names a CA: it is written, unless the Secret's {@code ca.crt}, not written by us, holds it
 * already (a bundle with it stays byte for byte);
 * <li>the issuer names none: a {@code ca.crt} someone else wrote (a user's bundle, cert-manager's, another tool's)
 * stays byte for byte; one we wrote for an earlier issuer goes, as cert-manager's own field does.
 * </ul>
 * Ours is the {@code ca.crt} whose SHA-256 our annotation {@value #WRITTEN} records. Stateless.
 */
public final class CaCrtEntry {
    /** Our annotation holding the SHA-256 (hex) of the {@code ca.crt} value we wrote. */
    static final String WRITTEN = KubernetesSecretStore.PREFIX + "ca-crt-sha256";

    /**
     * @param base64 the {@code ca.crt} data value to write, or null for none
     * @param certificates what it holds, in its order
     * @param ours whether we wrote it (then {@link #mark} records it)
     */
    public record Choice(String base64, List<X509Certificate> certificates, boolean ours) {
        /**
         * Copies the list.
         *
         * @param base64 see the record description
         * @param certificates see the record description
         * @param ours see the record description
         */
        public Choice {
            certificates = List.copyOf(certificates);
        }

        /** @param annotations the annotations about to be written: records our {@code ca.crt}, if this is one */
        public void mark(Map<String, String> annotations) {
            if (ours) {
                annotations.put(WRITTEN, sha256(base64));
            } else {
                annotations.remove(WRITTEN);
            }
        }
    }

    private CaCrtEntry() {
    }

    /**
     * @param current the Secret as read for the write, or null when there is none
     * @param named the CA the issuer named, or null
     * @return what to write as {@code ca.crt}
     */
    public static Choice choose(Secret current, X509Certificate named) {
        String present = current == null || current.getData() == null ? null : current.getData().get(SecretCodec.CA_CRT);
        boolean foreign = present != null && !sha256(present).equals(SecretCodec.annotations(current).get(WRITTEN));
        List<X509Certificate> held = foreign ? certificates(present) : List.of();
        if (named == null) {
            return foreign ? new Choice(present, held, false) : new Choice(null, List.of(), false);
        }
        if (held.contains(named)) {
            return new Choice(present, held, false);
        }
        return new Choice(SecretCodec.encode(Pem.encodeChain(List.of(named))), List.of(named), true);
    }

    /** @return the certificates of a {@code ca.crt} value; none when it is unreadable (it is kept as it is all the same) */
    static List<X509Certificate> certificates(String base64) {
        try {
            return Pem.decodeChain(SecretCodec.decode(base64));
        } catch (Pem.InvalidPemException | IllegalArgumentException e) {
            return List.of();
        }
    }

    private static String sha256(String base64) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(base64.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
