package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.Identifier;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.solver.ChallengeRequest;
import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Presentation;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import dev.autocert4j.testing.kubernetes.ApiRequest;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import dev.autocert4j.testing.support.ReadmeFigures;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The README's "RBAC" and "Deployment" YAML, read from the README: the objects parse, their names, labels and ports
 * agree with each other and with the README's Java code, the API server takes them, and the Ingress HTTP-01 solver
 * configured as the README shows routes the challenge to that Service.
 */
class ReadmeDeploymentTest {
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    private final KubernetesMockApi api = new KubernetesMockApi();

    @AfterEach
    void stop() {
        api.close();
    }

    private List<HasMetadata> objects(String section) {
        List<HasMetadata> objects = new ArrayList<>();
        Matcher m = YAML_BLOCK.matcher(ReadmeFigures.section(section));
        while (m.find()) {
            objects.addAll(api.client().load(new ByteArrayInputStream(m.group(1).getBytes(StandardCharsets.UTF_8))).items());
        }
        assertThat(objects).as("the YAML of the README's section " + section).isNotEmpty();
        return objects;
    }

    private static <T> T only(List<HasMetadata> objects, Class<T> type) {
        List<T> found = objects.stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as("one " + type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    private Deployment deployment() {
        return only(objects("Deployment"), Deployment.class);
    }

    private Service service() {
        return only(objects("Deployment"), Service.class);
    }

    /** The {@code .service("name", port)} of the README's Ingress solver code. */
    private static String[] solverService() {
        Matcher m = Pattern.compile("\\.service\\(\"([a-z0-9-]+)\", (\\d+)\\)").matcher(ReadmeFigures.section("HTTP-01 through an Ingress"));
        assertThat(m.find()).as("the README's IngressHttp01Solver code names a Service").isTrue();
        return new String[] {m.group(1), m.group(2)};
    }

    /** The port of {@code Http01Solver.builder().standalone("0.0.0.0", port)} in the README's Ingress solver code. */
    private static int responderPort() {
        Matcher m = Pattern.compile("standalone\\(\"0\\.0\\.0\\.0\", (\\d+)\\)").matcher(ReadmeFigures.section("HTTP-01 through an Ingress"));
        assertThat(m.find()).as("the README's responder code").isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void theRoleBindingBindsTheRoleToTheDeploymentsServiceAccount() {
        List<HasMetadata> rbac = objects("RBAC");
        Role role = only(rbac, Role.class);
        RoleBinding binding = only(rbac, RoleBinding.class);
        Deployment deployment = deployment();

        assertThat(binding.getRoleRef().getKind()).isEqualTo("Role");
        assertThat(binding.getRoleRef().getApiGroup()).isEqualTo("rbac.authorization.k8s.io");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getMetadata().getNamespace()).isEqualTo(role.getMetadata().getNamespace());
        Subject subject = binding.getSubjects().get(0);
        assertThat(binding.getSubjects()).hasSize(1);
        assertThat(subject.getKind()).isEqualTo("ServiceAccount");
        assertThat(subject.getName()).isEqualTo(deployment.getSpec().getTemplate().getSpec().getServiceAccountName());
        assertThat(subject.getNamespace()).isEqualTo(deployment.getMetadata().getNamespace())
                .isEqualTo(role.getMetadata().getNamespace());
    }

    @Test
    void theServiceSelectsTheDeploymentsPodsAndTargetsTheResponderPortOfTheReadmesCode() {
        Deployment deployment = deployment();
        Service service = service();
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        List<ContainerPort> ports = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts();
        String[] solverService = solverService();

        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels())
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(service.getMetadata().getNamespace()).isEqualTo(deployment.getMetadata().getNamespace());
        assertThat(service.getMetadata().getName()).as("the Service the README's solver code names").isEqualTo(solverService[0]);
        ServicePort port = service.getSpec().getPorts().get(0);
        assertThat(port.getPort()).as("the port the README's solver code names").isEqualTo(Integer.parseInt(solverService[1]));
        assertThat(ports).filteredOn(p -> p.getName().equals(port.getTargetPort().getStrVal())).singleElement()
                .as("the container port the Service targets is the responder's").extracting(ContainerPort::getContainerPort)
                .isEqualTo(responderPort());
        assertThat(ReadmeFigures.text()).as("what 'Coming from cert-manager' says of them")
                .contains("(" + solverService[0] + ":" + solverService[1] + " → " + port.getTargetPort().getStrVal() + ", port "
                        + responderPort() + ")");
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .as("the variables the README's code reads").extracting(e -> e.getName() + "=" + e.getValueFrom().getFieldRef().getFieldPath())
                .contains("POD_NAME=metadata.name", "POD_NAMESPACE=metadata.namespace");
    }

    @Test
    void theApiServerTakesTheReadmesObjectsAndTheSolverRoutesTheChallengeToItsService() throws Exception {
        List<HasMetadata> all = new ArrayList<>(objects("RBAC"));
        all.addAll(objects("Deployment"));
        for (HasMetadata object : all) {
            api.client().resource(object).create();
        }
        Service service = api.inspector().services().inNamespace("shop").withName(solverService()[0]).get();
        assertThat(service).as("the README's Service, read back").isNotNull();
        IngressHttp01Solver solver = IngressHttp01Solver.builder(api.client()).namespace(service.getMetadata().getNamespace())
                .service(solverService()[0], Integer.parseInt(solverService()[1])).ingressClassName("nginx").build();

        Presentation presentation = solver.present(new ChallengeRequest(ChallengeType.HTTP_01, Identifier.dns("shop.example.test"),
                "tok", "tok.k"));
        try {
            IngressBackend backend = api.inspector().network().v1().ingresses().inNamespace("shop").list().getItems().stream()
                    .filter(i -> i.getMetadata().getName().startsWith("autocert4j-http01-")).findFirst().orElseThrow()
                    .getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend();

            assertThat(backend.getService().getName()).isEqualTo(service.getMetadata().getName());
            assertThat(backend.getService().getPort().getNumber()).isEqualTo(service.getSpec().getPorts().get(0).getPort());
        } finally {
            presentation.close();
        }
    }

    /**
     * "Certificates in several namespaces": RoleBindings in the certificates' namespaces and the cluster resource
     * namespace are enough only if nothing is asked cluster-wide or in another namespace, and only for the resources
     * and verbs of the Role.
     */
    @Test
    void certificatesInSeveralNamespacesNeedTheRoleOnlyThereAndInTheClusterResourceNamespace() throws Exception {
        Role role = only(objects("RBAC"), Role.class);
        Set<String> granted = role.getRules().stream().flatMap(r -> r.getApiGroups().stream().flatMap(g -> r.getResources()
                .stream().flatMap(res -> r.getVerbs().stream().map(v -> v + " " + g + "/" + res)))).collect(Collectors.toSet());
        try (CertificateManager manager = CertificateManager.builder().issuer(SelfSignedIssuer.builder("selfsigned").build())
                .store(KubernetesSecretStore.of(api.client(), "autocert4j-system")).build()) {
            for (String namespace : List.of("shop", "blog")) {
                manager.obtain(Certificate.builder("web").namespace(namespace).secretName("web-tls")
                        .dnsNames("web." + namespace + ".example.test").issuerRef(IssuerRef.clusterIssuer("selfsigned")).build());
            }
        }

        List<ApiRequest> requests = api.requests().stream().filter(r -> !r.resource().isEmpty()).toList();
        assertThat(requests).extracting(ApiRequest::resource).contains("secrets", "leases");
        assertThat(requests).extracting(ApiRequest::namespace).as("no cluster-wide request; only these namespaces")
                .containsOnly("shop", "blog", "autocert4j-system");
        assertThat(requests).extracting(r -> r.verb() + " " + r.group() + "/" + r.resource()).as("all granted by the Role")
                .allMatch(granted::contains);
    }
}
