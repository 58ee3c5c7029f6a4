package org.pwtck.tck.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A request as the echo upstream received it. Header names are lower case. Trailers are known only
 * for the in-process host (the network echo does not see them).
 */
public record CapturedRequest(
        String method,
        String path,
        List<HttpHeader> headers,
        byte[] body,
        List<HttpHeader> trailers) {

    public CapturedRequest(String method, String path, List<HttpHeader> headers, byte[] body) {
        this(method, path, headers, body, List.of());
    }

    public Optional<String> header(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return headers.stream()
                .filter(h -> h.name().equals(key))
                .map(HttpHeader::value)
                .findFirst();
    }

    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
