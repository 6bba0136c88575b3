package dev.autocert4j.manifests;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.CertificateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * cert-manager manifests, read: the issuers, solvers and certificates of one or more multi-document
 * YAML files, ready for a {@link CertificateManager}.
 *
 * <pre>{@code
 * Manifests manifests = Manifests.load(Path.of("cert-manager.yaml"), ManifestOptions.builder()
 *         .secrets(KubernetesSecretResolver.of(client)).build()); // autocert4j-manifests-k8s
 * CertificateManager manager = manifests.applyTo(CertificateManager.builder())
 *         .store(KubernetesSecretStore.of(client)).build();
 * manifests.certificates().forEach(manager::manage);
 * }</pre>
 *
 * <p>Reads {@code ClusterIssuer}, {@code Issuer} and {@code Certificate} of
 * {@code cert-manager.io/v1} and {@code cert-manager.io/v1alpha2}, and {@code v1 Secret} documents,
 * whose keys secret references find before asking the {@link SecretResolver}. Anything else — an
 * unknown kind, a field autocert4j does not support, a value of the wrong type — is a
 * {@link ManifestException} naming the document and field; nothing is silently ignored except
 * {@code status}, {@code metadata.annotations} and the metadata fields the API server sets. The items
 * of a {@code v1 List} ({@code kubectl get -o yaml} of several objects) are read as documents.
 *
 * <p>As in cert-manager, each ACME issuer keeps its own solvers: {@link #applyTo} registers every
 * issuer with the solvers of its {@code spec.acme.solvers}, so a Certificate of a DNS-01 issuer is
 * never solved by another issuer's HTTP-01 solver, whatever the selectors.
 *
 * <p>Immutable and thread-safe.
 */
public final class Manifests {
    private final List<Issuer> issuers;
    private final List<SolverSet.Entry> solvers;
    private final Map<Issuer, List<SolverSet.Entry>> issuerSolvers;
    private final List<Certificate> certificates;
    private final Optional<CertificateStore> store;

    private Manifests(ManifestReader reader, ManifestOptions options) {
        this.store = options.store();
        this.issuers = List.copyOf(reader.issuers);
        this.solvers = List.copyOf(reader.solvers);
        this.issuerSolvers = reader.issuerSolvers;
        this.certificates = List.copyOf(reader.certificates);
    }

    /**
     * Reads one file with the default options: secrets from environment variables.
     *
     * @param file a YAML file of one or more documents
     * @return what the file configures
     * @throws IOException when the file cannot be read
     * @throws ManifestException when a document cannot be used as written
     */
    public static Manifests load(Path file) throws IOException {
        return load(List.of(file), ManifestOptions.defaults());
    }

    /**
     * @param file a YAML file of one or more documents
     * @param options where secrets come from, overrides
     * @return what the file configures
     * @throws IOException when the file cannot be read
     * @throws ManifestException when a document cannot be used as written
     */
    public static Manifests load(Path file, ManifestOptions options) throws IOException {
        return load(List.of(file), options);
    }

    /**
     * Reads several files as one set: issuers must be unique across them, and secret references find
     * Secret documents of every file.
     *
     * @param files YAML files of one or more documents each
     * @param options where secrets come from, overrides
     * @return what the files configure
     * @throws IOException when a file cannot be read
     * @throws ManifestException when a document cannot be used as written
     */
    public static Manifests load(List<Path> files, ManifestOptions options) throws IOException {
        requireNonNull(files, "files");
        requireNonNull(options, "options");
        ManifestReader reader = new ManifestReader(options);
        for (Path file : files) {
            long bytes = Files.size(requireNonNull(file, "file"));
            if (bytes > 4L * ManifestReader.MAX_CHARACTERS) { // UTF-8: at most 4 bytes per character
                throw ManifestReader.tooLarge(file.toString(), bytes + " bytes");
            }
            reader.add(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        }
        reader.build();
        return new Manifests(reader, options);
    }

    /**
     * Reads manifests given as text.
     *
     * @param yaml one or more YAML documents
     * @param sourceName how errors name the text, e.g. a file name
     * @param options where secrets come from, overrides
     * @return what the text configures
     * @throws ManifestException when a document cannot be used as written
     */
    public static Manifests parse(String yaml, String sourceName, ManifestOptions options) {
        requireNonNull(yaml, "yaml");
        requireNonNull(sourceName, "sourceName");
        requireNonNull(options, "options");
        ManifestReader reader = new ManifestReader(options);
        reader.add(yaml, sourceName);
        reader.build();
        return new Manifests(reader, options);
    }

    /** @return the issuers of the ClusterIssuer and Issuer documents, in document order */
    public List<Issuer> issuers() {
        return issuers;
    }

    /** @return the solvers of every ACME issuer, each with its selector, in document order */
    public List<SolverSet.Entry> solvers() {
        return solvers;
    }

    /**
     * @param issuer one of {@link #issuers()}
     * @return that issuer's own solvers ({@code spec.acme.solvers}), empty for issuers without any
     */
    public List<SolverSet.Entry> solvers(Issuer issuer) {
        return issuerSolvers.getOrDefault(requireNonNull(issuer, "issuer"), List.of());
    }

    /** @return the certificates of the Certificate documents, in document order */
    public List<Certificate> certificates() {
        return certificates;
    }

    /**
     * @param namespace the Certificate's namespace ({@code default} when the manifest gives none)
     * @param name the Certificate's name
     * @return the certificate, if the manifests define it
     */
    public Optional<Certificate> certificate(String namespace, String name) {
        return certificates.stream().filter(c -> c.namespace().equals(namespace) && c.name().equals(name)).findFirst();
    }

    /**
     * Registers every issuer, each ACME issuer with its own solvers, with a manager's builder, and the
     * {@linkplain ManifestOptions.Builder#store options' store} when set. Lock provider and the rest are the caller's;
     * certificates are passed to {@link CertificateManager#manage} or {@link CertificateManager#obtain} after the
     * manager is built.
     *
     * @param builder the builder
     * @return the same builder
     */
    public CertificateManager.Builder applyTo(CertificateManager.Builder builder) {
        requireNonNull(builder, "builder");
        store.ifPresent(builder::store);
        for (Issuer issuer : issuers) {
            List<SolverSet.Entry> own = issuerSolvers.get(issuer);
            if (own == null) {
                builder.issuer(issuer);
            } else {
                builder.issuer(issuer, own); // each ACME issuer solves with its own solvers, as in cert-manager
            }
        }
        return builder;
    }

    @Override
    public String toString() {
        return "Manifests[issuers=" + issuers.stream().map(Issuer::name).toList() + ", solvers=" + solvers.size()
                + ", certificates=" + certificates.stream().map(Certificate::id).toList() + "]";
    }
}
