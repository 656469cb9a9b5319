package io.fathom.testkit.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Just enough of the Redis protocol (RESP2) to run one administrative command and read its reply — the first line,
 * or a whole bulk string — so the testkit needs no Redis client library: {@code PING}, {@code FLUSHALL}, {@code CLUSTER
 * INFO}.
 */
public final class Resp {
    private Resp() {}

    /**
     * Sends one command on a fresh connection and returns the first line of the reply, e.g. {@code +PONG}
     * or {@code -ERR ...}.
     *
     * @throws IOException if the server cannot be reached or closes the connection without a reply
     */
    public static String command(String host, int port, Duration timeout, String... args) throws IOException {
        return send(host, port, timeout, false, args);
    }

    /**
     * Like {@link #command}, but a bulk-string reply ({@code $<length>}) comes back as its whole text, e.g. the
     * lines of {@code CLUSTER INFO} or the id {@code CLUSTER MYID} answers.
     */
    public static String bulk(String host, int port, Duration timeout, String... args) throws IOException {
        return send(host, port, timeout, true, args);
    }

    private static String send(String host, int port, Duration timeout, boolean wholeBulk, String... args)
            throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(encode(args));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String reply = in.readLine();
            if (reply == null) {
                throw new IOException("redis at " + host + ":" + port + " closed the connection without a reply");
            }
            if (!wholeBulk || !reply.startsWith("$") || reply.equals("$-1")) {
                return reply;
            }
            char[] text = new char[Integer.parseInt(reply.substring(1))];
            int read = 0;
            while (read < text.length) {
                int n = in.read(text, read, text.length - read);
                if (n < 0) {
                    throw new IOException("redis at " + host + ":" + port + " cut a bulk reply short");
                }
                read += n;
            }
            return new String(text);
        }
    }

    static byte[] encode(String... args) {
        StringBuilder command =
                new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String arg : args) {
            command.append('$')
                    .append(arg.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(arg)
                    .append("\r\n");
        }
        return command.toString().getBytes(StandardCharsets.UTF_8);
    }
}
