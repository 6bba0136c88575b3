package dev.autocert4j.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ManagedFieldSet} reads fieldsV1 as structured-merge-diff's {@code Set.FromJSON} does: an empty object is a
 * member, {@code "."} makes an object with children a member too, an object with children only is not one, and
 * path elements other than {@code f:}, {@code k:}, {@code v:}, {@code i:} are refused.
 */
class ManagedFieldSetTest {
    @Test
    void anEmptyObjectOrADotIsAMemberAndChildrenAloneAreNot() throws IOException {
        ManagedFieldSet set = read("{'f:data': {'.': {}, 'f:tls.crt': {}}, 'f:metadata': {'f:labels': {'f:team': {}}}}");

        assertThat(set.has(List.of("f:data"))).isTrue();
        assertThat(set.has(List.of("f:data", "f:tls.crt"))).isTrue();
        assertThat(set.has(List.of("f:data", "f:tls.key"))).isFalse();
        assertThat(set.has(List.of("f:metadata"))).isFalse();
        assertThat(set.has(List.of("f:metadata", "f:labels"))).isFalse();
        assertThat(set.has(List.of("f:metadata", "f:labels", "f:team"))).isTrue();
        assertThat(set.has(List.of())).isFalse();
    }

    @Test
    void iteratesTheMembersBelowAPathAsDottedFieldNames() throws IOException {
        ManagedFieldSet set = read("{'f:metadata': {'f:annotations': {'.': {}, 'f:cert-manager.io/common-name': {}, 'f:a.b/c': {}}}}");
        List<String> keys = new ArrayList<>();

        set.descend("f:metadata").descend("f:annotations").iterateFieldPaths(keys::add);

        assertThat(keys).containsExactlyInAnyOrder("cert-manager.io/common-name", "a.b/c");
        assertThat(set.descend("f:spec").has(List.of("f:x"))).isFalse();
    }

    @Test
    void comparesListMapKeysByTheirFieldsNotTheirText() throws IOException {
        ManagedFieldSet set = read("{\"f:metadata\": {\"f:ownerReferences\": {\"k:{\\\"uid\\\":\\\"u-1\\\",\\\"name\\\":\\\"n\\\"}\": {}}}}");

        assertThat(set.has(List.of("f:metadata", "f:ownerReferences", ManagedFieldSet.key(Map.of("name", "n", "uid", "u-1"))))).isTrue();
        assertThat(set.has(List.of("f:metadata", "f:ownerReferences", ManagedFieldSet.key(Map.of("uid", "u-1"))))).isFalse();
    }

    @Test
    void refusesWhatFromJsonRefuses() {
        assertThatThrownBy(() -> read("{'x:data': {}}")).isInstanceOf(IOException.class).hasMessageContaining("x:data");
        assertThatThrownBy(() -> read("{'f:data': 1}")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("{'k:[1]': {}}")).isInstanceOf(IOException.class);
    }

    private static ManagedFieldSet read(String json) throws IOException {
        return ManagedFieldSet.fromJson(CertManagerOwnershipChecksTest.entry("m", json).getFieldsV1());
    }
}
