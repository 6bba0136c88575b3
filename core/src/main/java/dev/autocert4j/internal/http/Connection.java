package dev.autocert4j.internal.http;

import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/** One client connection of the responder: the head received so far, then the answer being sent. Not thread-safe. */
final class Connection {
    private static final int INITIAL_CAPACITY = 512;

    final SocketChannel channel;
    final SelectionKey key;
    /** {@link System#nanoTime()} after which the connection is closed, whatever its state. */
    final long deadline;
    private byte[] head = new byte[INITIAL_CAPACITY];
    private int length;
    private int scanned;
    /** The answer, once the head is complete (or too long); the rest is still to be written. */
    ByteBuffer answer;
    /** The answer was sent and output shut down; input is discarded until the client closes. */
    boolean draining;

    Connection(SocketChannel channel, SelectionKey key, long deadline) {
        this.channel = channel;
        this.key = key;
        this.deadline = deadline;
    }

    /** @return how many head bytes were received */
    int length() {
        return length;
    }

    /** @return the received head bytes; valid up to {@link #length()} */
    byte[] head() {
        return head;
    }

    /**
     * @param bytes bytes just read
     * @param count how many of them
     * @return the length of the complete head, or -1 when its blank line has not arrived yet
     */
    int append(byte[] bytes, int count) {
        if (length + count > head.length) {
            head = Arrays.copyOf(head, Math.max(head.length * 2, length + count));
        }
        System.arraycopy(bytes, 0, head, length, count);
        length += count;
        int end = ChallengeAnswers.endOfHead(head, scanned, length);
        scanned = Math.max(0, length - 3);
        return end;
    }
}
