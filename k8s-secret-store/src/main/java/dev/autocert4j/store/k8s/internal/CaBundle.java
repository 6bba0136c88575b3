package dev.autocert4j.store.k8s.internal;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How an issued chain splits into {@code tls.crt} and {@code ca.crt}, as cert-manager's issuers
 * return them. Immutable.
 *
 * @param tlsCrt the chain that goes into {@code tls.crt}, leaf first
 * @param caCrt the certificates of {@code ca.crt} in its order: none, the one an issuer named, or a bundle that
 *     someone else wrote
 */
public record CaBundle(List<X509Certificate> tlsCrt, List<X509Certificate> caCrt) {
    /**
     * Validates and copies the components.
     *
     * @param tlsCrt see the record description
     * @param caCrt see the record description
     */
    public CaBundle {
        tlsCrt = List.copyOf(tlsCrt);
        caCrt = List.copyOf(caCrt);
    }

    /**
     * @return the first certificate of {@code ca.crt}: the one cert-manager's CA issuer appends to its CA Secret's
     *     chain ({@code pkg/util/kube/pki.go SecretTLSKeyPairAndCA} decodes {@code ca.crt} with
     *     {@code DecodeX509CertificateBytes}, which returns the first certificate); empty without {@code ca.crt}
     */
    public Optional<X509Certificate> ca() {
        return caCrt.isEmpty() ? Optional.empty() : Optional.of(caCrt.get(0));
    }

    /**
     * @param certificates the certificates {@code ca.crt} holds now
     * @return this bundle's {@code tls.crt} with that {@code ca.crt}
     */
    public CaBundle withCaCrt(List<X509Certificate> certificates) {
        return new CaBundle(tlsCrt, certificates);
    }

    /**
     * @param chain an issued chain, leaf first
     * @param ca the CA the issuer named, if any ({@link dev.autocert4j.store.StoredCertificate#ca()})
     * @return its split:
     *     <ul>
     *     <li>a lone self-signed certificate is also its own CA
     *     ({@code pkg/controller/certificaterequests/selfsigned/selfsigned.go}: "We set the CA to the
     *     returned certificate here since this is self-signed");
     *     <li>a chain that ends in a self-signed root leaves the root out of {@code tls.crt} and puts
     *     it into {@code ca.crt}, as the CA issuer does ({@code pkg/controller/certificaterequests/ca/ca.go}
     *     with {@code pkg/util/pki/parse_certificate_chain.go ParseSingleCertificateChain});
     *     <li>any other chain goes into {@code tls.crt} as it is, with the CA the issuer named in
     *     {@code ca.crt}: a CA issuer whose CA is an intermediate and knows no root names that intermediate,
     *     which then is in both ({@code toBundleAndCA}: "If the certificate at the root of the chain is not
     *     self-signed (i.e. is not a root CA), then also append that certificate to the chain", and it is the
     *     CA); an ACME CA names none, so there is no {@code ca.crt}
     *     ({@code pkg/controller/certificaterequests/acme/acme.go} returns no CA).
     *     </ul>
     */
    public static CaBundle split(List<X509Certificate> chain, Optional<X509Certificate> ca) {
        X509Certificate last = chain.get(chain.size() - 1);
        if (!selfSigned(last)) {
            return new CaBundle(chain, ca.map(List::of).orElse(List.of()));
        }
        return new CaBundle(chain.size() == 1 ? chain : chain.subList(0, chain.size() - 1), List.of(last));
    }

    /**
     * The chain as it was issued: {@code tls.crt} followed by the first certificate of {@code ca.crt} when that is
     * the self-signed root that signed the chain's last certificate.
     *
     * @return the joined chain, leaf first
     */
    public List<X509Certificate> chain() {
        X509Certificate last = tlsCrt.get(tlsCrt.size() - 1);
        X509Certificate ca = caCrt.isEmpty() ? null : caCrt.get(0);
        if (ca == null || ca.equals(last) || !selfSigned(ca)
                || !last.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return tlsCrt;
        }
        List<X509Certificate> joined = new ArrayList<>(tlsCrt);
        joined.add(ca);
        return List.copyOf(joined);
    }

    private static boolean selfSigned(X509Certificate certificate) {
        if (!certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
            return false;
        }
        try {
            certificate.verify(certificate.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }
}
