package dev.autocert4j.examples.dns;

import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.TxtRecord;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A custom DNS provider in a few lines: runs a script of yours, as lego's {@code exec} provider
 * does, {@code <command> present <fqdn> <value> <ttl seconds>} to create the record and
 * {@code <command> cleanup <fqdn> <value>} to delete it (exit code 0 on success; a script
 * MUST treat a record that is gone already as success). Registered in
 * {@code META-INF/services} and {@code module-info.java} as {@code exec}:
 * {@code DnsProviders.byName("exec", Map.of("command", "/usr/local/bin/dns-hook"))}.
 * Thread-safe.
 */
public final class ExecDnsProvider implements DnsProvider {
    private final String command;

    /** @param command the script to run */
    public ExecDnsProvider(String command) {
        this.command = command;
    }

    @Override
    public String id() {
        return "exec/" + command;
    }

    @Override
    public String createTxtRecord(TxtRecord record) throws SolverException {
        run("present", record.fqdn(), record.value(), Long.toString(record.ttl().toSeconds()));
        return record.fqdn() + " " + record.value(); // all the script needs to delete exactly this record
    }

    @Override
    public void deleteTxtRecord(String handle) throws SolverException {
        String[] fqdnAndValue = handle.split(" ", 2);
        run("cleanup", fqdnAndValue[0], fqdnAndValue[1]);
    }

    private void run(String... args) throws SolverException {
        try {
            List<String> commandLine = new java.util.ArrayList<>(List.of(command));
            commandLine.addAll(List.of(args));
            Process p = new ProcessBuilder(commandLine).inheritIO().start();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new SolverException(command + " " + args[0] + " " + args[1] + " failed", true, null);
            }
        } catch (IOException e) {
            throw new SolverException("Cannot run " + command + ": " + e.getMessage(), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SolverException("Interrupted while running " + command, true, e);
        }
    }

    /** The factory ServiceLoader finds: name {@code exec}, setting {@code command}. */
    public static final class Factory implements DnsProvider.Factory {
        /** For ServiceLoader. */
        public Factory() {
        }

        @Override
        public String name() {
            return "exec";
        }

        @Override
        public DnsProvider create(Map<String, String> config) {
            String command = config.get("command");
            if (command == null || command.isBlank()) {
                throw new IllegalArgumentException("exec: the setting 'command' (path of your DNS hook script) is missing");
            }
            return new ExecDnsProvider(command);
        }
    }
}
