package dev.autocert4j.internal.x509;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateSubject;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * The subject distinguished name of a {@link Certificate}, encoded as cert-manager encodes it
 * ({@code pkg/util/pki/csr.go}, {@code GenerateCSR}): from {@code literalSubject} its RDNs as
 * written, otherwise Go's {@code pkix.Name.ToRDNSequence} order (C, ST, L, STREET, postalCode, O,
 * OU, CN, SERIALNUMBER), all values of one type in one multi-valued RDN. Each value is a
 * PrintableString when Go's {@code encoding/asn1} would make it one, otherwise a UTF8String.
 * Stateless and thread-safe.
 */
public final class X509Subjects {
    private X509Subjects() {
    }

    /**
     * @param certificate the certificate
     * @return its subject; empty (no RDN) when it has neither a common name nor subject attributes
     */
    public static X500Name of(Certificate certificate) {
        CertificateSubject subject = certificate.subject();
        List<RDN> rdns = new ArrayList<>();
        if (subject.literal().isPresent()) {
            for (List<LiteralSubject.Attribute> rdn : LiteralSubject.parse(subject.literal().get())) {
                rdns.add(new RDN(rdn.stream().map(a -> new AttributeTypeAndValue(a.type(), value(a.value())))
                        .toArray(AttributeTypeAndValue[]::new)));
            }
            return new X500Name(rdns.toArray(RDN[]::new));
        }
        add(rdns, BCStyle.C, subject.countries());
        add(rdns, BCStyle.ST, subject.provinces());
        add(rdns, BCStyle.L, subject.localities());
        add(rdns, BCStyle.STREET, subject.streetAddresses());
        add(rdns, BCStyle.POSTAL_CODE, subject.postalCodes());
        add(rdns, BCStyle.O, subject.organizations());
        add(rdns, BCStyle.OU, subject.organizationalUnits());
        add(rdns, BCStyle.CN, certificate.commonName().stream().toList());
        add(rdns, BCStyle.SERIALNUMBER, subject.serialNumber().stream().toList());
        return new X500Name(rdns.toArray(RDN[]::new));
    }

    private static void add(List<RDN> rdns, ASN1ObjectIdentifier type, List<String> values) {
        if (!values.isEmpty()) {
            rdns.add(new RDN(values.stream().map(v -> new AttributeTypeAndValue(type, value(v)))
                    .toArray(AttributeTypeAndValue[]::new)));
        }
    }

    /**
     * Go's {@code encoding/asn1} marshals a string as PrintableString when every character is one
     * (letters, digits, space and {@code '()+,-./:=?}; not {@code *} or {@code &}), else as UTF8String.
     */
    static ASN1Encodable value(String value) {
        boolean printable = value.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || " '()+,-./:=?".indexOf(c) >= 0));
        return printable ? new DERPrintableString(value) : new DERUTF8String(value);
    }
}
