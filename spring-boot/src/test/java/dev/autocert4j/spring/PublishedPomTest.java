package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The starter's pom.xml is published as it is: a dependency it declares, in any scope a consumer's tools read (all but
 * {@code test}), in the project or in a profile, must be an artifact that is published too, not a reactor module
 * with {@code maven.deploy.skip} (such as spring-boot-3-health, whose classes the jar includes).
 */
class PublishedPomTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path ROOT = MODULE.getParent();

    private static Document read(Path pom) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(pom.toFile());
    }

    private static List<Element> children(Node parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? "" : found.get(0).getTextContent().trim();
    }

    /** The artifactIds of the reactor's modules that are not deployed. */
    private static Set<String> unpublishedModules() throws Exception {
        Set<String> unpublished = new TreeSet<>();
        Element modules = children(read(ROOT.resolve("pom.xml")).getDocumentElement(), "modules").get(0);
        for (Element module : children(modules, "module")) {
            Element project = read(ROOT.resolve(module.getTextContent().trim()).resolve("pom.xml")).getDocumentElement();
            List<Element> properties = children(project, "properties");
            if (!properties.isEmpty() && text(properties.get(0), "maven.deploy.skip").equals("true")) {
                unpublished.add(text(project, "artifactId"));
            }
        }
        return unpublished;
    }

    /** The {@code groupId:artifactId (scope)} of the dependencies the pom declares outside the test scope. */
    private static List<String> publishedDependencies(Path pom) throws Exception {
        Element project = read(pom).getDocumentElement();
        List<Element> containers = new ArrayList<>(List.of(project));
        children(project, "profiles").forEach(profiles -> containers.addAll(children(profiles, "profile")));
        List<String> found = new ArrayList<>();
        for (Element container : containers) {
            for (Element dependencies : children(container, "dependencies")) {
                for (Element dependency : children(dependencies, "dependency")) {
                    if (!text(dependency, "scope").equals("test")) {
                        found.add(text(dependency, "groupId") + ":" + text(dependency, "artifactId"));
                    }
                }
            }
        }
        return found;
    }

    @Test
    void theBuildMarksTheModulesThatAreNotPublished() throws Exception {
        assertThat(unpublishedModules()).contains("autocert4j-spring-boot-3-health", "autocert4j-testing-support")
                .doesNotContain("autocert4j-spring-boot-starter", "autocert4j-core");
    }

    @Test
    void theStarterPomDeclaresNoDependencyOnAModuleThatIsNotPublished() throws Exception {
        Set<String> unpublished = unpublishedModules();
        assertThat(Files.exists(MODULE.resolve("pom.xml"))).as("the tests run in the module's directory").isTrue();

        assertThat(publishedDependencies(MODULE.resolve("pom.xml")).stream()
                .filter(d -> d.startsWith("dev.autocert4j:") && unpublished.contains(d.substring(d.indexOf(':') + 1))))
                .as("dependencies outside the test scope on modules with maven.deploy.skip").isEmpty();
    }
}
