package dev.autocert4j.internal.x509;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PunycodeTest {
    // The sample strings of RFC 3492 section 7.1 (the ones without upper-case annotation in the output).
    @Test
    void encodesTheSampleStringsOfRfc3492() {
        assertThat(Punycode.encode("\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639"
                + "\u0631\u0628\u064A\u061F")).as("(A) Arabic").isEqualTo("egbpdaj6bu4bxfgehfvwxn");
        assertThat(Punycode.encode("\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587"))
                .as("(B) Chinese (simplified)").isEqualTo("ihqwcrb4cv8a8dqg056pqjye");
        assertThat(Punycode.encode("\u4ED6\u5011\u7232\u4EC0\u9EBD\u4E0D\u8AAA\u4E2D\u6587"))
                .as("(C) Chinese (traditional)").isEqualTo("ihqwctvzc91f659drss3x8bo0yb");
        assertThat(Punycode.encode("Pro\u010Dprost\u011Bnemluv\u00ED\u010Desky"))
                .as("(D) Czech").isEqualTo("Proprostnemluvesky-uyb24dma41a");
        assertThat(Punycode.encode("\u05DC\u05DE\u05D4\u05D4\u05DD\u05E4\u05E9\u05D5\u05D8\u05DC\u05D0\u05DE\u05D3"
                + "\u05D1\u05E8\u05D9\u05DD\u05E2\u05D1\u05E8\u05D9\u05EA")).as("(E) Hebrew")
                .isEqualTo("4dbcagdahymbxekheh6e0a7fei0b");
        assertThat(Punycode.encode("\u306A\u305C\u307F\u3093\u306A\u65E5\u672C\u8A9E\u3092\u8A71\u3057\u3066\u304F"
                + "\u308C\u306A\u3044\u306E\u304B")).as("(G) Japanese").isEqualTo("n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa");
        assertThat(Punycode.encode("3\u5E74B\u7D44\u91D1\u516B\u5148\u751F")).as("(L)")
                .isEqualTo("3B-ww4c5e180e575a65lsy2b");
        assertThat(Punycode.encode("-> $1.00 <-")).as("(S) only basic code points").isEqualTo("-> $1.00 <--");
    }

    @Test
    void encodesTheDeviationCharactersAsIdnaImplementationsDo() {
        // libidn2 tests: ß -> xn--zca; WHATWG URL tests: ẞ.com -> xn--zca.com; ς alone -> xn--3xa.
        assertThat(Punycode.encode("\u00DF")).isEqualTo("zca");
        assertThat(Punycode.encode("fa\u00DF")).isEqualTo("fa-hia");
    }
}
