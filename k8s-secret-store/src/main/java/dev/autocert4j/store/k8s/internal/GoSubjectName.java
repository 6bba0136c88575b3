package dev.autocert4j.store.k8s.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * A subject as Go's {@code pkix.Name.String()} prints it, the friendly name go-pkcs12's
 * {@code EncodeTrustStore} gives each CA in cert-manager's {@code truststore.p12}: the parsed fields in
 * Go's order (serial number, CN, OU, O, postal code, street, L, ST, C), each field's values joined with
 * {@code +}, then other attributes as {@code OID=#hex}. Stateless.
 */
final class GoSubjectName {
    /** Go's attributeTypeNames, in the reverse of ToRDNSequence's order, which String() prints. */
    private static final Map<String, String> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("2.5.4.5", "SERIALNUMBER");
        FIELDS.put("2.5.4.3", "CN");
        FIELDS.put("2.5.4.11", "OU");
        FIELDS.put("2.5.4.10", "O");
        FIELDS.put("2.5.4.17", "POSTALCODE");
        FIELDS.put("2.5.4.9", "STREET");
        FIELDS.put("2.5.4.7", "L");
        FIELDS.put("2.5.4.8", "ST");
        FIELDS.put("2.5.4.6", "C");
    }

    private GoSubjectName() {
    }

    static String of(X500Principal subject) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        List<AttributeTypeAndValue> others = new ArrayList<>();
        for (RDN rdn : X500Name.getInstance(subject.getEncoded()).getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String oid = atv.getType().getId();
                if (!FIELDS.containsKey(oid)) {
                    others.add(atv);
                } else if (oid.equals("2.5.4.3") || oid.equals("2.5.4.5")) {
                    values.put(oid, List.of(text(atv.getValue()))); // single-valued in Go: the last one wins
                } else {
                    values.computeIfAbsent(oid, k -> new ArrayList<>()).add(text(atv.getValue()));
                }
            }
        }
        List<String> rdns = new ArrayList<>();
        FIELDS.forEach((oid, name) -> {
            List<String> field = values.get(oid);
            if (field != null && !(field.size() == 1 && field.get(0).isEmpty())) {
                rdns.add(String.join("+", field.stream().map(v -> name + "=" + escape(v)).toList()));
            }
        });
        for (int i = others.size() - 1; i >= 0; i--) {
            rdns.add(others.get(i).getType().getId() + "=#" + HexFormat.of().formatHex(goDer(others.get(i).getValue())));
        }
        return String.join(",", rdns);
    }

    private static String text(ASN1Encodable value) {
        return value instanceof ASN1String s ? s.getString() : value.toString();
    }

    /** Go re-encodes a string value as PrintableString when it can, else as UTF8String, before printing its DER. */
    private static byte[] goDer(ASN1Encodable value) {
        try {
            if (value instanceof ASN1String s) {
                String text = s.getString();
                return (DERPrintableString.isPrintableString(text) ? new DERPrintableString(text) : new DERUTF8String(text))
                        .getEncoded(ASN1Encoding.DER);
            }
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Go's escaping in RDNSequence.String: {@code ,+"\<>;} always, a space first or last, {@code #} first. */
    private static String escape(String value) {
        StringBuilder escaped = new StringBuilder();
        int[] chars = value.codePoints().toArray();
        for (int k = 0; k < chars.length; k++) {
            int c = chars[k];
            boolean escape = switch (c) {
                case ',', '+', '"', '\\', '<', '>', ';' -> true;
                case ' ' -> k == 0 || k == chars.length - 1;
                case '#' -> k == 0;
                default -> false;
            };
            if (escape) {
                escaped.append('\\');
            }
            escaped.appendCodePoint(c);
        }
        return escaped.toString();
    }
}
