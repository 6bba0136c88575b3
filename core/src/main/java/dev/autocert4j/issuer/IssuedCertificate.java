package dev.autocert4j.issuer;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.internal.text.Arguments;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * What an {@link Issuer} returns: the chain, and the CA certificate when the issuer knows which one relying
 * parties should trust (cert-manager's {@code IssueResponse.CA}, which becomes a Secret's {@code ca.crt}).
 * An ACME CA names none; cert-manager's CA issuer names the top of the chain it signed with, a root or, when
 * no root is known, the top-most intermediate. Immutable and thread-safe.
 */
public final class IssuedCertificate {
    private final List<X509Certificate> chain;
    private final Optional<X509Certificate> ca;

    private IssuedCertificate(List<X509Certificate> chain, Optional<X509Certificate> ca) {
        this.chain = Arguments.noNulls("chain", chain);
        this.ca = requireNonNull(ca, "ca");
        if (this.chain.isEmpty()) {
            throw new IllegalArgumentException("chain must hold at least the leaf certificate");
        }
    }

    /**
     * @param chain the chain, leaf first
     * @return a chain without a known CA, as an ACME CA returns it
     * @throws IllegalArgumentException when the chain is empty
     * @throws NullPointerException when the chain or one of its certificates is null
     */
    public static IssuedCertificate of(List<X509Certificate> chain) {
        return new IssuedCertificate(chain, Optional.empty());
    }

    /**
     * @param chain the chain, leaf first
     * @param ca the CA certificate relying parties should trust: the chain's self-signed root, or the top-most
     *     certificate the issuer knows when it knows no root
     * @return a chain with its CA
     * @throws IllegalArgumentException when the chain is empty
     * @throws NullPointerException when the chain or one of its certificates is null
     */
    public static IssuedCertificate of(List<X509Certificate> chain, X509Certificate ca) {
        return new IssuedCertificate(chain, Optional.of(requireNonNull(ca, "ca")));
    }

    /** @return the chain, leaf first */
    public List<X509Certificate> chain() {
        return chain;
    }

    /** @return the CA certificate relying parties should trust, empty when the issuer names none */
    public Optional<X509Certificate> ca() {
        return ca;
    }

    @Override
    public String toString() {
        return "IssuedCertificate[subject=" + chain.get(0).getSubjectX500Principal().getName() + ", chain length "
                + chain.size() + ca.map(c -> ", ca " + c.getSubjectX500Principal().getName()).orElse("") + "]";
    }
}
