package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autocert4j.testing.support.ReadmeFigures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The README's table "Not supported (each one is a named error)", read from the README: every field it names is
 * refused with an error of its own that names the field, never with the generic "unknown field" that a forgotten
 * field would get.
 */
class ReadmeUnsupportedFieldsTest {
    /** Words in the table's first column that name what is supported, not a field that is refused. */
    private static final Set<String> CONTEXT = Set.of("ClusterIssuer", "Issuer", "Certificate", "v1 Secret",
            "cert-manager.io/v1", "v1alpha2", "cert-manager.io", "tls.key");

    /**
     * Fields that other changes are making supported right now; their refusal (or support) is pinned where that
     * work lands, not here.
     */
    private static final Set<String> PINNED_ELSEWHERE = Set.of("keystores", "secretTemplate", "subject", "uris",
            "emailAddresses", "literalSubject", "signatureAlgorithm");

    /** One manifest per README word: the field's path in the error, and what its own message says. */
    private static final Map<String, Case> CASES = cases();

    record Case(String yaml, String field, String fragment) {
    }

    private static Map<String, Case> cases() {
        Map<String, Case> c = new LinkedHashMap<>();
        String otherIssuers = "use an ACME, selfSigned or ca issuer, or implement dev.autocert4j.issuer.Issuer";
        c.put("vault", new Case(issuerSpec("  vault:\n    server: https://vault.example.com\n"), "spec.vault", otherIssuers));
        c.put("venafi", new Case(issuerSpec("  venafi:\n    zone: web\n"), "spec.venafi", otherIssuers));
        c.put("issuerRef.group", new Case(BrokenManifestsTest.cert("    kind: ClusterIssuer",
                "    kind: ClusterIssuer\n    group: awspca.cert-manager.io"), "spec.issuerRef.group", "external issuers are not read"));
        for (String provider : List.of("route53", "cloudDNS", "azureDNS", "acmeDNS", "akamai", "digitalocean", "webhook")) {
            Case named = new Case(BrokenManifestsTest.issuer("        cloudflare:", "        " + provider + ":"),
                    "spec.acme.solvers[0].dns01." + provider, "implement dev.autocert4j.solver.dns.DnsProvider");
            c.put("dns01." + provider, named); // the README writes the first one in full, the others alone
            c.put(provider, named);
        }
        c.put("http01.gatewayHTTPRoute", new Case(BrokenManifestsTest.issuer("""
                    - dns01:
                        cloudflare:
                          email: ops@example.com
                          apiKeySecretRef:
                            key: api-key
                            name: cloudflare-apikey
                """, "    - http01:\n        gatewayHTTPRoute:\n          labels: {a: b}\n"),
                "spec.acme.solvers[0].http01.gatewayHTTPRoute", "only http01.ingress is read"));
        c.put("http01.ingress.podTemplate", new Case(BrokenManifestsTest.http01("          class: nginx\n          podTemplate:\n            spec: {}"),
                "spec.acme.solvers[0].http01.ingress.podTemplate", "there is no solver pod"));
        c.put("rfc2136.protocol", new Case(rfc2136("          nameserver: 192.0.2.1\n          protocol: TCP"),
                "spec.acme.solvers[0].dns01.rfc2136.protocol", "remove protocol"));
        c.put("nameserver", new Case(rfc2136("          nameserver: ns1.example.com"),
                "spec.acme.solvers[0].dns01.rfc2136.nameserver", "is not an IP address"));
        c.put("acme.disableAccountKeyGeneration", acme("disableAccountKeyGeneration: true", "disableAccountKeyGeneration",
                "the account key is generated when the store has none"));
        c.put("enableDurationFeature", acme("enableDurationFeature: true", "enableDurationFeature", "not sent to the CA"));
        c.put("profile", acme("profile: tlsserver", "profile", "ACME profiles are not requested"));
        c.put("renewalInformationSource: None", acme("renewalInformationSource: None", "renewalInformationSource",
                "set it to ARI"));
        c.put("privateKeySecretRef.key", new Case(BrokenManifestsTest.issuer("      name: letsencrypt-dns01\n",
                "      name: letsencrypt-dns01\n      key: account.key\n"), "spec.acme.privateKeySecretRef.key",
                "the account key is stored under tls.key"));
        for (String field : List.of("otherNames", "nameConstraints", "encodeUsagesInRequest", "revisionHistoryLimit", "renewal")) {
            c.put(field, new Case(BrokenManifestsTest.cert("  secretName: web-tls", "  secretName: web-tls\n  " + field + ": {}"),
                    "spec." + field, "remove"));
        }
        c.put("selfSigned.crlDistributionPoints", new Case(issuerSpec("  selfSigned:\n    crlDistributionPoints:\n    - http://crl.example.com\n"),
                "spec.selfSigned.crlDistributionPoints", "carry no CRL distribution points"));
        c.put("ca.crlDistributionPoints", ca("crlDistributionPoints"));
        c.put("ocspServers", ca("ocspServers"));
        c.put("issuingCertificateURLs", ca("issuingCertificateURLs"));
        return c;
    }

    private static String issuerSpec(String spec) {
        return "apiVersion: cert-manager.io/v1\nkind: ClusterIssuer\nmetadata:\n  name: other\nspec:\n" + spec;
    }

    private static Case ca(String field) {
        return new Case(issuerSpec("  ca:\n    secretName: root-ca\n    " + field + ":\n    - http://pki.example.com\n"),
                "spec.ca." + field, "issued certificates carry no " + field);
    }

    private static Case acme(String line, String field, String fragment) {
        return new Case(BrokenManifestsTest.issuer("    server: https", "    " + line + "\n    server: https"),
                "spec.acme." + field, fragment);
    }

    private static String rfc2136(String settings) {
        return BrokenManifestsTest.issuer("""
                        cloudflare:
                          email: ops@example.com
                          apiKeySecretRef:
                            key: api-key
                            name: cloudflare-apikey
                """, "        rfc2136:\n" + settings + "\n");
    }

    /** The backticked words of the first column of each row of the README's table. */
    static List<String> readmeFields() {
        String section = ReadmeFigures.section("Not supported (each one is a named error)");
        List<String> fields = new ArrayList<>();
        Matcher code = Pattern.compile("`([^`]+)`").matcher("");
        for (String row : section.split("\n")) {
            if (!row.startsWith("| ") || row.startsWith("| kind or field")) {
                continue;
            }
            code.reset(row.substring(1, row.indexOf('|', 1)));
            while (code.find()) {
                fields.add(code.group(1));
            }
        }
        return fields;
    }

    static Stream<String> refusedFields() {
        return readmeFields().stream().filter(f -> !CONTEXT.contains(f) && !PINNED_ELSEWHERE.contains(f));
    }

    @Test
    void everyFieldTheReadmeListsHasACaseHere() {
        List<String> fields = readmeFields();

        assertThat(fields).as("the README's table, read").contains("vault", "dns01.route53", "ocspServers");
        assertThat(refusedFields()).as("README fields without a case in this test").allMatch(CASES::containsKey);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFields")
    void eachFieldTheReadmeListsIsANamedError(String readmeField) {
        Case c = CASES.get(readmeField);
        assertThat(c).as("a case for " + readmeField).isNotNull();

        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parse(c.yaml(), "unsupported.yaml", BrokenManifestsTest.OPTIONS));

        assertThat(e).as(readmeField + " is refused").isNotNull();
        assertThat(e.field()).as("field of: " + e.getMessage()).isEqualTo(c.field());
        assertThat(e.problem()).as("a named error, not the generic refusal").doesNotContain("unknown field")
                .contains(c.fragment());
    }
}
