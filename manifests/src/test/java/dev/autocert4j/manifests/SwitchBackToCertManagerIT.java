package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.testing.PebbleServer;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Switching back: for every Secret autocert4j wrote for Certificates loaded from manifests, cert-manager's
 * own policy chains ({@link CertManagerPolicies}, given the Certificate as cert-manager reads the YAML)
 * say "no issuance needed" and "Ready"; the post-issuance chain finds the content right but none of it owned by
 * cert-manager's field manager, so cert-manager re-applies the metadata once (with
 * {@code --enable-certificate-owner-ref} adding its owner reference) and then finds nothing. The mock API server
 * keeps no managedFields: each Secret is checked as it comes from the mock and with the managedFields a real API
 * server would record for our writes ({@link ApiServerManagedFields}). Issuers: SelfSigned, CA (its CA made by a
 * Certificate of the same files) and ACME against Pebble; RSA (cert-manager's default and 4096 in
 * PKCS#8), ECDSA P-256/P-384 (also as v1alpha2 {@code keyAlgorithm}), Ed25519; usages; IPv4 and IPv6 SANs; a certificate with IP addresses only;
 * additional output formats; an {@code issuerRef} without {@code kind}.
 */
class SwitchBackToCertManagerIT {
    private static final String MANIFESTS = """
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata: {name: selfsigned}
            spec:
              selfSigned: {}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: root-ca, namespace: shop}
            spec:
              secretName: root-ca
              isCA: true
              commonName: root.shop.test
              dnsNames: [root.shop.test]
              privateKey: {algorithm: ECDSA, size: 256}
              issuerRef: {name: selfsigned, kind: ClusterIssuer}
            ---
            apiVersion: cert-manager.io/v1
            kind: Issuer
            metadata: {name: shop-ca, namespace: shop}
            spec:
              ca: {secretName: root-ca}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: api, namespace: shop}
            spec:
              secretName: api-tls
              issuerRef: {name: shop-ca}
              dnsNames: [api.shop.test, a.shop.test]
              ipAddresses: [10.0.0.1, "2001:DB8:0:0::1"]
              usages: [server auth, client auth, digital signature, key encipherment]
              additionalOutputFormats: [{type: CombinedPEM}, {type: DER}]
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: ec384, namespace: shop}
            spec:
              secretName: ec384-tls
              issuerRef: {name: shop-ca, kind: Issuer, group: cert-manager.io}
              commonName: ec.shop.test
              dnsNames: [ec.shop.test]
              privateKey: {algorithm: ECDSA, size: 384}
              duration: 720h
              renewBefore: 240h
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: ed, namespace: shop}
            spec:
              secretName: ed-tls
              issuerRef: {name: shop-ca}
              dnsNames: [ed.shop.test]
              privateKey: {algorithm: Ed25519, encoding: PKCS8}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: ip-only, namespace: shop}
            spec:
              secretName: ip-only-tls
              issuerRef: {name: shop-ca}
              ipAddresses: [10.0.0.2]
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: full, namespace: shop}
            spec:
              secretName: full-tls
              issuerRef: {name: shop-ca}
              commonName: full.shop.test
              dnsNames: [full.shop.test]
              uris: ["spiffe://shop.test/ns/shop/sa/full"]
              emailAddresses: [ops@shop.test]
              subject: {organizations: [Shop], countries: [DE], localities: [Berlin]}
              secretTemplate: {labels: {team: shop}, annotations: {owner: ops}}
              keystores:
                pkcs12: {create: true, password: not-a-real-secret, profile: Modern2023}
                jks: {create: true, password: not-a-real-secret, alias: full}
            ---
            apiVersion: cert-manager.io/v1alpha2
            kind: Certificate
            metadata: {name: old-style, namespace: shop}
            spec:
              secretName: old-style-tls
              issuerRef: {name: shop-ca}
              dnsNames: [old.shop.test]
              keyAlgorithm: ecdsa
              keySize: 384
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: big, namespace: shop}
            spec:
              secretName: big-tls
              issuerRef: {name: selfsigned, kind: ClusterIssuer}
              commonName: big.shop.test
              dnsNames: [big.shop.test, b.shop.test]
              privateKey: {algorithm: RSA, size: 4096, encoding: PKCS8}
              renewBeforePercentage: 25
            ---
            apiVersion: cert-manager.io/v1
            kind: ClusterIssuer
            metadata: {name: pebble}
            spec:
              acme:
                server: https://acme.invalid/directory
                email: ops@shop.test
                privateKeySecretRef: {name: pebble-account}
                solvers:
                - http01:
                    ingress: {class: nginx}
            ---
            apiVersion: cert-manager.io/v1
            kind: Certificate
            metadata: {name: web, namespace: shop}
            spec:
              secretName: web-tls
              issuerRef: {name: pebble, kind: ClusterIssuer}
              commonName: www.shop.test
              dnsNames: [www.shop.test, shop.test]
              usages: [digital signature, key encipherment, server auth]
            """;

    private static PebbleServer pebble;
    private static Http01Solver http01;

    @BeforeAll
    static void startPebble() throws Exception {
        pebble = PebbleServer.builder().start();
        http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build();
    }

    @AfterAll
    static void stopPebble() throws Exception {
        if (http01 != null) {
            http01.close();
        }
        if (pebble != null) {
            pebble.close();
        }
    }

    @Test
    void certManagerWouldReissueNoSecretWeWroteAndOnlyReapplyItsMetadataOnce() throws Exception {
        Manifests manifests = Manifests.parse(MANIFESTS, "switch-back.yaml", ManifestOptions.builder()
                .acmeServerOverride(pebble.directoryUrl()).trustedCertificates(pebble.tlsTrustAnchor())
                .http01Solvers(config -> http01).build());
        try (KubernetesMockApi api = new KubernetesMockApi();
                CertificateManager manager = manifests.applyTo(CertificateManager.builder())
                        .store(KubernetesSecretStore.of(api.client())).build()) {
            for (Certificate certificate : manifests.certificates()) {
                manager.obtain(certificate);
            }
            // The manager name a real API server gives our PUTs: no fieldManager parameter is sent, so the
            // User-Agent up to its first '/' (handlers/create.go prefixFromUserAgent), operation Update.
            String ourManager = api.client().getConfiguration().getUserAgent().split("/")[0];
            assertThat(ourManager).isEqualTo("fabric8-kubernetes-client");

            List<String> findings = new ArrayList<>();
            Instant now = Instant.now();
            assertThat(certificateDocuments()).hasSize(9);
            for (Map<String, Object> document : certificateDocuments()) {
                // applied to a cluster, the Certificate gets a uid from the API server
                CertManagerSpec spec = CertManagerSpec.fromYaml(document).withUid("uid-of-" + CertManagerSpec.fromYaml(document).name());
                @SuppressWarnings("unchecked")
                Map<String, Object> body = (Map<String, Object>) document.get("spec");
                // the mock API server keeps no managedFields; a real one would hold one Update entry of ours
                Secret asMocked = api.inspector().secrets().inNamespace("shop").withName((String) body.get("secretName")).get();
                assertThat(asMocked.getMetadata().getManagedFields()).isNullOrEmpty();
                Secret asRecorded = ApiServerManagedFields.withUpdateBy(asMocked, ourManager);
                for (Secret secret : List.of(asMocked, asRecorded)) {
                    String where = spec.name() + (secret == asMocked ? " (no managedFields) " : " (managedFields of our Update) ");
                    // no issuance, Ready, and the Secret's content is what cert-manager would write
                    for (var chain : Map.of("trigger", CertManagerPolicies.triggerChain(), "readiness", CertManagerPolicies.readinessChain(),
                            "post-issuance content", CertManagerPolicies.postIssuanceChain()).entrySet()) {
                        CertManagerPolicies.evaluate(chain.getValue(), spec, secret, now)
                                .ifPresent(v -> findings.add(where + chain.getKey() + ": " + v));
                    }
                    // but cert-manager's field manager owns none of it: it re-applies the metadata (ensureSecretData)
                    for (boolean ownerRef : new boolean[] {false, true}) {
                        assertThat(CertManagerPolicies.evaluate(CertManagerPolicies.postIssuanceChain(ownerRef, CertManagerOwnershipChecks.FIELD_MANAGER),
                                spec, secret, now)).as(where + "full post-issuance chain, owner-ref " + ownerRef)
                                .contains(new CertManagerPolicies.Violation("SecretManagedMetadataMismatch",
                                        "Secret is missing these Managed Labels: [controller.cert-manager.io/fao]"));
                    }
                    assertThat(CertManagerOwnershipChecks.secretOwnerReferenceMismatch(true).apply(spec, secret, now)).as(where)
                            .contains(new CertManagerPolicies.Violation("SecretOwnerRefMismatch",
                                    "unexpected Secret Owner Reference value on Secret --enable-certificate-owner-ref=true"));
                    // after that one apply (values unchanged, plus the owner reference with the flag) nothing is left to do
                    for (boolean ownerRef : new boolean[] {false, true}) {
                        Secret reapplied = ApiServerManagedFields.afterCertManagerReapply(secret, spec, ownerRef);
                        for (var chain : Map.of("trigger", CertManagerPolicies.triggerChain(), "post-issuance", CertManagerPolicies.postIssuanceChain(
                                ownerRef, CertManagerOwnershipChecks.FIELD_MANAGER)).entrySet()) {
                            CertManagerPolicies.evaluate(chain.getValue(), spec, reapplied, now)
                                    .ifPresent(v -> findings.add(where + "after re-apply, owner-ref " + ownerRef + ", " + chain.getKey() + ": " + v));
                        }
                    }
                }
            }
            assertThat(findings).isEmpty();
        }
    }

    @Test
    void aCertificateBuiltInCodeWithTheLibraryDefaultKeyIsReissuedByCertManager() throws Exception {
        // Built in code: the library's default key (ECDSA P-256). The same Certificate as a cert-manager
        // manifest without privateKey means RSA 2048, so cert-manager orders it anew.
        Manifests manifests = Manifests.parse(MANIFESTS, "switch-back.yaml", ManifestOptions.builder()
                .acmeServerOverride(pebble.directoryUrl()).trustedCertificates(pebble.tlsTrustAnchor())
                .http01Solvers(config -> http01).build());
        Certificate inCode = Certificate.builder("api").namespace("shop").secretName("api-tls")
                .issuerRef(dev.autocert4j.IssuerRef.issuer("shop-ca")).dnsNames("api.shop.test").build();
        try (KubernetesMockApi api = new KubernetesMockApi();
                CertificateManager manager = manifests.applyTo(CertificateManager.builder())
                        .store(KubernetesSecretStore.of(api.client())).build()) {
            manager.obtain(manifests.certificate("shop", "root-ca").orElseThrow());
            manager.obtain(inCode);
            Secret secret = api.inspector().secrets().inNamespace("shop").withName("api-tls").get();
            CertManagerSpec asManifest = CertManagerSpec.of("api", "shop-ca", List.of("api.shop.test"));

            assertThat(CertManagerPolicies.evaluate(CertManagerPolicies.triggerChain(), asManifest, secret, Instant.now()))
                    .contains(new CertManagerPolicies.Violation("SecretMismatch",
                            "Existing private key is not up to date for spec: [spec.privateKey.algorithm]"));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> certificateDocuments() {
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(MANIFESTS)) {
            Map<String, Object> map = (Map<String, Object>) document;
            if ("Certificate".equals(map.get("kind"))) {
                documents.add(map);
            }
        }
        return documents;
    }
}
