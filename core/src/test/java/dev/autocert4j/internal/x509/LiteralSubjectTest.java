package dev.autocert4j.internal.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

class LiteralSubjectTest {
    private static List<List<String>> read(String literal) {
        return LiteralSubject.parse(literal).stream()
                .map(rdn -> rdn.stream().map(a -> BCStyle.INSTANCE.oidToDisplayName(a.type()) + "=" + a.value()).toList())
                .toList();
    }

    @Test
    void reversesTheRdnsAsCertManagerDoes() {
        assertThat(read("CN=app,O=Example,C=DE")).containsExactly(List.of("C=DE"), List.of("O=Example"), List.of("CN=app"));
    }

    @Test
    void keepsPlusJoinedValuesInOneRdn() {
        assertThat(read("CN=app+UID=7,DC=example,DC=org")).containsExactly(List.of("DC=org"), List.of("DC=example"),
                List.of("CN=app", "UID=7"));
    }

    @Test
    void readsEscapedSpecialCharactersAndHexUtf8() {
        assertThat(read("O=Example\\, Inc.\\+\\=,L=Z\\C3\\BCrich")).containsExactly(List.of("L=Zürich"),
                List.of("O=Example, Inc.+="));
    }

    @Test
    void dropsSpacesAroundTypesAndValuesButKeepsEscapedOnes() {
        assertThat(read(" CN = app , O = \\ Example\\ ")).containsExactly(List.of("O= Example "), List.of("CN=app"));
    }

    @Test
    void readsDottedOidsAsTypes() {
        assertThat(LiteralSubject.parse("2.5.4.17=80331").get(0).get(0).type()).isEqualTo(BCStyle.POSTAL_CODE);
    }

    @Test
    void findsTheCommonName() {
        assertThat(LiteralSubject.commonName(LiteralSubject.parse("O=Example,CN=app"))).contains("app");
        assertThat(LiteralSubject.commonName(LiteralSubject.parse("O=Example"))).isEmpty();
    }

    @Test
    void refusesTypesCertManagerDoesNotKnowNamingTheOnesItDoes() {
        assertThatThrownBy(() -> LiteralSubject.parse("CN=app,postalCode=80331"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postalCode")
                .hasMessageContaining("2.5.4.17");
        assertThatThrownBy(() -> LiteralSubject.parse("cn=app")).hasMessageContaining("upper case");
    }

    @Test
    void refusesMalformedStrings() {
        assertThatThrownBy(() -> LiteralSubject.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> LiteralSubject.parse("CN")).hasMessageContaining("no '='");
        assertThatThrownBy(() -> LiteralSubject.parse("CN=")).hasMessageContaining("empty");
        assertThatThrownBy(() -> LiteralSubject.parse("CN=a\\")).hasMessageContaining("backslash");
        assertThatThrownBy(() -> LiteralSubject.parse("CN=#0403616263")).hasMessageContaining("'#'");
        assertThatThrownBy(() -> LiteralSubject.parse("CN=\\FF")).hasMessageContaining("UTF-8");
    }
}
