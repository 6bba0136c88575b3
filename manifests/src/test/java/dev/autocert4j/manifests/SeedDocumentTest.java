package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The test copies under {@code seed/} are the seed document's YAML byte for byte, and those under
 * {@code v1/} differ from them in the {@code apiVersion} line only. {@code seed/seed-document.txt} is
 * an unchanged copy of the document the project was started from (shared/seed/000_658816d1e88c62da.txt,
 * a cert-manager tutorial); each YAML block is the body of one {@code cat <<EOF | kubectl apply -f -}.
 */
class SeedDocumentTest {
    private static final String HEREDOC = "cat <<EOF | kubectl apply -f -";

    /** The YAML of each {@code cat <<EOF | kubectl apply -f -} ... {@code EOF} block, in document order. */
    static List<String> seedYamlBlocks() throws IOException {
        List<String> lines = Files.readAllLines(ManifestsTest.resource("seed", "seed-document.txt"), StandardCharsets.UTF_8);
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(HEREDOC)) {
                int end = lines.subList(i + 1, lines.size()).indexOf("EOF") + i + 1;
                blocks.add(String.join("\n", lines.subList(i + 1, end)) + "\n");
                i = end;
            }
        }
        return blocks;
    }

    @Test
    void theSeedDocumentHasFourManifests() throws IOException {
        assertThat(seedYamlBlocks()).hasSize(4).allSatisfy(yaml -> assertThat(yaml).startsWith("apiVersion: cert-manager.io/v1alpha2\n"));
    }

    @ParameterizedTest
    @CsvSource({"0, dns01-clusterissuer.yaml", "1, http01-clusterissuer-ingress-name.yaml",
            "2, http01-clusterissuer-ingress-class.yaml", "3, certificate.yaml"})
    void eachSeedTestCopyIsTheSeedDocumentsYamlByteForByte(int block, String file) throws IOException {
        byte[] expected = seedYamlBlocks().get(block).getBytes(StandardCharsets.UTF_8);

        assertThat(Files.readAllBytes(ManifestsTest.resource("seed", file))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, dns01-clusterissuer.yaml", "1, http01-clusterissuer-ingress-name.yaml",
            "2, http01-clusterissuer-ingress-class.yaml", "3, certificate.yaml"})
    void eachV1CopyDiffersFromTheSeedInTheApiVersionOnly(int block, String file) throws IOException {
        String expected = seedYamlBlocks().get(block)
                .replace("apiVersion: cert-manager.io/v1alpha2\n", "apiVersion: cert-manager.io/v1\n");

        assertThat(Files.readString(ManifestsTest.resource("v1", file), StandardCharsets.UTF_8)).isEqualTo(expected);
    }
}
