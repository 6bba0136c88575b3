package dev.autocert4j.manifests;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The {@code metadata.managedFields} a real API server would keep for a Secret, which the CRUD mock server does not
 * record. Stateless.
 *
 * <p>Rules, from Kubernetes' sources: a write that is not server-side apply (POST, PUT, a merge patch) is recorded
 * with {@code operation: Update}; its manager is the request's {@code fieldManager} parameter or else the part of
 * the {@code User-Agent} before the first {@code /} ({@code staging/src/k8s.io/apiserver/pkg/endpoints/handlers/create.go}
 * {@code managerOrUserAgent} / {@code prefixFromUserAgent}); on create it owns every field it set, less the
 * identity fields that {@code k8s.io/apimachinery/pkg/util/managedfields/internal/stripmeta.go} strips
 * ({@code apiVersion}, {@code kind}, {@code metadata.name}, {@code namespace}, {@code uid}, {@code resourceVersion},
 * {@code creationTimestamp}, ...); a PUT that sends back the managedFields it read keeps the other managers' entries
 * ({@code fieldmanager.go decodeLiveOrNew}: the request's managedFields are the base the server records the
 * writer's changes on). A server-side apply with
 * {@code force: true} ({@code ApplyOptions{FieldManager, Force: true}}) makes the applier owner of every field it
 * applied, with {@code operation: Apply}. A set member is written {@code "f:<name>": {}}, a map or list that is
 * itself owned gets {@code ".": {}}, and an {@code ownerReferences} item is keyed by its uid
 * ({@code k:{"uid":"..."}}).
 */
final class ApiServerManagedFields {
    private ApiServerManagedFields() {
    }

    /**
     * The Secret with one {@code Update} entry owning all its data keys, labels, annotations, owner references and
     * type: what the API server records when one client created and rewrote it with PUTs.
     *
     * @param secret a Secret as read from the mock API server
     * @param manager the writer's manager name
     * @return a copy with that managedFields entry added
     */
    static Secret withUpdateBy(Secret secret, String manager) {
        Map<String, String> labels = secret.getMetadata().getLabels();
        Map<String, String> annotations = secret.getMetadata().getAnnotations();
        return withEntry(secret, entry(manager, "Update", fields(keys(secret.getData()), keys(labels), keys(annotations),
                uids(secret.getMetadata().getOwnerReferences()), secret.getType() != null)));
    }

    /**
     * The Secret after cert-manager's issuing controller re-applied it ({@code ensureSecretData} →
     * {@code SecretsManager.UpdateData} and {@code setValues}, {@code pkg/controller/certificates/issuing/internal/secret.go}):
     * labels {@code controller.cert-manager.io/fao} and the template's; annotations the template's, those of
     * {@code AnnotationsForCertificate}, {@code certificate-name} and the issuer's three; data {@code tls.crt},
     * {@code tls.key}, {@code ca.crt} when present, the additional output formats and keystores; with the owner
     * reference when {@code --enable-certificate-owner-ref} is on. Values are unchanged (they are what the Secret holds
     * already), so only ownership changes, plus the owner reference.
     *
     * @param secret the Secret before
     * @param spec the Certificate
     * @param ownerRefEnabled cert-manager's {@code --enable-certificate-owner-ref}
     * @return the Secret after
     */
    static Secret afterCertManagerReapply(Secret secret, CertManagerSpec spec, boolean ownerRefEnabled) {
        List<String> labels = new ArrayList<>(spec.templateLabels().keySet());
        labels.add("controller.cert-manager.io/fao");
        List<String> annotations = new ArrayList<>(spec.templateAnnotations().keySet());
        try {
            annotations.addAll(CertManagerPolicies.annotationsForCertificate(CertManagerPolicies.decodeCertificate(
                    java.util.Base64.getDecoder().decode(secret.getData().get("tls.crt")))).keySet());
        } catch (java.io.IOException | java.security.cert.CertificateException e) {
            throw new IllegalStateException(e);
        }
        annotations.addAll(List.of("cert-manager.io/certificate-name", "cert-manager.io/issuer-name", "cert-manager.io/issuer-kind",
                "cert-manager.io/issuer-group"));
        List<String> data = new ArrayList<>(List.of("tls.crt", "tls.key"));
        for (String key : List.of("ca.crt", "keystore.p12", "truststore.p12", "keystore.jks", "truststore.jks")) {
            if (secret.getData().containsKey(key)) {
                data.add(key);
            }
        }
        if (spec.outputFormats().contains("CombinedPEM")) {
            data.add("tls-combined.pem");
        }
        if (spec.outputFormats().contains("DER")) {
            data.add("key.der");
        }
        List<OwnerReference> references = new ArrayList<>(secret.getMetadata().getOwnerReferences() == null ? List.of()
                : secret.getMetadata().getOwnerReferences());
        List<String> owned = List.of();
        if (ownerRefEnabled) {
            references.removeIf(r -> spec.uid().equals(r.getUid()));
            references.add(CertManagerOwnershipChecks.controllerRef(spec));
            owned = List.of(spec.uid());
        }
        Secret applied = withEntry(secret, entry(CertManagerOwnershipChecks.FIELD_MANAGER, "Apply", fields(data, labels, annotations, owned, true)));
        applied.getMetadata().setOwnerReferences(references);
        return applied;
    }

    private static Secret withEntry(Secret secret, ManagedFieldsEntry entry) {
        Secret copy = new SecretBuilder(secret).build();
        List<ManagedFieldsEntry> entries = new ArrayList<>(copy.getMetadata().getManagedFields() == null ? List.of()
                : copy.getMetadata().getManagedFields());
        entries.add(entry);
        copy.getMetadata().setManagedFields(entries);
        return copy;
    }

    private static ManagedFieldsEntry entry(String manager, String operation, FieldsV1 fields) {
        return new ManagedFieldsEntryBuilder().withManager(manager).withOperation(operation).withApiVersion("v1")
                .withFieldsType("FieldsV1").withFieldsV1(fields).build();
    }

    /** fieldsV1 JSON (as maps) owning the given data keys, labels, annotations, owner reference uids and type. */
    private static FieldsV1 fields(Collection<String> data, Collection<String> labels, Collection<String> annotations,
            Collection<String> ownerUids, boolean type) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        putOwned(metadata, "f:labels", labels, "f:");
        putOwned(metadata, "f:annotations", annotations, "f:");
        List<String> keys = ownerUids.stream().map(uid -> "{\"uid\":\"" + uid + "\"}").toList();
        putOwned(metadata, "f:ownerReferences", keys, "k:");
        FieldsV1 fields = new FieldsV1();
        putOwned(fields.getAdditionalProperties(), "f:data", data, "f:");
        if (!metadata.isEmpty()) {
            fields.getAdditionalProperties().put("f:metadata", metadata);
        }
        if (type) {
            fields.getAdditionalProperties().put("f:type", Map.of());
        }
        return fields;
    }

    private static void putOwned(Map<String, Object> into, String field, Collection<String> members, String prefix) {
        if (members.isEmpty()) {
            return;
        }
        Map<String, Object> set = new LinkedHashMap<>();
        set.put(".", Map.of());
        for (String member : new TreeSet<>(members)) {
            set.put(prefix + member, Map.of());
        }
        into.put(field, set);
    }

    private static List<String> keys(Map<String, String> map) {
        return map == null ? List.of() : List.copyOf(map.keySet());
    }

    private static List<String> uids(List<OwnerReference> references) {
        return references == null ? List.of() : references.stream().map(OwnerReference::getUid).toList();
    }
}
