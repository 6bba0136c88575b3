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
    void agreesWithAnIdna2008LibraryAroundTheDeviationCharacters() {
        // Expected values from the Python 'idna' package 3.13 (kjd/idna), idna.encode(name, uts46=True,
        // transitional=False). The first two: a full-width "xn--" after ß is text, not an A-label to decode.
        assertThat(normalise("\u00df\uFF58\uFF4E\uFF0D\uFF0Dbc.de")).isEqualTo("xn--xn--bc-9sa.de");
        assertThat(normalise("\u00df\uFF58\uFF4E\uFF0D\uFF0Dbcher-kva.de")).isEqualTo("xn--xn--bcher-kva-9cb.de");
        assertThat(normalise("\u00df\u03c2\u03c3\u03a3.gr")).isEqualTo("xn--zca29ldaa.gr");
        assertThat(normalise("\u00df\u0308a.de")).as("combining mark after ß").isEqualTo("xn--a-pfa37n.de");
        assertThat(normalise("\uFB00\u00df.de")).as("ligature ff").isEqualTo("xn--ff-hia.de");
        assertThat(normalise("\u2177\u00df.de")).as("roman numeral eight").isEqualTo("xn--viii-yna.de");
        assertThat(normalise("fu\u00dfball-verein.de")).isEqualTo("xn--fuball-verein-cdb.de");
    }

    @Test
    void refusesALabelWithSharpSThatIsNotAValidLabel() {
        for (String name : new String[] {"-fa\u00df.de", "fa\u00df-.de", "fa\u00df_x.de", "\u0301\u00df.de",
                "\u05D0\u00df.de", "fa\u00df b.de",
                "xn--a\u00df.de", "\uFF58\uFF4E\uFF0D\uFF0Dab\u00df.de"}) {
            assertThatThrownBy(() -> normalise(name)).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dnsNames entry '" + name + "'");
        }
    }
}
