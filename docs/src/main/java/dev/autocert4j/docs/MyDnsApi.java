package dev.autocert4j.docs;

import java.io.IOException;

/** The made-up DNS API client of the README's "your own DNS provider" example. */
interface MyDnsApi {
    String accountId();

    String createTxt(String zone, String fqdn, String value, long ttlSeconds) throws IOException;

    void deleteRecordIfPresent(String recordId) throws IOException;
}
