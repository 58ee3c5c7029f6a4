package org.pwtck.tck.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The upstream of network (L4) filters: for each connection it reads until the peer half-closes,
 * answers {@code echo:<bytes received>} and closes. What it received is kept (in order), so a case
 * can check what the filter let through.
 */
public final class TcpEchoBackend implements AutoCloseable {
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private ServerSocket server;

    public synchronized TcpEchoBackend start(String host, int port) throws IOException {
        if (server == null) {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 64);
            Thread accept = new Thread(this::acceptLoop, "pwtck-tcp-echo");
            accept.setDaemon(true);
            accept.start();
        }
        return this;
    }

    public int port() {
        if (server == null) {
            throw new IllegalStateException("the TCP echo is not started");
        }
        return server.getLocalPort();
    }

    /** Answers one connection in process: what the echo would send back for {@code data}. */
    public byte[] handle(byte[] data) {
        received.add(data.clone());
        byte[] prefix = "echo:".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + data.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(data, 0, out, prefix.length, data.length);
        return out;
    }

    /** The next connection's bytes, waiting up to {@code millis}; empty if none arrived. */
    public Optional<byte[]> nextReceived(long millis) throws InterruptedException {
        return Optional.ofNullable(received.poll(millis, TimeUnit.MILLISECONDS));
    }

    /** Forgets what earlier connections sent (before a case's exchange). */
    public void clear() {
        received.clear();
    }

    private void acceptLoop() {
        while (true) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread t = new Thread(() -> serve(s), "pwtck-tcp-echo-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private void serve(Socket s) {
        try (s;
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream()) {
            s.setSoTimeout(30_000);
            out.write(handle(in.readAllBytes()));
            out.flush();
        } catch (IOException e) {
            // the proxy went away; nothing to answer
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
