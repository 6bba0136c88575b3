import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

/** autocert4j-testing-kubernetes from the BOM alone: a Secret goes to the mock API server and back. */
public final class Smoke {
    public static void main(String[] args) throws Exception {
        try (KubernetesMockApi api = new KubernetesMockApi()) {
            api.client().secrets().inNamespace("shop").resource(new SecretBuilder().withNewMetadata().withName("smoke")
                    .endMetadata().addToStringData("key", "value").build()).create();
            Secret read = api.inspector().secrets().inNamespace("shop").withName("smoke").get();
            if (read == null || !read.getMetadata().getName().equals("smoke")) {
                throw new AssertionError(read);
            }
        }
        System.out.println("testing-kubernetes: Secret written to the mock API and read back");
    }
}
