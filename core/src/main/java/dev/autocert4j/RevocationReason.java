package dev.autocert4j;

/** Why a certificate is revoked: the RFC 5280 reason codes an ACME CA accepts (RFC 8555 §7.6). */
public enum RevocationReason {
    /** No reason given (code 0). */
    UNSPECIFIED(0),
    /** The private key was disclosed or may have been (code 1). */
    KEY_COMPROMISE(1),
    /** The names or other information changed (code 3). */
    AFFILIATION_CHANGED(3),
    /** A newer certificate replaces this one (code 4). */
    SUPERSEDED(4),
    /** The certificate is no longer needed (code 5). */
    CESSATION_OF_OPERATION(5);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** @return the RFC 5280 reason code */
    public int code() {
        return code;
    }
}
