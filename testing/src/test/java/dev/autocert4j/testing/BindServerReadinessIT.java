package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.testing.support.KnownSecrets;
import org.junit.jupiter.api.RepeatedTest;

/**
 * {@link BindServer#start} returns only once named serves its zones. named prints "running on Linux ..." before it
 * loads any zone and "running" after "all zones loaded"; a start that returned on the first line let the first
 * query of a test get SERVFAIL (Dns01ForeignRecordsIT failed so once).
 */
class BindServerReadinessIT {
    @RepeatedTest(3)
    void theZoneIsServedAsSoonAsStartReturns() throws Exception {
        try (BindServer bind = BindServer.builder().zone("ready.test", "probe IN TXT \"loaded\"").start()) {
            KnownSecrets.register(bind.tsigSecret());
            assertThat(DnsQuery.ask(bind.address(), "probe.ready.test", DnsQuery.TYPE_TXT)).containsExactly("loaded");
        }
    }
}
