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
 * @param ca the certificate that goes into {@code ca.crt}, or null for none
 */
public record CaBundle(List<X509Certificate> tlsCrt, X509Certificate ca) {
    /**
     * Validates and copies the components.
     *
     * @param tlsCrt see the record description
     * @param ca see the record description
     */
    public CaBundle {
        tlsCrt = List.copyOf(tlsCrt);
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
            return new CaBundle(chain, ca.orElse(null));
        }
        return chain.size() == 1 ? new CaBundle(chain, last) : new CaBundle(chain.subList(0, chain.size() - 1), last);
    }

    /**
     * The chain as it was issued: {@code tls.crt} followed by {@code ca.crt} when that is the
     * self-signed root that signed the chain's last certificate.
     *
     * @return the joined chain, leaf first
     */
    public List<X509Certificate> chain() {
        X509Certificate last = tlsCrt.get(tlsCrt.size() - 1);
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
