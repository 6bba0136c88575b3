package dev.autocert4j.internal.http;

import static java.util.Objects.requireNonNull;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads one HTTP/1.x request head strictly and chooses the answer. Nothing here costs more than
 * one pass over the head and one map lookup: a hostile client gets no more work out of the
 * responder than the CA does.
 */
final class ChallengeAnswers {
    /** The only path prefix answered with anything but {@code 404}. */
    static final String PATH_PREFIX = "/.well-known/acme-challenge/";

    private static final ByteBuffer BAD_REQUEST = fixed("400 Bad Request", "");
    private static final ByteBuffer NOT_FOUND = fixed("404 Not Found", "");
    private static final ByteBuffer METHOD_NOT_ALLOWED = fixed("405 Method Not Allowed", "Allow: GET, HEAD\r\n");
    private static final ByteBuffer TOO_LARGE = fixed("431 Request Header Fields Too Large", "");
    private static final int MAX_METHOD_LENGTH = 16;

    private final Function<String, Optional<String>> keyAuthorizations;

    /** @param keyAuthorizations the key authorization for a request path, or empty for a 404 */
    ChallengeAnswers(Function<String, Optional<String>> keyAuthorizations) {
        this.keyAuthorizations = requireNonNull(keyAuthorizations, "keyAuthorizations");
    }

    private static ByteBuffer fixed(String status, String extraHeaders) {
        String answer = "HTTP/1.1 " + status + "\r\n" + extraHeaders + "Content-Length: 0\r\nConnection: close\r\n\r\n";
        return ByteBuffer.wrap(answer.getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer();
    }

    /** @return the answer to a head longer than the limit */
    static ByteBuffer tooLarge() {
        return TOO_LARGE.duplicate();
    }

    /**
     * @param bytes the bytes received so far
     * @param from where to start looking (bytes before it were looked at already, but for the last three)
     * @param length how many bytes were received
     * @return the length of the head including the blank line that ends it, or -1 when it has not
     *     ended yet; a line ends with LF, optionally preceded by CR
     */
    static int endOfHead(byte[] bytes, int from, int length) {
        for (int i = Math.max(from, 1); i < length; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            if (bytes[i - 1] == '\n') {
                return i + 1;
            }
            if (bytes[i - 1] == '\r' && i >= 2 && bytes[i - 2] == '\n') {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * @param head a complete request head, ending with its blank line
     * @param length the head's length
     * @return the whole response to send before closing the connection
     */
    ByteBuffer answer(byte[] head, int length) {
        int lineEnd = indexOf(head, (byte) '\n', 0, length);
        int stop = lineEnd > 0 && head[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
        String[] requestLine = requestLine(head, stop);
        if (requestLine == null) {
            return BAD_REQUEST.duplicate();
        }
        for (int pos = lineEnd + 1; pos < length;) {
            int end = indexOf(head, (byte) '\n', pos, length);
            int last = end > pos && head[end - 1] == '\r' ? end - 1 : end;
            if (last == pos) {
                break; // the blank line
            }
            if (!isHeaderField(head, pos, last)) {
                return BAD_REQUEST.duplicate();
            }
            pos = end + 1;
        }
        String path = path(requestLine[1]);
        if (path == null) {
            return BAD_REQUEST.duplicate();
        }
        if (!path.startsWith(PATH_PREFIX)) {
            return NOT_FOUND.duplicate();
        }
        String method = requestLine[0];
        boolean headOnly = method.equals("HEAD");
        if (!headOnly && !method.equals("GET")) {
            return METHOD_NOT_ALLOWED.duplicate();
        }
        Optional<String> keyAuthorization = keyAuthorizations.apply(path);
        if (keyAuthorization.isEmpty()) {
            return NOT_FOUND.duplicate();
        }
        byte[] body = keyAuthorization.get().getBytes(StandardCharsets.US_ASCII);
        byte[] headers = ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer answer = ByteBuffer.allocate(headers.length + (headOnly ? 0 : body.length));
        answer.put(headers);
        if (!headOnly) {
            answer.put(body);
        }
        return answer.flip();
    }

    /** @return method, target and version, or null unless the line is {@code token SP target SP HTTP/1.x} */
    private static String[] requestLine(byte[] head, int stop) {
        for (int i = 0; i < stop; i++) {
            byte b = head[i];
            if (b != ' ' && (b < 0x21 || b > 0x7e)) {
                return null;
            }
        }
        String[] parts = new String(head, 0, stop, StandardCharsets.US_ASCII).split(" ", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[0].length() > MAX_METHOD_LENGTH || parts[1].isEmpty()) {
            return null;
        }
        for (int i = 0; i < parts[0].length(); i++) {
            if (!isTokenChar(parts[0].charAt(i))) {
                return null;
            }
        }
        return parts[2].equals("HTTP/1.1") || parts[2].equals("HTTP/1.0") ? parts : null;
    }

    /** @return the path of an origin-form or {@code http://} absolute-form target, without query; null otherwise */
    private static String path(String target) {
        String path;
        if (target.startsWith("/")) {
            path = target;
        } else if (target.regionMatches(true, 0, "http://", 0, 7)) {
            int slash = target.indexOf('/', 7);
            path = slash < 0 ? "/" : target.substring(slash);
        } else {
            return null;
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** {@code token ":" OWS value OWS}: no folding, no control characters. */
    private static boolean isHeaderField(byte[] head, int from, int to) {
        int colon = indexOf(head, (byte) ':', from, to);
        if (colon <= from || colon == to) {
            return false;
        }
        for (int i = from; i < colon; i++) {
            if (!isTokenChar((char) head[i])) {
                return false;
            }
        }
        for (int i = colon + 1; i < to; i++) {
            int b = head[i] & 0xff;
            if (b != '\t' && (b < 0x20 || b == 0x7f)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTokenChar(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /** @return the index of {@code b} in {@code [from, to)}, or {@code to} when absent */
    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return to;
    }
}
