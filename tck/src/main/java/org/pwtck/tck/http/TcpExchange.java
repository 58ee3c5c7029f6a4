package org.pwtck.tck.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.pwtck.tck.api.TcpResult;

/** One TCP exchange with a proxy's network listener, for every network host. */
public final class TcpExchange {
    private TcpExchange() {}

    /**
     * Connects to {@code host:port}, sends {@code data}, half-closes, reads until the proxy closes
     * (or {@code timeout} passes), then takes what the echo received on this connection.
     */
    public static TcpResult exchange(
            String host, int port, byte[] data, TcpEchoBackend echo, Duration timeout)
            throws IOException, InterruptedException {
        echo.clear();
        byte[] received;
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.getOutputStream().write(data);
            s.getOutputStream().flush();
            s.shutdownOutput();
            received = readUntilClosed(s.getInputStream());
        }
        // The echo answered before the proxy closed the client's side, so it has recorded by now;
        // a short wait covers a proxy that closes the client first.
        byte[] upstream = echo.nextReceived(1000).orElse(new byte[0]);
        return new TcpResult(upstream, received);
    }

    private static byte[] readUntilClosed(InputStream in) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                out.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException(
                    "the proxy did not close the connection; received so far: " + out, e);
        } catch (IOException e) {
            // a reset after data is how some proxies close; keep what arrived
            if (out.size() == 0) {
                throw e;
            }
        }
        return out.toByteArray();
    }
}
