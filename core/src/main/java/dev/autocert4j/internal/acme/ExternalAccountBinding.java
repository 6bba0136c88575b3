package dev.autocert4j.internal.acme;

import static java.util.Objects.requireNonNull;

import java.util.Base64;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.shredzone.acme4j.AccountBuilder;

/**
 * An external account binding as cert-manager sends it: the key identifier and HMAC key a CA gave,
 * always signed with HS256 (acme4j would otherwise pick HS384 or HS512 by the key's length, which
 * some CAs refuse). Immutable and thread-safe; {@code toString()} never shows the key.
 */
public final class ExternalAccountBinding {
    /** The JWS algorithm of every binding: cert-manager's, and the one every EAB CA accepts. */
    public static final String MAC_ALGORITHM = "HS256";
    /** The shortest key accepted: HS256 needs a key of at least its 256-bit output (RFC 7518 3.2). */
    public static final int MIN_KEY_BYTES = 32;
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]*");

    private final String keyId;
    private final byte[] hmacKey;

    private ExternalAccountBinding(String keyId, byte[] hmacKey) {
        this.keyId = keyId;
        this.hmacKey = hmacKey;
    }

    /**
     * Checks and decodes a binding. The key is strict base64url (RFC 4648 section 5, as ACME CAs
     * hand it out): {@code -} and {@code _}, no {@code +} or {@code /}; trailing {@code =} padding
     * is tolerated, as cert-manager tolerates it. No message shows the key.
     *
     * @param keyId the key identifier the CA issued
     * @param base64UrlHmacKey the HMAC key, base64url encoded
     * @return the binding
     * @throws IllegalArgumentException when the key identifier is blank or the key is not base64url or
     *     shorter than {@value #MIN_KEY_BYTES} bytes
     */
    public static ExternalAccountBinding parse(String keyId, String base64UrlHmacKey) {
        requireNonNull(keyId, "keyId");
        requireNonNull(base64UrlHmacKey, "base64UrlHmacKey");
        if (keyId.isBlank()) {
            throw new IllegalArgumentException("externalAccountBinding.keyID must not be blank: use the key ID your CA issued");
        }
        String key = base64UrlHmacKey.strip();
        int end = key.length();
        while (end > 0 && key.length() - end < 2 && key.charAt(end - 1) == '=') {
            end--;
        }
        String body = key.substring(0, end);
        if (body.indexOf('+') >= 0 || body.indexOf('/') >= 0) {
            throw new IllegalArgumentException("externalAccountBinding HMAC key contains '+' or '/', which is standard "
                    + "base64, not base64url: paste the key exactly as your CA gave it (base64url uses '-' and '_')");
        }
        if (!BASE64URL.matcher(body).matches() || body.length() % 4 == 1) {
            // The key itself must not appear in the message.
            throw new IllegalArgumentException("externalAccountBinding HMAC key is not base64url (letters, digits, '-' and "
                    + "'_' only): paste it exactly as your CA gave it");
        }
        byte[] decoded = Base64.getUrlDecoder().decode(body);
        if (decoded.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("externalAccountBinding HMAC key is only " + decoded.length
                    + " bytes; HS256 needs at least " + MIN_KEY_BYTES + ": paste the whole key your CA issued");
        }
        return new ExternalAccountBinding(keyId, decoded);
    }

    /** @return the key identifier */
    public String keyId() {
        return keyId;
    }

    /**
     * Adds this binding to an account registration, signed with {@value #MAC_ALGORITHM}.
     *
     * @param builder the account builder
     * @return the builder
     */
    public AccountBuilder applyTo(AccountBuilder builder) {
        return builder.withKeyIdentifier(keyId, new SecretKeySpec(hmacKey, "HmacSHA256")).withMacAlgorithm(MAC_ALGORITHM);
    }

    @Override
    public String toString() {
        return "ExternalAccountBinding[keyId=" + keyId + ", key=(" + hmacKey.length + " bytes, not shown)]";
    }
}
