package dev.autocert4j.solver;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Identifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * One challenge a solver must present.
 *
 * @param type the challenge type
 * @param identifier the name or address being proven
 * @param token the challenge token (the file name for HTTP-01)
 * @param keyAuthorization the token joined with the account key's thumbprint: the HTTP-01 body,
 *     and hashed, the DNS-01 TXT value; public by design, not a secret
 */
public record ChallengeRequest(ChallengeType type, Identifier identifier, String token, String keyAuthorization) {
    /**
     * Validates and copies the components.
     *
     * @param type see the record description
     * @param identifier see the record description
     * @param token see the record description
     * @param keyAuthorization see the record description
     */
    public ChallengeRequest {
        requireNonNull(type, "type");
        requireNonNull(identifier, "identifier");
        requireNonNull(token, "token");
        requireNonNull(keyAuthorization, "keyAuthorization");
    }

    /** @return the DNS-01 TXT record value: base64url(SHA-256(keyAuthorization)) without padding */
    public String dnsTxtValue() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(keyAuthorization.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
