package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Manifests autocert4j cannot use as written: each error names the document, line and field. */
class BrokenManifestsTest {
    static final String KEY = dev.autocert4j.testing.support.KnownSecrets.register("cf-global-key-0123456789abcdef");
    static final ManifestOptions OPTIONS = ManifestOptions.builder()
            .secrets(SecretResolver.environment(Map.of("CLOUDFLARE_APIKEY_API_KEY", KEY, "CLOUDFLARE_TOKEN_TOKEN", KEY)))
            .build();

    static final String CERTIFICATE = """
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata:
              name: web
              namespace: default
            spec:
              secretName: web-tls
              issuerRef:
                name: letsencrypt-dns01
                kind: ClusterIssuer
              dnsNames:
              - web.example.com
            """;

    static final String DNS01_ISSUER = """
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata:
              name: letsencrypt-dns01
            spec:
              acme:
                privateKeySecretRef:
                  name: letsencrypt-dns01
                server: https://acme-v02.api.letsencrypt.org/directory
                solvers:
                - dns01:
                    cloudflare:
                      email: ops@example.com
                      apiKeySecretRef:
                        key: api-key
                        name: cloudflare-apikey
            """;

    /** The certificate with {@code line} replaced by {@code replacement} (which may span lines). */
    static String cert(String line, String replacement) {
        return replace(CERTIFICATE, line, replacement);
    }

    static String issuer(String line, String replacement) {
        return replace(DNS01_ISSUER, line, replacement);
    }

    /** The issuer with an HTTP-01 ingress solver instead, its ingress block given. */
    static String http01(String ingress) {
        return issuer("""
                    - dns01:
                        cloudflare:
                          email: ops@example.com
                          apiKeySecretRef:
                            key: api-key
                            name: cloudflare-apikey
                """, "    - http01:\n        ingress:\n" + ingress + "\n");
    }

