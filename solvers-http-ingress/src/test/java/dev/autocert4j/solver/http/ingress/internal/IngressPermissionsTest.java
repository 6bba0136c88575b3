package dev.autocert4j.solver.http.ingress.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.PreflightException;
import dev.autocert4j.testing.kubernetes.KubernetesMockApi;
import dev.autocert4j.testing.support.MovableClock;
import dev.autocert4j.testing.support.ReadmeFigures;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Ingress permission check asks the API server once per verb, then trusts an allowed namespace for ten minutes;
 * a denial is asked again on the next order, so that fixing the Role takes effect at once.
 */
class IngressPermissionsTest {
    private final KubernetesMockApi api = new KubernetesMockApi();
    private final MovableClock clock = new MovableClock();
    private final IngressPermissions permissions = new IngressPermissions(api.client(), clock);

    @AfterEach
    void stop() {
        api.close();
    }

    private static Role ingressRole(String name, List<String> verbs) {
        return new RoleBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .addNewRule().withApiGroups("networking.k8s.io").withResources("ingresses").withVerbs(verbs).endRule()
                .build();
    }

    private long reviews() {
        return api.requests().stream().filter(r -> r.resource().equals("selfsubjectaccessreviews")).count();
    }

    @Test
    void anAllowedNamespaceIsAskedOnceInTenMinutesAndAgainAfter() throws Exception {
        api.bindRole(ingressRole("autocert4j", IngressPermissions.VERBS));

        permissions.require("default");
        clock.advance(IngressPermissions.REMEMBERED.minusSeconds(1));
        permissions.require("default");
        assertThat(reviews()).as("one review per verb, once").isEqualTo(6);

        clock.advance(Duration.ofSeconds(1));
        permissions.require("default");
        assertThat(reviews()).as("asked again once the answer is ten minutes old").isEqualTo(12);
    }

    @Test
    void theReadmeStatesHowLongAnAllowedNamespaceIsTrusted() {
        String minutes = ReadmeFigures.figure("an allowed namespace is not asked again for (\\d+) minutes");

        assertThat(IngressPermissions.REMEMBERED).isEqualTo(Duration.ofMinutes(Long.parseLong(minutes)));
    }

    @Test
    void aDenialIsNotRememberedSoTheFixedRoleCountsAtOnce() {
        api.bindRole(ingressRole("narrow", List.of("get", "list", "watch", "create")));

        assertThatThrownBy(() -> permissions.require("default")).isInstanceOf(PreflightException.class)
                .hasMessageContaining("may not update, delete ingresses");
        assertThatThrownBy(() -> permissions.require("default")).as("asked again, denied again")
                .isInstanceOf(PreflightException.class);
        assertThat(reviews()).isEqualTo(12);

        api.bindRole(ingressRole("fixed", List.of("update", "delete")));
        assertThatCode(() -> permissions.require("default")).doesNotThrowAnyException();
    }

    @Test
    void eachNamespaceIsAskedForItself() throws Exception {
        api.bindRole(ingressRole("autocert4j", IngressPermissions.VERBS));
        permissions.require("default");

        assertThatThrownBy(() -> permissions.require("shop")).isInstanceOf(PreflightException.class)
                .hasMessageContaining("in namespace shop");
    }

    @Test
    void aClusterThatRefusesTheReviewsIsNotAskedAgainWithinTenMinutes() throws Exception {
        // no Role bound: the mock API refuses the review itself with 403, and the check is skipped
        permissions.require("default");
        permissions.require("default");

        assertThat(reviews()).isEqualTo(1);
    }
}
