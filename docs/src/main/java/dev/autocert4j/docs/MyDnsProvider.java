package dev.autocert4j.docs;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.TxtRecord;
import java.io.IOException;

// tag::own-dns-provider[]
public final class MyDnsProvider implements DnsProvider {
    private final MyDnsApi api;                          // your client; thread-safe

    public MyDnsProvider(MyDnsApi api) { this.api = api; }

    @Override public String id() { return "mydns/" + api.accountId(); }   // same in every process

    @Override public String createTxtRecord(TxtRecord r) throws SolverException {
        try {
            return api.createTxt(r.zone(), r.fqdn(), r.value(), r.ttl().toSeconds()); // the record id
        } catch (IOException e) {
            throw new SolverException("mydns: cannot create " + r.fqdn() + ": " + e.getMessage(), true, e);
        }
    }

    @Override public void deleteTxtRecord(String recordId) throws SolverException {
        try {
            api.deleteRecordIfPresent(recordId);
        } catch (IOException e) {
            throw new SolverException("mydns: cannot delete " + recordId + ": " + e.getMessage(), true, e);
        }
    }
}
// end::own-dns-provider[]