    static String replace(String text, String line, String replacement) {
        if (!text.contains(line)) {
            throw new IllegalArgumentException("template has no " + line);
        }
        return text.replace(line, replacement);
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("an unsupported DNS provider", issuer("        cloudflare:", "        route53:"),
                        1, 12, "spec.acme.solvers[0].dns01.route53", "the DNS-01 providers read from manifests are cloudflare and rfc2136"),
                Arguments.of("an unknown kind", cert("kind: Certificate", "kind: CertificateRequest"), 1, 2, "kind",
                        "'CertificateRequest' is not supported"),
                Arguments.of("a misspelt field", issuer("    server: https", "    preferedChain: ISRG Root X1\n    server: https"), 1, 9, "spec.acme.preferedChain",
                        "unknown field"),
                Arguments.of("a string where a list belongs", cert("  dnsNames:\n  - web.example.com", "  dnsNames: web.example.com"),
                        1, 11, "spec.dnsNames", "expected a list, found a string"),
                Arguments.of("a word where a number belongs", cert("  secretName: web-tls", "  secretName: web-tls\n  renewBeforePercentage: ten"),
                        1, 8, "spec.renewBeforePercentage", "expected a whole number"),
                Arguments.of("a number where a string belongs", cert("  secretName: web-tls", "  secretName: web-tls\n  commonName: 1234"),
                        1, 8, "spec.commonName", "put it in quotes"),
                Arguments.of("TLS verification switched off", issuer("    server: https://acme-v02.api.letsencrypt.org/directory",
                        "    server: https://acme-v02.api.letsencrypt.org/directory\n    skipTLSVerify: true"),
                        1, 10, "spec.acme.skipTLSVerify", "caBundle"),
                Arguments.of("an unsupported API version", cert("apiVersion: cert-manager.io/v1", "apiVersion: cert-manager.io/v1beta1"),
                        1, 1, "apiVersion", "use cert-manager.io/v1 or cert-manager.io/v1alpha2"),
                Arguments.of("no secretName", cert("  secretName: web-tls\n", ""), 1, 7, "spec.secretName", "is required"),
                Arguments.of("an issuer kind that does not exist", cert("    kind: ClusterIssuer", "    kind: ExternalIssuer"),
                        1, 10, "spec.issuerRef.kind", "use Issuer or ClusterIssuer"),
                Arguments.of("a duration in days", cert("  secretName: web-tls", "  secretName: web-tls\n  duration: 90d"),
                        1, 8, "spec.duration", "2160h"),
                Arguments.of("a pkcs12 keystore without a password", cert("  secretName: web-tls", "  secretName: web-tls\n  keystores:\n    pkcs12:\n      create: true"),
                        1, 10, "spec.keystores.pkcs12.create", "needs passwordSecretRef or password"),
                Arguments.of("both Cloudflare credentials", issuer("          apiKeySecretRef:",
                        "          apiTokenSecretRef:\n            key: token\n            name: cloudflare-token\n          apiKeySecretRef:"),
                        1, 13, "spec.acme.solvers[0].dns01.cloudflare", "set exactly one of apiTokenSecretRef"),
                Arguments.of("an unknown key algorithm", cert("  secretName: web-tls", "  secretName: web-tls\n  privateKey:\n    algorithm: DSA"),
                        1, 9, "spec.privateKey.algorithm", "use RSA, ECDSA or Ed25519"),
                Arguments.of("an RSA key too small", cert("  secretName: web-tls",
                        "  secretName: web-tls\n  privateKey:\n    algorithm: RSA\n    size: 1024"),
                        1, 10, "spec.privateKey.size", "use 2048 to 8192 bits"),
                Arguments.of("an unknown usage", cert("  secretName: web-tls", "  secretName: web-tls\n  usages:\n  - signing"),
                        1, 9, "spec.usages[0]", "'signing' is not supported"),
                Arguments.of("a plain-http ACME server", issuer("server: https://acme-v02", "server: http://acme-v02"),
                        1, 9, "spec.acme.server", "not an https URL"),
                Arguments.of("a wildcard dnsZone in a selector", issuer("    - dns01:",
                        "    - selector:\n        dnsZones:\n        - \"*.example.com\"\n      dns01:"),
                        1, 11, "spec.acme.solvers[0].selector", "is a wildcard"),
                Arguments.of("an unknown cnameStrategy", issuer("        cloudflare:", "        cnameStrategy: Sometimes\n        cloudflare:"),
                        1, 12, "spec.acme.solvers[0].dns01.cnameStrategy", "use None or Follow"),
                Arguments.of("a namespace on a ClusterIssuer", issuer("  name: letsencrypt-dns01\nspec", "  name: letsencrypt-dns01\n  namespace: prod\nspec"),
                        1, 1, "metadata.namespace", "belongs to no namespace"),
                Arguments.of("a field given twice", cert("  secretName: web-tls", "  secretName: web-tls\n  secretName: other-tls"),
                        1, 8, "spec.secretName", "appears twice"),
                Arguments.of("a Vault issuer", issuer("  acme:", "  vault:\n    server: https://vault.example.com\n  acme:"),
                        1, 6, "spec.vault", "not supported"),
                Arguments.of("an RFC 2136 server given by host name", issuer("        cloudflare:",
                        "        rfc2136:\n          nameserver: ns1.example.com:53"),
                        1, 13, "spec.acme.solvers[0].dns01.rfc2136.nameserver", "not an IP address"),
                Arguments.of("a cert-manager.io annotation in secretTemplate", cert("  secretName: web-tls",
                        "  secretName: web-tls\n  secretTemplate:\n    annotations:\n      cert-manager.io/issuer-name: x"),
                        1, 8, "spec.secretTemplate", "cert-manager.io/* annotations"),
                Arguments.of("subject together with literalSubject", cert("  secretName: web-tls",
                        "  secretName: web-tls\n  literalSubject: CN=web\n  subject:\n    organizations: [Example]"),
                        1, 8, "spec.literalSubject", "no subject properties"),
                Arguments.of("a literalSubject with a type cert-manager does not know", cert("  secretName: web-tls",
                        "  secretName: web-tls\n  literalSubject: CN=web,postalCode=1234"),
                        1, 8, "spec.literalSubject", "2.5.4.17"),
                Arguments.of("otherNames", cert("  secretName: web-tls",
                        "  secretName: web-tls\n  otherNames:\n  - oid: 1.3.6.1.4.1.311.20.2.3\n    utf8Value: upn@example.local"),
                        1, 8, "spec.otherNames", "remove it"),
                Arguments.of("an email address with a display name", cert("  secretName: web-tls",
                        "  secretName: web-tls\n  emailAddresses:\n  - Ops <ops@example.com>"),
                        1, 8, "spec.emailAddresses", "without a display name"),
                Arguments.of("no metadata.name", cert("  name: web\n", ""), 1, 4, "metadata.name", "is required"),
                Arguments.of("an unknown signatureAlgorithm", cert("  secretName: web-tls", "  secretName: web-tls\n  signatureAlgorithm: SHA1WithRSA"),
                        1, 8, "spec.signatureAlgorithm", "use one of [SHA256WithRSA"),
                Arguments.of("a signatureAlgorithm for another key", cert("  secretName: web-tls",
                        "  secretName: web-tls\n  signatureAlgorithm: ECDSAWithSHA256"),
                        1, 7, "spec", "does not fit the RSA private key"),
                Arguments.of("renewal windows", cert("  secretName: web-tls", "  secretName: web-tls\n  renewal:\n    policy: Disabled"),
                        1, 8, "spec.renewal", "remove renewal"),
                Arguments.of("an invalid email", issuer("    server: https", "    email: not-an-address\n    server: https"),
                        1, 9, "spec.acme.email", "is not an email address"),
                Arguments.of("a v1alpha2 key field in a v1 Certificate", cert("  secretName: web-tls", "  secretName: web-tls\n  keySize: 4096"),
                        1, 8, "spec.keySize", "spec.privateKey"),
                Arguments.of("a broken second document", CERTIFICATE + "---\n" + issuer("        cloudflare:", "        webhook:"),
                        2, 25, "spec.acme.solvers[0].dns01.webhook", "implement dev.autocert4j.solver.dns.DnsProvider"),
                Arguments.of("a secret that is nowhere", issuer("name: cloudflare-apikey", "name: cloudflare-missing"),
                        1, 15, "spec.acme.solvers[0].dns01.cloudflare.apiKeySecretRef", "CLOUDFLARE_MISSING_API_KEY"),
                Arguments.of("an HTTP-01 solver without a factory", http01("          class: nginx"),
                        1, 12, "spec.acme.solvers[0].http01.ingress", "http01Solvers"),
                Arguments.of("a solver pod template", http01("          class: nginx\n          podTemplate:\n            spec: {}"),
                        1, 14, "spec.acme.solvers[0].http01.ingress.podTemplate", "no solver pod"),
                Arguments.of("invalid YAML", CERTIFICATE + "---\n" + cert("  dnsNames:\n  - web.example.com", "  dnsNames: [unclosed"),
                        2, 25, "", "not valid YAML"),
                Arguments.of("two issuer types at once", issuer("  acme:", "  selfSigned:\n  acme:"),
                        1, 6, "spec", "set exactly one of acme, selfSigned and ca"),
                Arguments.of("a Secret with data that is not base64", """
                        apiVersion: v1
                        kind: Secret
                        metadata:
                          name: cloudflare-apikey
                          namespace: cert-manager
                        data:
                          api-key: "%%%not base64%%%"
                        """, 1, 7, "data.api-key", "not base64"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void namesTheDocumentAndField(String what, String yaml, int document, int line, String field, String fragment) {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parse(yaml, "broken.yaml", OPTIONS));

        assertThat(e).as(what).isNotNull();
        assertThat(e.source()).isEqualTo("broken.yaml");
        assertThat(e.document()).as("document of: " + e.getMessage()).isEqualTo(document);
        assertThat(e.field()).as("field of: " + e.getMessage()).isEqualTo(field);
        assertThat(e.problem()).as("problem").contains(fragment);
        assertThat(e.line()).as("line of: " + e.getMessage()).isEqualTo(line);
        assertThat(e.getMessage()).startsWith("broken.yaml: document " + document).doesNotContain(KEY);
    }
}
