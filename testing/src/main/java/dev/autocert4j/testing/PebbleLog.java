package dev.autocert4j.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What Pebble's log says about its state: the counts it prints and the requests it answers. */
final class PebbleLog {

    private static final Pattern REQUESTS = Pattern.compile("(?m)^Pebble .* (GET|POST|HEAD) \\S+ -> calling handler\\(\\)");
    private static final Pattern ACCOUNTS = Pattern.compile("There are now (\\d+) accounts in memory");
    private static final Pattern ORDERS = Pattern.compile("There are now (\\d+) orders in the db");

    private PebbleLog() {
    }

    /** The latest account count Pebble printed, 0 before the first account. */
    static int accounts(String log) {
        return lastCount(log, ACCOUNTS);
    }

    /** The latest order count Pebble printed, 0 before the first order. */
    static int orders(String log) {
        return lastCount(log, ORDERS);
    }

    /** How many requests Pebble answered: it logs one line per request. */
    static int requests(String log) {
        Matcher m = REQUESTS.matcher(log);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** The last number {@code pattern} captured in {@code log}, 0 if none. */
    static int lastCount(String log, Pattern pattern) {
        Matcher matcher = pattern.matcher(log);
        int count = 0;
        while (matcher.find()) {
            count = Integer.parseInt(matcher.group(1));
        }
        return count;
    }
}
