/** Runnable examples of autocert4j; not published. */
module dev.autocert4j.examples {
    requires dev.autocert4j;
    requires dev.autocert4j.testing;
    requires jdk.httpserver;
}
