package dev.autocert4j.solver.dns;

/** Whether the challenge record follows a CNAME at {@code _acme-challenge.<name>}, as cert-manager's {@code cnameStrategy}. */
public enum CnameStrategy {
    /** Create the record at {@code _acme-challenge.<name>} itself (cert-manager's {@code None}; the default). */
    NONE,
    /**
     * Follow a CNAME chain at {@code _acme-challenge.<name>} and create the record at its end, in
     * whatever zone that is (cert-manager's {@code Follow}): delegates validation to a zone the
     * provider can write to.
     */
    FOLLOW
}
