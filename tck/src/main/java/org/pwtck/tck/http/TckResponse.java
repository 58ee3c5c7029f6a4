package org.pwtck.tck.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the client got, and what the upstream saw ({@link #upstream} is empty when the request never
 * reached it, e.g. after a local response).
 */
public record TckResponse(
        int status, List<HttpHeader> headers, byte[] body, Optional<CapturedRequest> upstream) {

    /** The header that marks a response the TCK made up because the host reset the stream. */
    public static final String RESET_HEADER = "x-pwtck-reset";

    /** The host reset the stream (no HTTP response reached the client). */
    public static TckResponse reset(String why) {
        return new TckResponse(
                0,
                List.of(new HttpHeader(RESET_HEADER, "1")),
                why.getBytes(StandardCharsets.UTF_8),
                Optional.empty());
    }

    public boolean isReset() {
        return status == 0 && header(RESET_HEADER).isPresent();
    }

    public Optional<String> header(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return headers.stream()
                .filter(h -> h.name().toLowerCase(Locale.ROOT).equals(key))
                .map(HttpHeader::value)
                .findFirst();
    }

    public String bodyString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "HTTP "
                + status
                + " "
                + headers
                + " body="
                + bodyString()
                + upstream.map(
                                u ->
                                        " upstream saw "
                                                + u.method()
                                                + " "
                                                + u.path()
                                                + " "
                                                + u.headers())
                        .orElse(" (upstream not reached)");
    }
}
