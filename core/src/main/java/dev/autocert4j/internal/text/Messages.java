package dev.autocert4j.internal.text;

/** Text of exceptions for messages and logs: never the word "null" where an exception has no message. */
public final class Messages {
    private Messages() {
    }

    /**
     * @param e an exception
     * @return its message; its class's simple name when it has none (a {@code ConnectException}
     *     from the JDK HTTP client, a bare {@code NullPointerException}), with its cause's text when
     *     that has one
     */
    public static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String message = e.getMessage();
        if (message != null && !message.isBlank()) {
            return message;
        }
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            return e.getClass().getSimpleName() + " (" + describe(cause) + ")";
        }
        return e.getClass().getSimpleName();
    }
}
