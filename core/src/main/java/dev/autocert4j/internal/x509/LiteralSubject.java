package dev.autocert4j.internal.x509;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * cert-manager's {@code literalSubject}: an RFC 4514 string read as cert-manager's
 * {@code pkg/util/pki/subject.go} ({@code UnmarshalSubjectStringToRDNSequence}, go-ldap's
 * {@code ParseDN}) reads it. RDNs are separated by {@code ,} (or {@code ;}), values of one RDN by
 * {@code +}; {@code \}-escapes of a special character or of two hex digits; spaces around types and
 * values are dropped. The RDNs end up in the certificate in reverse order, the last one first.
 * Attribute types are cert-manager's names ({@code C O OU CN SERIALNUMBER L ST STREET DC UID}) or
 * dotted OIDs; webhook validation ({@code internal/apis/certmanager/validation/certificate.go})
 * refuses any other. Stateless and thread-safe.
 */
public final class LiteralSubject {
    private static final Map<String, ASN1ObjectIdentifier> TYPES = Map.of("C", BCStyle.C, "O", BCStyle.O, "OU", BCStyle.OU,
            "CN", BCStyle.CN, "SERIALNUMBER", BCStyle.SERIALNUMBER, "L", BCStyle.L, "ST", BCStyle.ST, "STREET", BCStyle.STREET,
            "DC", BCStyle.DC, "UID", BCStyle.UID);

    private LiteralSubject() {
    }

    /**
     * One attribute of a relative distinguished name.
     *
     * @param type the attribute type
     * @param value the attribute value, unescaped
     */
    public record Attribute(ASN1ObjectIdentifier type, String value) {
    }

    /**
     * @param literal an RFC 4514 subject ({@code CN=app,O=Example\, Inc.,C=DE})
     * @return the RDNs in certificate order (the string's last RDN first), each with its attributes
     * @throws IllegalArgumentException naming {@code literalSubject} and what to change, when it does not parse
     */
    public static List<List<Attribute>> parse(String literal) {
        if (literal.isBlank()) {
            throw new IllegalArgumentException("literalSubject is empty: give an RFC 4514 subject such as CN=app,O=Example, "
                    + "or leave it unset");
        }
        List<List<Attribute>> rdns = new ArrayList<>();
        List<Attribute> rdn = new ArrayList<>();
        int i = 0;
        while (true) {
            int eq = literal.indexOf('=', i);
            if (eq < 0) {
                throw refused(literal, "an attribute has no '=' after position " + i);
            }
            ASN1ObjectIdentifier type = type(literal, literal.substring(i, eq).trim());
            StringBuilder value = new StringBuilder();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            int end = eq + 1;
            int trailingSpaces = 0; // unescaped spaces at the end of the value, dropped as go-ldap drops them
            while (end < literal.length() && ",;+".indexOf(literal.charAt(end)) < 0) {
                char c = literal.charAt(end);
                if (c == '\\') {
                    end = escape(literal, end, value, bytes);
                    trailingSpaces = 0;
                    continue;
                }
                flush(literal, value, bytes);
                if (c == '#' && value.length() == 0) {
                    throw refused(literal, "a value starts with '#' (hex-encoded BER), which autocert4j does not read: "
                            + "write the value as text, escaping '#' as \\#");
                }
                if (c != ' ' || value.length() > 0) {
                    value.append(c);
                    trailingSpaces = c == ' ' ? trailingSpaces + 1 : 0;
                }
                end++;
            }
            flush(literal, value, bytes);
            String text = value.substring(0, value.length() - trailingSpaces);
            if (text.isEmpty()) {
                throw refused(literal, "the value of " + literal.substring(i, eq).trim() + " is empty");
            }
            rdn.add(new Attribute(type, text));
            if (end >= literal.length() || literal.charAt(end) != '+') {
                rdns.add(List.copyOf(rdn));
                rdn = new ArrayList<>();
            }
            if (end >= literal.length()) {
                break;
            }
            i = end + 1;
        }
        Collections.reverse(rdns);
        return List.copyOf(rdns);
    }

    /**
     * @param rdns RDNs as {@link #parse(String)} returns them
     * @return the first common name, as cert-manager's {@code ExtractCommonNameFromRDNSequence}
     */
    public static Optional<String> commonName(List<List<Attribute>> rdns) {
        return rdns.stream().flatMap(List::stream).filter(a -> a.type().equals(BCStyle.CN)).map(Attribute::value).findFirst();
    }

    private static ASN1ObjectIdentifier type(String literal, String name) {
        ASN1ObjectIdentifier known = TYPES.get(name);
        if (known != null) {
            return known;
        }
        if (name.matches("[0-9]+(\\.[0-9]+)+")) {
            return new ASN1ObjectIdentifier(name);
        }
        throw refused(literal, "attribute type '" + name + "' is not one cert-manager knows: use C, O, OU, CN, "
                + "SERIALNUMBER, L, ST, STREET, DC or UID (upper case), or a dotted OID such as 2.5.4.17 for postalCode");
    }

    private static int escape(String literal, int at, StringBuilder value, ByteArrayOutputStream bytes) {
        if (at + 1 >= literal.length()) {
            throw refused(literal, "it ends with a lone backslash");
        }
        char next = literal.charAt(at + 1);
        if (isHex(next) && at + 2 < literal.length() && isHex(literal.charAt(at + 2))) {
            bytes.write(Integer.parseInt(literal.substring(at + 1, at + 3), 16));
            return at + 3;
        }
        if (" \"#+,;<=>\\".indexOf(next) < 0) {
            throw refused(literal, "'\\" + next + "' escapes a character that needs no escape: escape only "
                    + "space \" # + , ; < = > \\ or write two hex digits");
        }
        flush(literal, value, bytes);
        value.append(next);
        return at + 2;
    }

    private static void flush(String literal, StringBuilder value, ByteArrayOutputStream bytes) {
        if (bytes.size() == 0) {
            return;
        }
        try {
            value.append(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())));
        } catch (CharacterCodingException e) {
            throw refused(literal, "its hex escapes are not UTF-8");
        }
        bytes.reset();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0 && c < 128;
    }

    private static IllegalArgumentException refused(String literal, String why) {
        return new IllegalArgumentException("literalSubject \"" + literal + "\" cannot be read: " + why);
    }
}
