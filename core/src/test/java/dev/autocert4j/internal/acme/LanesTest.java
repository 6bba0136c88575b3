package dev.autocert4j.internal.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanesTest {
    private final List<Integer> opened = new ArrayList<>();
    private final Lanes<String> lanes = new Lanes<>(3, i -> {
        opened.add(i);
        return "lane-" + i;
    });

    @Test
    void callersOneAfterAnotherAllGetTheFirstLaneAndNoOtherOpens() {
        for (int i = 0; i < 5; i++) {
            try (Lanes<String>.Lease lease = lanes.lease()) {
                assertThat(lease.lane()).isEqualTo("lane-0");
            }
        }

        assertThat(opened).containsExactly(0);
    }

    @Test
    void concurrentCallersGetANewLaneWhileAllOpenOnesAreInUseUpToTheLimit() {
        Lanes<String>.Lease first = lanes.lease();
        Lanes<String>.Lease second = lanes.lease();
        Lanes<String>.Lease third = lanes.lease();
        Lanes<String>.Lease fourth = lanes.lease();

        assertThat(List.of(first.lane(), second.lane(), third.lane())).containsExactly("lane-0", "lane-1", "lane-2");
        assertThat(fourth.lane()).as("the limit reached: shares the least busy lane").isEqualTo("lane-0");
        assertThat(lanes.size()).isEqualTo(3);
    }

    @Test
    void aLaneHandedBackIsReusedBeforeTheLeastBusyIsShared() {
        Lanes<String>.Lease first = lanes.lease();
        Lanes<String>.Lease second = lanes.lease();
        second.close();
        second.close(); // a second close changes nothing

        try (Lanes<String>.Lease next = lanes.lease()) {
            assertThat(next.lane()).isEqualTo("lane-1");
        }
        assertThat(first.lane()).isEqualTo("lane-0");
        assertThat(opened).containsExactly(0, 1);
    }

    @Test
    void refusesALimitBelowOne() {
        assertThatThrownBy(() -> new Lanes<String>(0, i -> "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1");
    }
}
