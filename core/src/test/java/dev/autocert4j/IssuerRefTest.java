package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** An issuerRef keeps a manifest's spelling of kind and group, with cert-manager's defaults for what it leaves out. */
class IssuerRefTest {
    @Test
    void aKindlessGrouplessRefIsAnIssuerSpeltEmpty() {
        IssuerRef ref = IssuerRef.asWritten("ca", "", "");

        assertThat(ref.kind()).isEqualTo(IssuerKind.ISSUER);
        assertThat(ref.kindAsWritten()).isEmpty();
        assertThat(ref.groupAsWritten()).isEmpty();
    }

    @Test
    void refsBuiltInCodeAreSpeltInFull() {
        assertThat(IssuerRef.clusterIssuer("le")).isEqualTo(IssuerRef.asWritten("le", "ClusterIssuer", "cert-manager.io"));
        assertThat(IssuerRef.issuer("ca").kindAsWritten()).isEqualTo("Issuer");
    }

    @Test
    void anUnknownKindOrGroupOrAMisspeltKindIsRefusedSayingWhatToWrite() {
        assertThatThrownBy(() -> IssuerRef.asWritten("ca", "Issuers", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("write Issuer or ClusterIssuer");
        assertThatThrownBy(() -> IssuerRef.asWritten("ca", "Issuer", "awspca.cert-manager.io"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("write cert-manager.io or leave it out");
        assertThatThrownBy(() -> new IssuerRef("ca", IssuerKind.CLUSTER_ISSUER, "", "")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("write ClusterIssuer");
    }
}
