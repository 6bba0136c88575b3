package dev.autocert4j.testing;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import dev.autocert4j.testing.internal.HttpCalls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The management API of pebble-challtestsrv: the records its mock DNS server answers with. */
final class ChallTestSrvControl {

    private static final Logger LOG = LoggerFactory.getLogger(ChallTestSrvControl.class);
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

    private final int managementPort;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(HttpCalls.TIMEOUT).build();

    ChallTestSrvControl(int managementPort) {
        this.managementPort = managementPort;
    }

    void addARecord(String host, String ipv4) {
        String fqdn = fqdn(host);
        String address = ipv4(ipv4, "ipv4");
        post("add-a", "{\"host\":" + PebbleConfig.quote(fqdn) + ",\"addresses\":[" + PebbleConfig.quote(address) + "]}");
    }

    void clearARecord(String host) {
        post("clear-a", "{\"host\":" + PebbleConfig.quote(fqdn(host)) + "}");
    }

    void setDefaultIPv4(String ipv4) {
        post("set-default-ipv4", "{\"ip\":" + PebbleConfig.quote(ipv4(ipv4, "ipv4")) + "}");
    }

    void addTxtRecord(String host, String value) {
        requireNonNull(value, "value");
        post("set-txt", "{\"host\":" + PebbleConfig.quote(fqdn(host)) + ",\"value\":" + PebbleConfig.quote(value) + "}");
    }

    void clearTxtRecord(String host) {
        post("clear-txt", "{\"host\":" + PebbleConfig.quote(fqdn(host)) + "}");
    }

    private void post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/" + path))
                .timeout(HttpCalls.TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, UTF_8))
                .build();
        HttpResponse<String> response = HttpCalls.send(client, request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("pebble-challtestsrv answered " + response.statusCode()
                    + " to POST /" + path + " " + json + ": " + response.body());
        }
        LOG.debug("pebble-challtestsrv: POST /{} {}", path, json);
    }

    /** {@code host} in lower case with exactly one trailing dot, as challtestsrv expects. */
    static String fqdn(String host) {
        requireNonNull(host, "host");
        String name = host.strip().toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || name.startsWith(".") || name.contains("..") || !name.matches("[a-z0-9_*.-]+")) {
            throw new IllegalArgumentException("not a DNS host name: '" + host + "'");
        }
        return name + ".";
    }

    private static String ipv4(String address, String name) {
        requireNonNull(address, name);
        if (!IPV4.matcher(address).matches()) {
            throw new IllegalArgumentException(name + " must be an IPv4 address literal, was '" + address + "'");
        }
        return address;
    }
}
