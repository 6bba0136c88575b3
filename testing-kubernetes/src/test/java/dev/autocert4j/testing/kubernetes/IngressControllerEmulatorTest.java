package dev.autocert4j.testing.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Routing of the ingress-controller emulator: class, host, path type and backend mapping. */
class IngressControllerEmulatorTest {
    private KubernetesMockApi api;
    private IngressControllerEmulator emulator;
    private HttpServer app;
    private HttpServer other;

    @BeforeEach
    void start() throws Exception {
        api = new KubernetesMockApi();
        app = backend("app");
        other = backend("other");
        emulator = new IngressControllerEmulator(api.client(), "nginx", 0)
                .backend("default", "app", 8080, app.getAddress().getPort())
                .backend("default", "other", 80, other.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        emulator.close();
        app.stop(0);
        other.stop(0);
        api.close();
    }

    /** A backend that answers with its name and the path it got. */
    private static HttpServer backend(String name) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = (name + " " + exchange.getRequestURI().getPath()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    private void ingress(String name, String className, boolean annotation, String host, String path, String pathType,
            String service, int port) {
        IngressBuilder b = new IngressBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata();
        if (annotation) {
            b.editMetadata().addToAnnotations(IngressControllerEmulator.CLASS_ANNOTATION, className).endMetadata();
        }
        Ingress ingress = b.withNewSpec().withIngressClassName(annotation ? null : className)
                .addNewRule().withHost(host).withNewHttp().addNewPath().withPath(path).withPathType(pathType)
                .withNewBackend().withNewService().withName(service).withNewPort().withNumber(port).endPort().endService()
                .endBackend().endPath().endHttp().endRule().endSpec().build();
        api.client().network().v1().ingresses().inNamespace("default").resource(ingress).create();
    }

    /** @return status line and body of a GET with this Host header */
    private String get(String host, String path) throws Exception {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), emulator.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String status = response.substring(0, response.indexOf("\r\n"));
            return status.substring(status.indexOf(' ') + 1, status.indexOf(' ') + 4) + " "
                    + response.substring(response.indexOf("\r\n\r\n") + 4);
        }
    }

    @Test
    void routesByHostAndLongestPathAndExactBeforePrefix() throws Exception {
        ingress("site", "nginx", false, "www.example.test", "/", "Prefix", "other", 80);
        ingress("challenge", "nginx", false, "www.example.test", "/.well-known/acme-challenge/tok", "Exact", "app", 8080);

        assertThat(get("www.example.test", "/.well-known/acme-challenge/tok")).isEqualTo("200 app /.well-known/acme-challenge/tok");
        assertThat(get("www.example.test:80", "/index.html")).isEqualTo("200 other /index.html");
        assertThat(get("www.example.test", "/.well-known/acme-challenge/tok2")).as("Exact does not match a longer path")
                .isEqualTo("200 other /.well-known/acme-challenge/tok2");
        assertThat(get("api.example.test", "/")).startsWith("404 ");
    }

    @Test
    void prefixMatchesWholePathElementsAndWildcardHostsOneLabel() throws Exception {
        ingress("docs", "nginx", false, "*.example.test", "/docs", "Prefix", "app", 8080);

        assertThat(get("a.example.test", "/docs/x")).isEqualTo("200 app /docs/x");
        assertThat(get("a.example.test", "/docs")).isEqualTo("200 app /docs");
        assertThat(get("a.example.test", "/docsx")).startsWith("404 ");
        assertThat(get("a.b.example.test", "/docs")).startsWith("404 ");
    }

    @Test
    void servesOnlyItsOwnClassByFieldOrAnnotation() throws Exception {
        ingress("traefik-one", "traefik", false, "t.example.test", "/", "Prefix", "app", 8080);
        ingress("annotated", "nginx", true, "n.example.test", "/", "Prefix", "app", 8080);

        assertThat(get("t.example.test", "/")).startsWith("404 ");
        assertThat(get("n.example.test", "/")).isEqualTo("200 app /");
        assertThat(emulator.routed()).contains("t.example.test / -> 404", "n.example.test / -> default/annotated");
    }

    @Test
    void anUnmappedServiceAnswers503() throws Exception {
        ingress("nowhere", "nginx", false, "x.example.test", "/", "Prefix", "missing", 80);

        assertThat(get("x.example.test", "/")).startsWith("503 ").contains("default/missing:80");
    }

    @Test
    void withAnInformerLagAChangeIsRoutedOnlyAfterTheLag() throws Exception {
        java.time.Duration lag = java.time.Duration.ofMillis(1500);
        emulator.informerLag(lag);
        long created = System.nanoTime();
        ingress("late", "nginx", false, "l.example.test", "/", "Prefix", "app", 8080);

        assertThat(get("l.example.test", "/")).as("not routed yet").startsWith("404 ");
        String answer = get("l.example.test", "/");
        while (answer.startsWith("404 ") && System.nanoTime() - created < lag.multipliedBy(10).toNanos()) {
            Thread.sleep(50);
            answer = get("l.example.test", "/");
        }
        assertThat(answer).isEqualTo("200 app /");
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - created)).as("routed no earlier than the lag").isGreaterThanOrEqualTo(lag);

        api.client().network().v1().ingresses().inNamespace("default").withName("late").delete();
        assertThat(get("l.example.test", "/")).as("still routed right after the delete").isEqualTo("200 app /");
    }

    @Test
    void inRedirectModeEveryRequestIsAnsweredWith308ToHttpsOrAllButAcmeChallenges() throws Exception {
        ingress("site", "nginx", false, "www.example.test", "/", "Prefix", "app", 8080);
        emulator.redirectToHttps(false);

        String redirected = rawGet("www.example.test", "/.well-known/acme-challenge/tok?x=1");
        assertThat(redirected).startsWith("HTTP/1.1 308").containsIgnoringCase("Location: https://www.example.test/.well-known/acme-challenge/tok?x=1");

        emulator.redirectToHttps(true);
        assertThat(get("www.example.test", "/.well-known/acme-challenge/tok")).isEqualTo("200 app /.well-known/acme-challenge/tok");
        assertThat(get("www.example.test", "/index.html")).startsWith("308 ");
    }

    private String rawGet(String host, String path) throws Exception {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), emulator.port())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
