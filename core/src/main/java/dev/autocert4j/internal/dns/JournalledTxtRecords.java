package dev.autocert4j.internal.dns;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DeletableByContent;
import dev.autocert4j.solver.dns.DnsProvider;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a TXT record named by a journal entry of {@code Dns01Solver}: a record that existed before the challenge
 * ({@link DnsProvider#EXISTING_RECORD}) is left alone; an intent or a confirmed record is checked
 * against the solver's scope first (a forged entry is logged and dropped), then deleted by content when the
 * provider can, else by the provider's handle; an entry of an earlier version is the provider's handle alone and
 * goes to the provider, which checks it.
 */
public final class JournalledTxtRecords {
    private static final Logger LOG = LoggerFactory.getLogger("dev.autocert4j.solver.dns.Dns01Solver");

    private final DnsProvider provider;
    private final String solverId;
    private final boolean followsCnames;

    /**
     * @param provider the solver's provider
     * @param solverId the solver's id, for messages
     * @param followsCnames whether the solver follows CNAMEs (then a record may have any name)
     */
    public JournalledTxtRecords(DnsProvider provider, String solverId, boolean followsCnames) {
        this.provider = provider;
        this.solverId = solverId;
        this.followsCnames = followsCnames;
    }

    /**
     * @param handle a cleanup handle from the journal
     * @throws SolverException when the provider fails; the entry then stays for a later try
     */
    public void remove(String handle) throws SolverException {
        if (!TxtCleanupHandle.hasOurFormat(handle)) {
            provider.deleteTxtRecord(handle);
            return;
        }
        TxtCleanupHandle h;
        try {
            h = TxtCleanupHandle.parse(handle);
        } catch (IllegalArgumentException forged) {
            LOG.warn("Dropped the cleanup entry {} of {}: {}", handle, solverId, forged.getMessage());
            return;
        }
        Optional<String> outOfScope = h.scopeProblem(followsCnames);
        if (h.providerHandle().filter(DnsProvider.EXISTING_RECORD::equals).isPresent()) {
            LOG.debug("Left TXT {} alone: it existed before the challenge of {}", h.fqdn(), solverId);
        } else if (outOfScope.isPresent()) {
            LOG.warn("Dropped the cleanup entry {} of {}: {}", handle, solverId, outOfScope.get());
        } else if (provider instanceof DeletableByContent byContent) {
            byContent.deleteTxtRecords(h.zone(), h.fqdn(), h.value());
        } else if (h.providerHandle().isPresent()) {
            provider.deleteTxtRecord(h.providerHandle().get());
        } else {
            LOG.warn("{} cannot delete by content, so a TXT record at {} may be left behind", provider.id(), h.fqdn());
        }
    }
}
