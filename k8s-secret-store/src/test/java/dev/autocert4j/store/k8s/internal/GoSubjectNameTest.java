package dev.autocert4j.store.k8s.internal;

import static org.assertj.core.api.Assertions.assertThat;

import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;

/** Subjects printed as Go's {@code pkix.Name.String()} prints them (the truststore.p12 friendly names). */
class GoSubjectNameTest {
    private static String go(String rfc2253) {
        return GoSubjectName.of(new X500Principal(rfc2253));
    }

    @Test
    void printsTheFieldsInGosOrderWhateverTheirOrderInTheCertificate() {
        // DER order CN, O (Java prints O first); Go prints CN before O.
        assertThat(go("O=Org, CN=Root")).isEqualTo("CN=Root,O=Org");
        assertThat(go("CN=Root, O=Org, C=DE")).isEqualTo("CN=Root,O=Org,C=DE");
        assertThat(go("SERIALNUMBER=123, CN=Root")).isEqualTo("SERIALNUMBER=123,CN=Root");
        assertThat(go("CN=Root, ST=Bavaria, L=Munich, C=DE")).isEqualTo("CN=Root,L=Munich,ST=Bavaria,C=DE");
    }

    @Test
    void joinsTheValuesOfOneFieldWithPlusInCertificateOrder() {
        // DER order: C, O, OU=b, OU=a, CN.
        assertThat(go("CN=x, OU=a, OU=b, O=Org, C=US")).isEqualTo("CN=x,OU=b+OU=a,O=Org,C=US");
    }

    @Test
    void escapesAsGoDoes() {
        assertThat(go("CN=Example\\, Inc.")).isEqualTo("CN=Example\\, Inc.");
        assertThat(go("CN=\\#hash")).isEqualTo("CN=\\#hash");
        assertThat(go("CN=a\\+b\\;c")).isEqualTo("CN=a\\+b\\;c");
        assertThat(go("CN=in#side")).isEqualTo("CN=in#side");
    }

    @Test
    void printsOtherAttributesLastAsOidAndTheDerGoWouldWrite() {
        // emailAddress as IA5String (0x16); Go re-encodes the string, '@' not being printable, as UTF8String (0x0c).
        assertThat(go("1.2.840.113549.1.9.1=#160f6361406578616d706c652e74657374, CN=x"))
                .isEqualTo("CN=x,1.2.840.113549.1.9.1=#0c0f6361406578616d706c652e74657374");
    }
}
