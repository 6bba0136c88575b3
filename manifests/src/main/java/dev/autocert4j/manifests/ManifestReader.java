package dev.autocert4j.manifests;

import dev.autocert4j.Certificate;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.solver.SolverSet;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads manifest files into issuers, solvers and certificates: parses the documents, checks their
 * kinds, and hands each to its reader (Secrets first, then Certificates, which a CA issuer may
 * refer to, then issuers). The items of a {@code v1 List} ({@code kubectl get -o yaml} of several
 * objects) are read as documents of their own. One instance per load; not thread-safe.
 */
final class ManifestReader {
    static final String V1 = "cert-manager.io/v1";
    static final String V1ALPHA2 = "cert-manager.io/v1alpha2";
    /** The most characters one file may have: snakeyaml-engine's own default, now with a clear message. */
    static final int MAX_CHARACTERS = 3 * 1024 * 1024;
    /**
     * The deepest nesting of mappings and sequences: cert-manager's deepest field (a solver's pod
     * template) is about 15 levels down; snakeyaml-engine composes recursively, so a few thousand
     * levels would end in a StackOverflowError instead of an error message.
     */
    static final int MAX_DEPTH = 64;
    /**
     * The fields of Kubernetes' ObjectMeta that the API server or other controllers fill in, as
     * {@code kubectl get -o yaml} shows them: accepted and not used. {@code clusterName} is in dumps of
     * clusters before 1.25. Any other metadata key is refused, so that a typo such as
     * {@code namspace} cannot put a Certificate into another namespace unnoticed.
     */
    static final Set<String> SERVER_SET_METADATA = Set.of("uid", "resourceVersion", "generation",
            "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink",
            "ownerReferences", "finalizers", "clusterName");

    private final List<Parsed> documents = new ArrayList<>();
    private final Secrets secrets;
    private final CertificateReader certificateReader = new CertificateReader();
    private final IssuerReader issuerReader;

    final List<Issuer> issuers = new ArrayList<>();
    final List<SolverSet.Entry> solvers = new ArrayList<>();
    /** Each ACME issuer's own solvers, as cert-manager keeps them per issuer. */
    final Map<Issuer, List<SolverSet.Entry>> issuerSolvers = new IdentityHashMap<>();
    final List<Certificate> certificates = new ArrayList<>();

    /** One document, its {@code apiVersion} and {@code kind} read. */
    record Parsed(YamlObject root, String apiVersion, String kind) {
    }

    ManifestReader(ManifestOptions options) {
        this.secrets = new Secrets(options.secrets());
        this.issuerReader = new IssuerReader(options, secrets, new SolverReader(options, secrets));
    }

    /** Adds the documents of one file; call {@link #build()} after the last. */
    void add(String content, String source) {
        if (content.length() > MAX_CHARACTERS) {
            throw tooLarge(source, content.length() + " characters");
        }
        LoadSettings settings = LoadSettings.builder().setLabel(source).setSchema(new CoreSchema())
                .setCodePointLimit(MAX_CHARACTERS).build();
        int number = 0;
        try {
            // what api.lowlevel.Compose does, which the snakeyaml-engine module does not export
            Composer composer = new Composer(settings,
                    new DepthLimitedParser(new ParserImpl(settings, new StreamReader(settings, content)), MAX_DEPTH));
            while (composer.hasNext()) {
                Node root = composer.next();
                number++;
                if (root instanceof ScalarNode s && Tag.NULL.equals(s.getTag())) {
                    continue; // an empty document, e.g. after a trailing ---
                }
                YamlObject o = YamlObject.of(new YamlObject.Doc(source, number), "", root);
                String apiVersion = o.requiredString("apiVersion");
                String kind = o.requiredString("kind");
                if (kind.equals("List") && apiVersion.equals("v1")) {
                    items(o);
                } else {
                    documents.add(new Parsed(o, apiVersion, kind));
                }
            }
        } catch (DepthLimitedParser.TooDeep e) {
            throw new ManifestException(source, number + 1, e.line(), "", "nests mappings and sequences deeper than "
                    + MAX_DEPTH + " levels, the limit: cert-manager manifests need far fewer; check the file for runaway brackets");
        } catch (MarkedYamlEngineException e) {
            // the problem only: the snippet could show a secret from a Secret document
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
            throw new ManifestException(source, number + 1, line, "", "not valid YAML: "
                    + (e.getProblem() != null ? e.getProblem() : e.getContext() != null ? e.getContext() : e.getClass().getSimpleName()));
        } catch (YamlEngineException e) {
            throw new ManifestException(source, number + 1, 0, "", "not valid YAML");
        }
    }

