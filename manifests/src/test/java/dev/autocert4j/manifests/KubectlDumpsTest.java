package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.SolverSelector;
import dev.autocert4j.solver.SolverSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl get -o yaml} output of the seed's objects as a cluster shows them (resources under
 * {@code kubectl/}): ownerReferences, finalizers, managedFields, status, the CRD-defaulted
 * {@code spec.acme.renewalInformationSource: ARI} (cert-manager's {@code +kubebuilder:default=ARI}),
 * {@code issuerRef.group}, and {@code kind: List} for several objects. What the server adds under
 * {@code metadata} and {@code status} is accepted; a field in {@code spec} nobody reads is still refused.
 */
class KubectlDumpsTest {
    private static String dump(String name) throws IOException {
        return Files.readString(ManifestsTest.resource("kubectl", name), StandardCharsets.UTF_8);
    }

    @Test
    void loadsAClusterIssuerDumpWithManagedFieldsStatusAndTheDefaultedRenewalInformationSource() throws Exception {
        Manifests m = Manifests.load(ManifestsTest.resource("kubectl", "clusterissuer.yaml"), ManifestsTest.SEED_SECRETS);

        assertThat(m.issuers()).singleElement().isInstanceOfSatisfying(AcmeIssuer.class, acme -> {
            assertThat(acme.name()).isEqualTo("letsencrypt-dns01");
            assertThat(acme.email()).contains("roc@imroc.io");
        });
        assertThat(m.solvers()).singleElement().extracting(SolverSet.Entry::selector).isEqualTo(SolverSelector.any());
    }

    @Test
    void loadsACertificateDumpWithOwnerReferencesFinalizersAndStatus() throws Exception {
        Manifests m = Manifests.load(ManifestsTest.resource("kubectl", "certificate.yaml"));

        Certificate c = m.certificate("kubernetes-dashboard", "dashboard-imroc-io").orElseThrow();
        assertThat(c.dnsNames()).containsExactly("dashboard.imroc.io");
        assertThat(c.issuerRef()).isEqualTo(IssuerRef.clusterIssuer("letsencrypt-dns01"));
        assertThat(c.labels()).containsExactly(Map.entry("app.kubernetes.io/instance", "kubernetes-dashboard"));
    }

    @Test
    void readsEachItemOfAKubectlListAsTheSingleDumpsAre() throws Exception {
        Manifests list = Manifests.load(ManifestsTest.resource("kubectl", "list.yaml"), ManifestsTest.SEED_SECRETS);
        Manifests single = Manifests.load(List.of(ManifestsTest.resource("kubectl", "clusterissuer.yaml"),
                ManifestsTest.resource("kubectl", "certificate.yaml")), ManifestsTest.SEED_SECRETS);

        assertThat(list.certificates()).isEqualTo(single.certificates()).hasSize(1);
        assertThat(list.issuers()).extracting(i -> i.name()).containsExactly("letsencrypt-dns01");
        assertThat(list.solvers()).hasSize(1);
    }

    @Test
    void anUnknownSpecFieldOfAListItemIsRefusedNamingTheItemAndLine() throws Exception {
        String yaml = dump("list.yaml").replace("    secretName: dashboard-imroc-io-tls\n",
                "    secretName: dashboard-imroc-io-tls\n    secretNamespace: other\n");

        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parse(yaml, "list.yaml", ManifestsTest.SEED_SECRETS));

        assertThat(e.field()).isEqualTo("items[1].spec.secretNamespace");
        assertThat(e.line()).isEqualTo(yaml.substring(0, yaml.indexOf("secretNamespace")).split("\n", -1).length);
        assertThat(e.problem()).startsWith("unknown field");
    }

    @Test
    void aTypoInMetadataIsRefusedRatherThanMovingTheCertificateToTheDefaultNamespace() throws Exception {
        String yaml = dump("certificate.yaml").replace("  namespace: kubernetes-dashboard\n", "  namspace: kubernetes-dashboard\n");

        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parse(yaml, "c.yaml", ManifestOptions.defaults()));

        assertThat(e.field()).isEqualTo("metadata.namspace");
    }

    @Test
    void aRenewalInformationSourceOtherThanAriIsRefused() throws Exception {
        String yaml = dump("clusterissuer.yaml").replace("renewalInformationSource: ARI", "renewalInformationSource: None");

        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Manifests.parse(yaml, "ci.yaml", ManifestsTest.SEED_SECRETS));

        assertThat(e.field()).isEqualTo("spec.acme.renewalInformationSource");
        assertThat(e.problem()).contains("'None' is not supported");
    }

    @Test
    void generateNameIsReadBesideANameButNotInsteadOfOne() throws Exception {
        String both = dump("certificate.yaml").replace("  name: dashboard-imroc-io\n",
                "  generateName: dashboard-\n  name: dashboard-imroc-io\n");
        String only = dump("certificate.yaml").replace("  name: dashboard-imroc-io\n", "  generateName: dashboard-\n");

        assertThat(Manifests.parse(both, "c.yaml", ManifestOptions.defaults()).certificates()).hasSize(1);
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parse(only, "c.yaml", ManifestOptions.defaults()));
        assertThat(e.field()).isEqualTo("metadata.generateName");
        assertThat(e.problem()).contains("set metadata.name");
    }

    @Test
    void aListInsideAListIsRefused() {
        String yaml = """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: List
                  items: []
                """;

        ManifestException e = catchThrowableOfType(ManifestException.class, () -> Manifests.parse(yaml, "l.yaml", ManifestOptions.defaults()));

        assertThat(e.field()).isEqualTo("items[0].kind");
    }
}
