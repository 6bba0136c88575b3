package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.testing.internal.PebbleHttp01;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The order flow stops waiting for the learnt validation pace once Pebble has fetched the token
 * from our own responder after the trigger; Pebble's request log shows that this costs no extra
 * requests: the CSR still finds the order ready, with no orderNotReady and authorization poll.
 */
class ValidationSignalIT {
    private static List<String> requests(PebbleServer pebble) {
        Matcher m = Pattern.compile("(?m)^Pebble .* (GET|POST|HEAD) (\\S+) -> calling handler\\(\\)").matcher(pebble.log());
        List<String> requests = new ArrayList<>();
        while (m.find()) {
            requests.add(m.group(1) + " " + m.group(2));
        }
        return requests;
    }

    private static Certificate cert(String name) {
        return Certificate.builder(name).dnsNames(name + ".example.test").issuerRef(IssuerRef.clusterIssuer("pebble")).build();
    }

    @Test
    void ordersEndingTheirWaitAtTheCasFetchFinaliseOnceAndPollNoAuthorization() throws Exception {
        try (PebbleHttp01 peers = PebbleHttp01.start(PebbleServer.builder().vaNoSleep(true).authzReuse(0).nonceRejectPercent(0))) {
            PebbleServer pebble = peers.pebble();
            CertificateManager manager = peers.manager().build();
            for (int i = 0; i < 10; i++) { // the issuer learns Pebble's paces
                manager.obtain(cert("learn-" + i));
            }
            int before = requests(pebble).size();

            for (int i = 0; i < 20; i++) {
                manager.obtain(cert("signalled-" + i));
            }

            List<String> orders = requests(pebble).subList(before, requests(pebble).size());
            assertThat(orders.stream().filter(r -> r.startsWith("POST /finalize-order/")).count())
                    .as("finalisations of 20 orders: one each, and one more for each that came before Pebble had validated")
                    .isBetween(20L, 24L);
            assertThat(orders.stream().filter(r -> r.startsWith("POST /authZ/")).count())
                    .as("authorization requests: one read each to find the challenge, a poll only after an orderNotReady")
                    .isBetween(20L, 24L);
        }
    }
}
