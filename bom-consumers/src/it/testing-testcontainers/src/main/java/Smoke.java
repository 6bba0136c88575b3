import dev.autocert4j.testing.testcontainers.TestcontainersEngine;
import org.testcontainers.utility.DockerImageName;

/** autocert4j-testing-testcontainers from the BOM alone: the engine and Testcontainers' classes load. */
public final class Smoke {
    public static void main(String[] args) throws Exception {
        new TestcontainersEngine();
        DockerImageName image = DockerImageName.parse("ghcr.io/letsencrypt/pebble:2.6.0");
        if (!image.getVersionPart().equals("2.6.0")) {
            throw new AssertionError(image);
        }
        System.out.println("testing-testcontainers: engine built, image name parsed");
    }
}
