package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CertificateTest {
    private static Certificate.Builder base() {
        return Certificate.builder("www").issuerRef(IssuerRef.clusterIssuer("letsencrypt"));
    }

    @Test
    void normalisesNamesToLowerCasePunycodeWithoutTrailingDotsOrDuplicates() {
        Certificate c = base().dnsNames("WWW.Example.COM.", "www.example.com", "bücher.example", "*.Example.com")
                .commonName("www.example.com.").build();

        assertThat(c.dnsNames()).containsExactly("www.example.com", "xn--bcher-kva.example", "*.example.com");
        assertThat(c.commonName()).contains("www.example.com");
    }

    @Test
    void refusesNamesWithZeroWidthJoinersWhoseContextRulesAreNotChecked() {
        // java.net.IDN alone drops the joiners, which turns each of these into another domain.
        for (String name : new String[] {"\u0928\u094d\u200d\u0928.example", "a\u200cb.example"}) {
            assertThatThrownBy(() -> base().dnsNames("www.example.com", name).build())
                    .as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("dnsNames entry '" + name + "'")
                    .hasMessageContaining("different domain")
                    .hasMessageContaining("A-label (xn--");
        }
    }

    @Test
    void sendsSharpSAndFinalSigmaAsUts46NonTransitionalALabels() {
        // Expected A-labels from UTS #46 section 3.1 (faß.de, βόλος.com; transitional would give fass.de and
        // xn--nxasmq6b.com) and from libidn2's tests (straße.de); java.net.IDN alone gives the transitional ones.
        Certificate c = base().dnsNames("fa\u00df.de", "*.\u03b2\u03cc\u03bb\u03bf\u03c2.com", "stra\u00dfe.de").build();

        assertThat(c.dnsNames()).containsExactly("xn--fa-hia.de", "*.xn--nxasmm1c.com", "xn--strae-oqa.de");
    }

    @Test
    void treatsAUnicodeNameWithSharpSAndItsALabelAsTheSameName() {
        Certificate c = base().dnsNames("FA\u1E9E.de", "xn--fa-hia.de").build();

        assertThat(c.dnsNames()).containsExactly("xn--fa-hia.de");
    }

    @Test
    void keepsAnALabelGivenByTheUserAsItIs() {
        // faß.de in IDNA2008; IDNA2003 would have made it fass.de
        Certificate c = base().dnsNames("xn--fa-hia.de", "*.XN--FA-HIA.de").build();

        assertThat(c.dnsNames()).containsExactly("xn--fa-hia.de", "*.xn--fa-hia.de");
    }

    @Test
    void normalisesIpAddressesToCanonicalForm() {
        Certificate c = base().ipAddresses("127.0.0.1", "[2001:db8::1]", "2001:DB8:0::1").build();

        assertThat(c.ipAddresses()).containsExactly("127.0.0.1", "2001:db8:0:0:0:0:0:1");
        assertThat(c.identifiers()).extracting(Identifier::type).containsOnly(Identifier.Type.IP);
    }

    @Test
    void appliesCertManagerDefaults() {
        Certificate c = base().dnsNames("a.example.com").build();

        assertThat(c.namespace()).isEqualTo("default");
        assertThat(c.secretName()).isEqualTo("www");
        assertThat(c.duration()).isEqualTo(Duration.ofDays(90));
        assertThat(c.privateKey().algorithm()).isEqualTo(KeyAlgorithm.ECDSA);
        assertThat(c.privateKey().rotationPolicy()).isEqualTo(RotationPolicy.ALWAYS);
        assertThat(c.usages()).containsExactlyInAnyOrder(KeyUsage.DIGITAL_SIGNATURE, KeyUsage.SERVER_AUTH);
    }

    @Test
    void rsaKeysGetKeyEnciphermentByDefault() {
        Certificate c = base().dnsNames("a.example.com").privateKey(PrivateKeySpec.rsa(2048)).build();

        assertThat(c.usages()).contains(KeyUsage.KEY_ENCIPHERMENT);
    }

    @Test
    void fingerprintChangesWithNamesAndKeyButNotWithLabels() {
        Certificate c = base().dnsNames("a.example.com").build();

        assertThat(c.toBuilder().build().specFingerprint()).isEqualTo(c.specFingerprint());
        assertThat(base().dnsNames("a.example.com", "b.example.com").build().specFingerprint()).isNotEqualTo(c.specFingerprint());
        assertThat(base().dnsNames("a.example.com").privateKey(PrivateKeySpec.rsa(2048)).build().specFingerprint())
                .isNotEqualTo(c.specFingerprint());
        assertThat(base().dnsNames("a.example.com").labels(java.util.Map.of("team", "x")).build().specFingerprint())
                .isEqualTo(c.specFingerprint());
    }

    @Test
    void isCaIsOffByDefaultAndEntersTheFingerprintOnlyWhenSet() throws Exception {
        Certificate plain = base().dnsNames("a.example.com").build();
        Certificate ca = base().dnsNames("a.example.com").isCA(true).build();

        assertThat(plain.isCA()).isFalse();
        assertThat(ca.isCA()).isTrue();
        assertThat(ca).isNotEqualTo(plain);
        assertThat(ca.toBuilder().build()).isEqualTo(ca);
        assertThat(ca.specFingerprint()).isNotEqualTo(plain.specFingerprint());
        assertThat(base().dnsNames("a.example.com").isCA(false).build().specFingerprint()).isEqualTo(plain.specFingerprint());
        // Certificates stored before isCA existed keep their fingerprint, so they are not re-issued.
        String before = "issuer=CLUSTER_ISSUER/letsencrypt\ncn=\ndns=a.example.com\nip=\nkey=ECDSA/256\nduration=PT2160H\n"
                + "usages=[DIGITAL_SIGNATURE, SERVER_AUTH]\n";
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                .digest(before.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(plain.specFingerprint()).isEqualTo(java.util.HexFormat.of().formatHex(digest));
    }

    @Test
    void toBuilderMakesAnEqualCopy() {
        Certificate c = base().dnsNames("a.example.com").namespace("shop").renewBefore(Duration.ofDays(30)).build();

        assertThat(c.toBuilder().build()).isEqualTo(c).hasSameHashCodeAs(c);
    }

    @Test
    void acceptsNamesAtTheRfc1035Limits() {
        String label63 = "a".repeat(63);
        String name253 = String.join(".", label63, label63, label63, "b".repeat(61));

        assertThat(base().dnsNames(name253).build().dnsNames()).containsExactly(name253);
    }
}
