package dev.autocert4j.lock.k8s;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** Turns lock names into Lease names: valid object names that stay apart for different locks. */
final class LeaseNames {
    /** A DNS-1123 label: what a Lease name and a namespace must be. */
    static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern UNSAFE = Pattern.compile("[^a-z0-9-]+");
    private static final int MAX_LEASE_NAME = 63;
    private static final int HASH_HEX = 8;

    private LeaseNames() {
    }

    /**
     * @param lockName a lock name
     * @return the name of its Lease: {@value KubernetesLeaseLockProvider#LEASE_NAME_PREFIX} plus the
     *     lock name in lower case with runs of characters other than letters, digits and {@code -}
     *     replaced by one {@code -}, shortened to keep the whole within 63 characters, plus, unless
     *     the lock name was already such a name, {@code -} and 8 hex digits of its SHA-256, so that
     *     names differing only in replaced characters stay apart
     */
    static String leaseName(String lockName) {
        String prefix = KubernetesLeaseLockProvider.LEASE_NAME_PREFIX;
        String readable = UNSAFE.matcher(lockName.toLowerCase(Locale.ROOT)).replaceAll("-");
        if (readable.equals(lockName) && DNS1123_LABEL.matcher(readable).matches()
                && prefix.length() + readable.length() <= MAX_LEASE_NAME) {
            return prefix + readable;
        }
        int room = MAX_LEASE_NAME - prefix.length() - 1 - HASH_HEX;
        if (readable.length() > room) {
            readable = readable.substring(0, room);
        }
        readable = readable.replaceAll("^-+|-+$", "");
        return prefix + (readable.isEmpty() ? "" : readable + "-") + shortHash(lockName);
    }

    private static String shortHash(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, HASH_HEX / 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
