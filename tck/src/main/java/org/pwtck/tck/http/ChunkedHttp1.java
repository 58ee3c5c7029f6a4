package org.pwtck.tck.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A request with trailers over HTTP/1.1, which the JDK's {@code HttpClient} cannot send: the body
 * in one chunk, then the trailers in the last chunk ({@code Transfer-Encoding: chunked}, {@code TE:
 * trailers}), on its own connection ({@code Connection: close}). Reads the response's status,
 * headers and body (content-length, chunked or until close).
 */
final class ChunkedHttp1 {
    /** What came back. */
    record Response(int status, List<HttpHeader> headers, byte[] body) {}

    private ChunkedHttp1() {}

    static Response send(
            URI listener, TckRequest request, List<HttpHeader> extraHeaders, Duration timeout)
            throws IOException {
        try (Socket s = new Socket()) {
            s.connect(
                    new InetSocketAddress(listener.getHost(), listener.getPort()),
                    (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            StringBuilder head = new StringBuilder();
            head.append(request.method())
                    .append(' ')
                    .append(request.path())
                    .append(" HTTP/1.1\r\n");
            boolean host = false;
            List<HttpHeader> all = new ArrayList<>(request.headers());
            all.addAll(extraHeaders);
            for (HttpHeader h : all) {
                head.append(h.name()).append(": ").append(h.value()).append("\r\n");
                host |= h.name().equalsIgnoreCase("host");
            }
            if (!host) {
                head.append("host: ").append(ProxyExchange.AUTHORITY).append("\r\n");
            }
            head.append("transfer-encoding: chunked\r\nte: trailers\r\nconnection: close\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (request.body().length > 0) {
                out.write(
                        (Integer.toHexString(request.body().length) + "\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                out.write(request.body());
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            StringBuilder last = new StringBuilder("0\r\n");
            for (HttpHeader t : request.trailers()) {
                last.append(t.name()).append(": ").append(t.value()).append("\r\n");
            }
            last.append("\r\n");
            out.write(last.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return read(new BufferedInputStream(s.getInputStream()));
        }
    }

    private static Response read(InputStream in) throws IOException {
        String status = line(in);
        if (status == null) {
            throw new IOException("connection closed before a response");
        }
        String[] parts = status.split(" ", 3);
        int code = Integer.parseInt(parts[1]);
        List<HttpHeader> headers = new ArrayList<>();
        long length = -1;
        boolean chunked = false;
        String l;
        while ((l = line(in)) != null && !l.isEmpty()) {
            int colon = l.indexOf(':');
            String name = l.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = l.substring(colon + 1).strip();
            headers.add(new HttpHeader(name, value));
            if (name.equals("content-length")) {
                length = Long.parseLong(value);
            } else if (name.equals("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            while (true) {
                String size = line(in);
                int n = Integer.parseInt(size.split(";", 2)[0].strip(), 16);
                if (n == 0) {
                    while ((l = line(in)) != null && !l.isEmpty()) {
                        // response trailers: not part of TckResponse
                    }
                    break;
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        } else if (length >= 0) {
            body.write(in.readNBytes((int) length));
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(code, List.copyOf(headers), body.toByteArray());
    }

    /** One CRLF-terminated line (ISO-8859-1), or null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len =
                        bytes.length > 0 && bytes[bytes.length - 1] == '\r'
                                ? bytes.length - 1
                                : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }
}
