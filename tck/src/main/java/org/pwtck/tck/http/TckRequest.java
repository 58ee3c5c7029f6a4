package org.pwtck.tck.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request a case sends through a host. Trailers, when present, follow the body (HTTP/1.1 chunked
 * encoding over the network).
 */
public record TckRequest(
        String method,
        String path,
        List<HttpHeader> headers,
        byte[] body,
        List<HttpHeader> trailers) {

    public TckRequest(String method, String path, List<HttpHeader> headers, byte[] body) {
        this(method, path, headers, body, List.of());
    }

    public static TckRequest get(String path) {
        return new TckRequest("GET", path, List.of(), new byte[0]);
    }

    public static TckRequest post(String path, String body) {
        return new TckRequest("POST", path, List.of(), body.getBytes(StandardCharsets.UTF_8));
    }

    public TckRequest withHeader(String name, String value) {
        List<HttpHeader> h = new ArrayList<>(headers);
        h.add(new HttpHeader(name, value));
        return new TckRequest(method, path, List.copyOf(h), body, trailers);
    }

    public TckRequest withTrailer(String name, String value) {
        List<HttpHeader> t = new ArrayList<>(trailers);
        t.add(new HttpHeader(name, value));
        return new TckRequest(method, path, headers, body, List.copyOf(t));
    }
}
