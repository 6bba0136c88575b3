package dev.autocert4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A minimal DNS client for tests: one UDP question of type A or TXT, the answers as text. */
final class DnsQuery {

    static final int TYPE_A = 1;
    static final int TYPE_TXT = 16;

    private DnsQuery() {
    }

    /** Asks {@code server} for records of {@code type} of {@code name}; returns their data as text. */
    static List<String> ask(InetSocketAddress server, String name, int type) throws IOException {
        ByteArrayOutputStream query = new ByteArrayOutputStream();
        query.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.replaceAll("\\.$", "").split("\\.")) {
            query.write(label.length());
            query.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        query.writeBytes(new byte[] {0, 0, (byte) type, 0, 1});
        byte[] request = query.toByteArray();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            socket.send(new DatagramPacket(request, request.length, server));
            DatagramPacket response = new DatagramPacket(new byte[4096], 4096);
            socket.receive(response);
            return answers(ByteBuffer.wrap(response.getData(), 0, response.getLength()), type);
        }
    }

    private static List<String> answers(ByteBuffer message, int type) {
        message.position(6);
        int answerCount = message.getShort() & 0xffff;
        message.position(12);
        skipName(message);
        message.position(message.position() + 4);
        List<String> answers = new ArrayList<>();
        for (int i = 0; i < answerCount; i++) {
            skipName(message);
            int recordType = message.getShort() & 0xffff;
            message.position(message.position() + 6);
            int length = message.getShort() & 0xffff;
            byte[] data = new byte[length];
            message.get(data);
            if (recordType == type && type == TYPE_A) {
                answers.add((data[0] & 0xff) + "." + (data[1] & 0xff) + "." + (data[2] & 0xff) + "." + (data[3] & 0xff));
            } else if (recordType == type && type == TYPE_TXT) {
                answers.add(new String(data, 1, data[0] & 0xff, StandardCharsets.UTF_8));
            }
        }
        return answers;
    }

    private static void skipName(ByteBuffer message) {
        while (true) {
            int length = message.get() & 0xff;
            if (length == 0) {
                return;
            }
            if ((length & 0xc0) == 0xc0) {
                message.get();
                return;
            }
            message.position(message.position() + length);
        }
    }
}