    /** The items of a {@code kubectl get -o yaml} {@code v1 List}, each read as a document of its own (paths {@code items[i]}). */
    private void items(YamlObject list) {
        list.object("metadata"); // resourceVersion: "" and the like, of the list itself
        list.ignored("apiVersion", "kind", "metadata");
        List<YamlObject> items = list.objects("items");
        list.done();
        for (YamlObject item : items) {
            String apiVersion = item.requiredString("apiVersion");
            String kind = item.requiredString("kind");
            if (kind.equals("List")) {
                throw item.error("kind", "a List inside a List is not read: put its items into the outer list");
            }
            documents.add(new Parsed(item, apiVersion, kind));
        }
    }

    /**
     * @param source the file
     * @param size how large it is, for the message
     * @return the error for a file over {@link #MAX_CHARACTERS}
     */
    static ManifestException tooLarge(String source, String size) {
        return new ManifestException(source, 1, 0, "", "is " + size + ", more than the limit of " + MAX_CHARACTERS
                + " characters per file: split it into several files");
    }

    void build() {
        for (Parsed p : documents) {
            if (p.kind.equals("Secret") && p.apiVersion.equals("v1")) {
                secrets.document(p.root);
            } else if (p.kind.equals("Secret")) {
                throw p.root.error("apiVersion", "a Secret has apiVersion v1, not " + p.apiVersion);
            } else if (!p.apiVersion.equals(V1) && !p.apiVersion.equals(V1ALPHA2)) {
                throw p.root.error("apiVersion", "'" + p.apiVersion + "' is not supported: use " + V1 + " or " + V1ALPHA2);
            } else if (!Set.of("ClusterIssuer", "Issuer", "Certificate").contains(p.kind)) {
                throw p.root.error("kind", "'" + p.kind + "' is not supported: the kinds read are ClusterIssuer, Issuer, "
                        + "Certificate (" + V1 + ", " + V1ALPHA2 + ") and Secret (v1)");
            }
        }
        for (Parsed p : documents) {
            if (p.kind.equals("Certificate")) {
                certificates.add(certificateReader.read(p));
            }
        }
        for (Parsed p : documents) {
            if (p.kind.equals("ClusterIssuer") || p.kind.equals("Issuer")) {
                IssuerReader.Read read = issuerReader.read(p, certificates);
                issuers.add(read.issuer());
                solvers.addAll(read.solvers());
                if (!read.solvers().isEmpty()) {
                    issuerSolvers.put(read.issuer(), List.copyOf(read.solvers()));
                }
            }
        }
    }

    // ---- metadata ----

    /** The {@code metadata} autocert4j reads; the rest is checked and ignored. */
    record Meta(String name, Optional<String> namespace, Map<String, String> labels) {
    }

    static Meta metadata(YamlObject root) {
        YamlObject m = root.object("metadata").orElseThrow(() -> root.error("metadata", "is required: give at least metadata.name"));
        if (!m.has("name") && m.has("generateName")) {
            throw m.error("generateName", "is not supported: every object needs a fixed name; set metadata.name");
        }
        String name = m.requiredString("name");
        Optional<String> namespace = m.string("namespace");
        Map<String, String> labels = m.stringMap("labels");
        m.stringMap("annotations"); // accepted, not used: see the README
        m.ignored(SERVER_SET_METADATA.toArray(String[]::new));
        m.ignored("generateName"); // beside a name, as the server keeps it for objects it named
        m.done();
        root.ignored("apiVersion", "kind", "metadata", "status");
        return new Meta(name, namespace, labels);
    }
}
