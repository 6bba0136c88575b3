package dev.autocert4j.testing.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReadmeRoleCheckTest {
    private static final String README = """
            # Example

            ```yaml
            apiVersion: apps/v1
            kind: Deployment
            ```

            ```yaml
            apiVersion: rbac.authorization.k8s.io/v1
            kind: Role
            metadata: {name: a, namespace: b}
            rules:
              - apiGroups: [""]
                resources: [secrets]      # comment [with brackets]
                verbs: [get, create, update]
              - apiGroups: [coordination.k8s.io]
                resources: [leases]
                verbs: [get, create, update, delete]
            ---
            kind: RoleBinding
            rules:
              - apiGroups: [""]
                resources: [pods]
                verbs: [get]
            ```
            """;

    @Test
    void readsTheRulesOfTheRoleOnly() {
        assertThat(ReadmeRoleCheck.roleRules(README)).isEqualTo(Map.of(
                "secrets", Set.of("get", "create", "update"),
                "coordination.k8s.io/leases", Set.of("get", "create", "update", "delete")));
    }

    @Test
    void reportsAVerbGrantedButUnusedAndAVerbUsedButNotGranted() {
        var granted = ReadmeRoleCheck.roleRules(README);
        var used = Map.of("secrets", Set.of("get", "create", "update", "list"),
                "coordination.k8s.io/leases", Set.of("get", "create", "update"));

        assertThat(ReadmeRoleCheck.compare(granted, used, Set.of("secrets", "coordination.k8s.io/leases")))
                .containsExactlyInAnyOrder(
                        "README Role lacks verb 'list' on secrets, which the code uses",
                        "README Role grants verb 'delete' on coordination.k8s.io/leases, which no test used");
        assertThat(ReadmeRoleCheck.compare(granted, Map.of("secrets", Set.of("get", "create", "update")), Set.of("secrets")))
                .isEmpty();
    }

    @Test
    void theBuildStepFailsOnADifferenceAndPassesOnAMatch() throws IOException {
        Path dir = Files.createTempDirectory("role-check");
        Path readme = Files.writeString(dir.resolve("README.md"), README);
        Path log = Files.writeString(dir.resolve("requests.txt"), "get secrets\ncreate secrets\nupdate secrets\nlist secrets\n");

        assertThatThrownBy(() -> ReadmeRoleCheck.main(new String[] {readme.toString(), "secrets", "", "", log.toString()}))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 difference");
        Files.writeString(log, "get secrets\ncreate secrets\nupdate secrets\n");
        ReadmeRoleCheck.main(new String[] {readme.toString(), "secrets", "", "", log.toString()});
        assertThatThrownBy(() -> ReadmeRoleCheck.main(new String[] {readme.toString(), "secrets", "", "",
                dir.resolve("missing.txt").toString()})).hasMessageContaining("no request log");
    }
}
