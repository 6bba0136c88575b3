package dev.autocert4j.internal.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamesTest {
    private static String normalise(String name) {
        return Names.normaliseDnsName("dnsNames", name);
    }

    @Test
    void mapsCapitalSharpSToSharpSAndKeepsIt() {
        // ẞ.com -> xn--zca.com in the WHATWG URL tests (UTS #46 maps U+1E9E to U+00DF).
        assertThat(normalise("\u1E9E.com")).isEqualTo("xn--zca.com");
        assertThat(normalise("STRA\u1E9EE.de")).isEqualTo("xn--strae-oqa.de");
    }

    @Test
    void mapsCapitalSigmaToSigmaEvenAtTheEndOfAWord() {
        // UTS #46: Σ maps to σ everywhere, so ΒΌΛΟΣ is βόλοσ, xn--nxasmq6b (UTS #46 section 3.1, where it is the
        // transitional form of βόλος); String.toLowerCase would have made it βόλος. A typed ς stays: xn--nxasmm1c.
        assertThat(normalise("\u0392\u038C\u039B\u039F\u03A3.com")).isEqualTo("xn--nxasmq6b.com");
        assertThat(normalise("\u0392\u038C\u039B\u039F\u03C2.com")).isEqualTo("xn--nxasmm1c.com");
    }

    @Test
    void foldsAndNormalisesTheTextAroundTheDeviationCharacters() {
        // Full-width letters, upper case and a soft hyphen are mapped as UTS #46 maps them; ideographic dot too.
        assertThat(normalise("\uFF26\uFF21\u00AD\u00DF\u3002de")).isEqualTo("xn--fa-hia.de");
        assertThat(normalise("www.FA\u00DF.de")).isEqualTo("www.xn--fa-hia.de");
    }

    @Test
    void refusesALabelWithSharpSThatIsNotAValidLabel() {
        for (String name : new String[] {"-fa\u00df.de", "fa\u00df-.de", "fa\u00df_x.de", "\u0301\u00df.de",
                "\u05D0\u00df.de", "fa\u00df b.de"}) {
            assertThatThrownBy(() -> normalise(name)).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dnsNames entry '" + name + "'");
        }
    }
}
