package dev.autocert4j.solver;

/** ACME challenge types a {@link Solver} can answer. */
public enum ChallengeType {
    /** A file under {@code /.well-known/acme-challenge/} served on port 80. */
    HTTP_01("http-01"),
    /** A TXT record at {@code _acme-challenge.<name>}. */
    DNS_01("dns-01"),
    /** A self-signed certificate presented with ALPN {@code acme-tls/1} on port 443. */
    TLS_ALPN_01("tls-alpn-01");

    private final String acmeName;

    ChallengeType(String acmeName) {
        this.acmeName = acmeName;
    }

    /** @return the type as named in the ACME protocol ({@code http-01}) */
    public String acmeName() {
        return acmeName;
    }
}
