package dev.autocert4j.store.k8s.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The names an issued X.509 certificate holds, read the way Go's {@code crypto/x509} reads them
 * (cert-manager reads certificates with it): subject attributes in the order they appear, SANs by
 * type in the order they appear. Immutable.
 *
 * @param commonName the subject's first common name, or empty
 * @param serialNumber the subject's serial number, or empty
 * @param organizations subject O values
 * @param organizationalUnits subject OU values
 * @param countries subject C values
 * @param provinces subject ST values
 * @param localities subject L values
 * @param postalCodes subject postalCode values
 * @param streetAddresses subject street values
 * @param dnsNames dNSName SANs
 * @param ipAddresses iPAddress SANs
 * @param uris uniformResourceIdentifier SANs
 * @param emailAddresses rfc822Name SANs
 */
public record IssuedNames(String commonName, String serialNumber, List<String> organizations,
        List<String> organizationalUnits, List<String> countries, List<String> provinces, List<String> localities,
        List<String> postalCodes, List<String> streetAddresses, List<String> dnsNames, List<InetAddress> ipAddresses,
        List<String> uris, List<String> emailAddresses) {

    /**
     * @param certificate an issued certificate
     * @return its names
     * @throws IllegalArgumentException when its SAN extension cannot be parsed
     */
    public static IssuedNames of(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        List<String> dns = new ArrayList<>();
        List<InetAddress> ips = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        List<String> emails = new ArrayList<>();
        try {
            Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
            for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
                int type = (Integer) san.get(0);
                String value = String.valueOf(san.get(1));
                switch (type) {
                    case 1 -> emails.add(value);
                    case 2 -> dns.add(value);
                    case 6 -> uris.add(value);
                    case 7 -> ips.add(literal(value));
                    default -> { } // other name types: cert-manager ignores them too
                }
            }
        } catch (CertificateParsingException e) {
            throw new IllegalArgumentException("the certificate's subjectAltName extension cannot be parsed", e);
        }
        List<String> cn = values(subject, BCStyle.CN);
        List<String> serial = values(subject, BCStyle.SERIALNUMBER);
        return new IssuedNames(cn.isEmpty() ? "" : cn.get(0), serial.isEmpty() ? "" : serial.get(0),
                values(subject, BCStyle.O), values(subject, BCStyle.OU), values(subject, BCStyle.C),
                values(subject, BCStyle.ST), values(subject, BCStyle.L), values(subject, BCStyle.POSTAL_CODE),
                values(subject, BCStyle.STREET), List.copyOf(dns), List.copyOf(ips), List.copyOf(uris), List.copyOf(emails));
    }

    /**
     * @param text an IP literal (never a host name: no lookup happens)
     * @return the address
     */
    public static InetAddress literal(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }

    private static List<String> values(X500Name name, ASN1ObjectIdentifier type) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (atv.getType().equals(type)) {
                    values.add(atv.getValue() instanceof ASN1String text ? text.getString() : atv.getValue().toString());
                }
            }
        }
        return List.copyOf(values);
    }
}
