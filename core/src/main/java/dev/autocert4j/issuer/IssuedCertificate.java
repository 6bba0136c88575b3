package dev.autocert4j.issuer;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.internal.text.Arguments;
import dev.autocert4j.internal.x509.SingleChain;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
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
     * A chain with the CA its issuer names, put in order as cert-manager's CA-type issuers put it
     * ({@code pkg/util/pki/parse_certificate_chain.go ParseSingleCertificateChain}): the chain's certificates and
     * the CA together, duplicates removed, ordered from the leaf up; the CA is the self-signed root at the top, or
     * the top-most certificate when there is no root, whichever certificate was named. A self-signed root stays at
     * the end of {@link #chain()} (stores leave it out of {@code tls.crt}). A lone certificate named as its own CA
     * stays so, as cert-manager's SelfSigned issuer names it.
     *
     * @param chain the chain, leaf first (any order is put right)
     * @param ca the CA certificate relying parties should trust: the chain's self-signed root, or the top-most
     *     certificate the issuer knows when it knows no root
     * @return a chain with its CA
     * @throws IllegalArgumentException when the chain is empty, or the chain and the CA are not one unbroken chain
     *     (a gap, a branch, a CA of another hierarchy)
     * @throws NullPointerException when the chain or one of its certificates is null
     */
    public static IssuedCertificate of(List<X509Certificate> chain, X509Certificate ca) {
        List<X509Certificate> given = Arguments.noNulls("chain", chain);
        requireNonNull(ca, "ca");
        if (given.isEmpty() || given.size() == 1 && given.get(0).equals(ca)) {
            return new IssuedCertificate(given, Optional.of(ca));
        }
        List<X509Certificate> all = new ArrayList<>(given);
        all.add(ca);
        SingleChain.Bundle bundle;
        try {
            bundle = SingleChain.parse(all);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the chain and the CA " + ca.getSubjectX500Principal().getName()
                    + " an issuer returned: " + e.getMessage() + "; name the CA that signed the chain's top", e);
        }
        List<X509Certificate> ordered = new ArrayList<>(bundle.chain());
        bundle.ca().filter(top -> !top.equals(ordered.get(ordered.size() - 1))).ifPresent(ordered::add);
        return new IssuedCertificate(ordered, bundle.ca());
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
