package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.store.KeystorePassword;
import dev.autocert4j.store.StoreException;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Reads keystore passwords from Secrets in the certificate's namespace, as cert-manager's
 * {@code passwordSecretRef}. The value never goes into a message or log line, and the copies made
 * while decoding are cleared. Thread-safe.
 */
public final class KeystorePasswords {
    private final SecretWriter secrets;

    /** @param secrets reads the password Secrets */
    public KeystorePasswords(SecretWriter secrets) {
        this.secrets = secrets;
    }

    /**
     * @param namespace the certificate's namespace
     * @param secretName the Secret holding the password
     * @param key the data key of the password
     * @param certificateSecret the certificate Secret about to be written, for messages
     * @return the password; the caller clears it
     * @throws StoreException when the Secret or key is missing (retryable) or not base64 UTF-8
     */
    public char[] read(String namespace, String secretName, String key, String certificateSecret) throws StoreException {
        return decode(namespace, secretName, key, "Secret " + certificateSecret + " was not written");
    }

    /**
     * @param namespace the certificate's namespace
     * @param password a literal password or the Secret key holding one
     * @param certificateSecret the certificate Secret about to be written, for messages
     * @return the password; the caller clears it
     * @throws StoreException when the Secret or key is missing (retryable), empty or not base64 UTF-8
     */
    public char[] read(String namespace, KeystorePassword password, String certificateSecret) throws StoreException {
        Optional<char[]> literal = password.literalCopy();
        return literal.isPresent() ? literal.get()
                : read(namespace, password.secretName().orElseThrow(), password.secretKey().orElseThrow(), certificateSecret);
    }

    /**
     * Checks that the password can be read, before an order: the Secret exists and holds the key as base64
     * UTF-8. The decoded password is cleared at once.
     *
     * @param namespace the certificate's namespace
     * @param secretName the Secret holding the password
     * @param key the data key of the password
     * @throws StoreException when the Secret or key is missing (retryable) or not base64 UTF-8
     */
    public void check(String namespace, String secretName, String key) throws StoreException {
        Arrays.fill(decode(namespace, secretName, key, "nothing was ordered"), '\0');
    }

    private char[] decode(String namespace, String secretName, String key, String consequence) throws StoreException {
        Secret secret = secrets.get(namespace, secretName);
        String value = secret == null || secret.getData() == null ? null : secret.getData().get(key);
        if (value == null) {
            throw new StoreException("keystore password Secret " + namespace + "/" + secretName + (secret == null
                    ? " does not exist" : " has no key " + key) + "; create it (as for cert-manager's "
                    + "passwordSecretRef) — " + consequence, true, null);
        }
        if (value.isEmpty()) {
            // As cert-manager ("contains no data for key"): an empty password is no password.
            throw new StoreException("keystore password Secret " + namespace + "/" + secretName + " key " + key
                    + " is empty; put a password into it — " + consequence, true, null);
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(value);
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            char[] password = new char[chars.remaining()];
            chars.get(password);
            Arrays.fill(bytes, (byte) 0);
            if (chars.hasArray()) {
                Arrays.fill(chars.array(), '\0');
            }
            return password;
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw new StoreException("keystore password Secret " + namespace + "/" + secretName + " key " + key
                    + " is not valid base64 UTF-8 — " + consequence, false, null);
        }
    }
}
