import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autocert4j.solver.dns.cloudflare.CloudflareDnsProvider;

/** autocert4j-solvers-dns-cloudflare from the BOM alone: a provider is built; Jackson 2 reads JSON. */
public final class Smoke {
    public static void main(String[] args) throws Exception {
        CloudflareDnsProvider provider = CloudflareDnsProvider.builder().apiToken("smoke-token-not-a-secret").build();
        JsonNode envelope = new ObjectMapper().readTree("{\"success\":true,\"result\":[{\"id\":\"z1\",\"name\":\"example.test\"}]}");
        if (provider.id().isEmpty() || !envelope.path("result").get(0).path("name").asText().equals("example.test")) {
            throw new AssertionError(envelope);
        }
        System.out.println("solvers-dns-cloudflare: provider built, JSON read");
    }
}
