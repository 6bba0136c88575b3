package dev.autocert4j.issuer;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.internal.x509.CertificateSigner;
import dev.autocert4j.solver.SolverSet;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * cert-manager's {@code selfSigned} issuer: signs each certificate with its own private key, so
 * the chain is the certificate alone. Useful for tests, for internal endpoints whose clients pin
 * the certificate, and to create the root of a private CA (with {@link Certificate#isCA()}) that a
 * {@link CaIssuer} then signs with.
 *
 * <p>The certificate gets the subject and subject alternative names of the CSR (the common name,
 * DNS names and IP addresses of the spec; without a common name, the subject is {@code CN=} the
 * first DNS name or IP address, because the JDK cannot read a certificate whose issuer name is
 * empty, and a self-signed certificate's issuer is its subject), and from the spec:
 * <ul>
 *   <li>notBefore = one hour before now on the manager's clock (whole seconds), as Let's Encrypt
 *       backdates, so that clients whose clocks are behind accept it at once; notAfter = now +
 *       {@link Certificate#duration()} (90 days unless set);</li>
 *   <li>key usages and extended key usages from {@link Certificate#usages()};</li>
 *   <li>critical basic constraints with {@code CA:true} when {@link Certificate#isCA()} is set,
 *       which also adds the {@code cert sign} key usage; {@code CA:false} otherwise;</li>
 *   <li>a random positive 128-bit serial, and subject and authority key identifiers (the same
 *       value: the certificate is its own authority).</li>
 * </ul>
 * No solver is involved and nothing leaves the process.
 *
 * <pre>{@code
 * Issuer selfSigned = SelfSignedIssuer.builder("selfsigned").build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class SelfSignedIssuer implements Issuer {
    private final String name;
    private final IssuerScope scope;

    private SelfSignedIssuer(Builder b) {
        this.name = b.name;
        this.scope = b.scope;
    }

    /**
     * @param name the issuer's name, as certificates reference it in their {@code issuerRef}
     * @return a builder; the issuer is cluster-wide unless {@link Builder#namespace(String)} is set
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public IssuerScope scope() {
        return scope;
    }

    /** Accepts every certificate: no solver is needed. */
    @Override
    public void checkCanIssue(Certificate certificate, SolverSet solvers) {
        requireNonNull(certificate, "certificate");
    }

    /**
     * @return the self-signed certificate alone
     * @throws AutocertException (not retryable) when the CSR is unusable or does not request the
     *     request's own key
     */
    @Override
    public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) throws AutocertException {
        requireNonNull(request, "request");
        requireNonNull(context, "context");
        String id = request.certificate().id();
        CertificateSigner.ParsedCsr csr;
        try {
            csr = CertificateSigner.parse(request.csr());
        } catch (CertificateSigner.InvalidCsrException e) {
            throw new AutocertException("Issuer " + name + " cannot sign " + id + ": " + Messages.describe(e), false, e);
        }
        if (!csr.requests(request.keyPair().getPublic())) {
            throw new AutocertException("Issuer " + name + " cannot sign " + id
                    + ": the CSR requests another key than the request's key pair, and a self-signed certificate must be "
                    + "signed with its own key", false);
        }
        if (csr.subject().getRDNs().length == 0) {
            // The JDK refuses certificates with an empty issuer name, and a self-signed certificate's
            // issuer is its subject: name it after its first subject alternative name.
            Certificate c = request.certificate();
            String first = Stream.of(c.dnsNames(), c.ipAddresses(), c.uris(), c.emailAddresses()).flatMap(List::stream)
                    .findFirst().orElseThrow();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, first).build();
            csr = new CertificateSigner.ParsedCsr(subject, csr.publicKey(), csr.subjectAlternativeNames());
        }
        CertificateSigner.Signer signer = new CertificateSigner.Signer(csr.subject(), request.keyPair().getPublic(),
                request.keyPair().getPrivate(), CertificateSigner.keyIdentifier(request.keyPair().getPublic()));
        try {
            return List.of(CertificateSigner.sign(request.certificate(), csr, signer, context.clock().instant(),
                    Optional.empty()));
        } catch (GeneralSecurityException e) {
            throw new AutocertException("Issuer " + name + " could not sign " + id + ": " + Messages.describe(e), false, e);
        }
    }

    /**
     * @return the self-signed certificate, also as its own CA, as cert-manager's self-signed issuer
     *     ({@code pkg/controller/certificaterequests/selfsigned/selfsigned.go}: "We set the CA to the returned
     *     certificate here since this is self-signed")
     * @throws AutocertException as {@link #issue(IssuanceRequest, IssuanceContext)}
     */
    @Override
    public IssuedCertificate issueCertificate(IssuanceRequest request, IssuanceContext context) throws AutocertException {
        List<X509Certificate> chain = issue(request, context);
        return IssuedCertificate.of(chain, chain.get(0));
    }

    @Override
    public String toString() {
        return "SelfSignedIssuer[" + name + ", " + scope.kind().manifestName()
                + scope.namespace().map(n -> ", namespace " + n).orElse("") + "]";
    }

    /**
     * Builds a {@link SelfSignedIssuer}. Each setter checks its argument at once and may be called
     * once. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final List<String> set = new ArrayList<>();
        private IssuerScope scope = IssuerScope.cluster();

        private Builder(String name) {
            this.name = Builders.requireIssuerName(name);
        }

        /**
         * @param namespace the namespace whose certificates this issuer serves (cert-manager's
         *     Issuer); without it the issuer is cluster-wide (a ClusterIssuer)
         * @return this builder
         */
        public Builder namespace(String namespace) {
            Builders.once(set, "namespace");
            this.scope = IssuerScope.namespaced(requireNonNull(namespace, "namespace"));
            return this;
        }

        /** @return the issuer */
        public SelfSignedIssuer build() {
            return new SelfSignedIssuer(this);
        }
    }
}
