package dev.autocert4j;

import static java.util.Objects.requireNonNull;

/**
 * Which issuer signs a certificate: cert-manager's {@code issuerRef}.
 *
 * @param name the issuer's name, as given to its builder
 * @param kind {@link IssuerKind#ISSUER} (same namespace as the certificate) or
 *     {@link IssuerKind#CLUSTER_ISSUER}
 * @param kindAsWritten the kind as a manifest spells it: the {@code kind}'s manifest name, or {@code ""} for an
 *     {@code issuerRef} without {@code kind} (an Issuer); what a Kubernetes Secret's
 *     {@code cert-manager.io/issuer-kind} annotation then says, as cert-manager writes it
 * @param groupAsWritten the group as a manifest spells it: {@value #GROUP}, or {@code ""} for an
 *     {@code issuerRef} without {@code group}; what {@code cert-manager.io/issuer-group} then says
 */
public record IssuerRef(String name, IssuerKind kind, String kindAsWritten, String groupAsWritten) {
    /** The API group of cert-manager's own issuers, the only one autocert4j serves. */
    public static final String GROUP = "cert-manager.io";

    /**
     * Validates and copies the components.
     *
     * @param name see the record description
     * @param kind see the record description
     * @param kindAsWritten see the record description
     * @param groupAsWritten see the record description
     */
    public IssuerRef {
        requireNonNull(name, "name");
        requireNonNull(kind, "kind");
        requireNonNull(kindAsWritten, "kindAsWritten");
        requireNonNull(groupAsWritten, "groupAsWritten");
        if (name.isBlank()) {
            throw new IllegalArgumentException("issuerRef.name must not be blank: name the issuer that signs this certificate");
        }
        if (!kindAsWritten.equals(kind.manifestName()) && !(kindAsWritten.isEmpty() && kind == IssuerKind.ISSUER)) {
            throw new IllegalArgumentException("issuerRef.kind '" + kindAsWritten + "' does not spell " + kind.manifestName()
                    + ": write " + kind.manifestName() + (kind == IssuerKind.ISSUER ? " or leave it out" : ""));
        }
        if (!groupAsWritten.isEmpty() && !groupAsWritten.equals(GROUP)) {
            throw new IllegalArgumentException("issuerRef.group '" + groupAsWritten + "' is not supported: write " + GROUP
                    + " or leave it out");
        }
    }

    /**
     * A reference spelled in full: kind as its manifest name, group {@value #GROUP}.
     *
     * @param name see the record description
     * @param kind see the record description
     */
    public IssuerRef(String name, IssuerKind kind) {
        this(name, kind, requireNonNull(kind, "kind").manifestName(), GROUP);
    }

    /**
     * @param name the cluster issuer's name
     * @return a reference to a cluster-wide issuer
     */
    public static IssuerRef clusterIssuer(String name) {
        return new IssuerRef(name, IssuerKind.CLUSTER_ISSUER);
    }

    /**
     * @param name the issuer's name
     * @return a reference to an issuer in the certificate's own namespace
     */
    public static IssuerRef issuer(String name) {
        return new IssuerRef(name, IssuerKind.ISSUER);
    }

    /**
     * A reference as a cert-manager manifest spells it, with cert-manager's defaults for what it leaves out
     * (an empty kind is an Issuer, an empty group {@value #GROUP}); the spelling is kept for the Secret's
     * issuer annotations.
     *
     * @param name the issuer's name
     * @param kind {@code Issuer}, {@code ClusterIssuer}, or {@code ""} when the manifest gives none
     * @param group {@value #GROUP}, or {@code ""} when the manifest gives none
     * @return the reference
     * @throws IllegalArgumentException for another kind or group, saying what to write
     */
    public static IssuerRef asWritten(String name, String kind, String group) {
        requireNonNull(kind, "kind");
        IssuerKind parsed = switch (kind) {
            case "", "Issuer" -> IssuerKind.ISSUER;
            case "ClusterIssuer" -> IssuerKind.CLUSTER_ISSUER;
            default -> throw new IllegalArgumentException("issuerRef.kind '" + kind + "' is not an issuer kind: write Issuer "
                    + "or ClusterIssuer");
        };
        return new IssuerRef(name, parsed, kind, group);
    }
}
