package org.pwtck.host.context;

import java.util.Optional;
import org.pwtck.host.abi.BufferType;
import org.pwtck.host.abi.MapType;

/**
 * The host's side of one HTTP stream: its four header maps, its two bodies, and where it is. A map
 * is readable once it has arrived and writable until the host has passed it on; a body buffer is
 * readable and writable in its own body and trailers callbacks (ABI.md §2.3, §2.4).
 */
public final class HttpContext extends FilterContext {

    /** The last stream event delivered to the filter. */
    public enum HttpPhase {
        CREATED,
        REQUEST_HEADERS,
        REQUEST_BODY,
        REQUEST_TRAILERS,
        RESPONSE_HEADERS,
        RESPONSE_BODY,
        RESPONSE_TRAILERS,
        LOG
    }

    private final StreamListener listener;
    private final StreamInfo info;
    private HttpPhase phase = HttpPhase.CREATED;
    private HeaderMap requestHeaders;
    private HeaderMap requestTrailers;
    private HeaderMap responseHeaders;
    private HeaderMap responseTrailers;
    private Buffer requestBody;
    private Buffer responseBody;
    private boolean requestHeadersSent;
    private boolean requestTrailersSent;
    private boolean responseHeadersSent;
    private boolean responseTrailersSent;
    private LocalResponse localResponse;
    private long requestBodyBytes;
    private long responseBodyBytes;

    public HttpContext(int id, int rootId, StreamListener listener, StreamInfo info) {
        super(id, rootId);
        this.listener = listener;
        this.info = info;
    }

    public StreamListener listener() {
        return listener;
    }

    public StreamInfo info() {
        return info;
    }

    public HttpPhase phase() {
        return phase;
    }

    public void phase(HttpPhase next) {
        this.phase = next;
    }

    /** The map of that type if it has arrived; types 4–7 are never stream maps. */
    public Optional<HeaderMap> map(MapType type) {
        return Optional.ofNullable(mapOrNull(type));
    }

    /** Whether the map of that type has arrived (as {@link #map}, without an Optional per call). */
    public boolean hasMap(MapType type) {
        return mapOrNull(type) != null;
    }

    private HeaderMap mapOrNull(MapType type) {
        return switch (type) {
            case HTTP_REQUEST_HEADERS -> requestHeaders;
            case HTTP_REQUEST_TRAILERS -> requestTrailers;
            case HTTP_RESPONSE_HEADERS -> responseHeaders;
            case HTTP_RESPONSE_TRAILERS -> responseTrailers;
            default -> null;
        };
    }

    /**
     * True while the map exists and the host has not passed it on yet. In {@code on_log} the stream
     * is over: its maps are read-only even if a paused stream never passed them on.
     */
    public boolean isWritable(MapType type) {
        return phase != HttpPhase.LOG
                && hasMap(type)
                && switch (type) {
                    case HTTP_REQUEST_HEADERS -> !requestHeadersSent;
                    case HTTP_REQUEST_TRAILERS -> !requestTrailersSent;
                    case HTTP_RESPONSE_HEADERS -> !responseHeadersSent;
                    case HTTP_RESPONSE_TRAILERS -> !responseTrailersSent;
                    default -> false;
                };
    }

    public void requestHeaders(HeaderMap headers) {
        this.requestHeaders = headers;
    }

    public void requestTrailers(HeaderMap trailers) {
        this.requestTrailers = trailers;
    }

    public void responseHeaders(HeaderMap headers) {
        this.responseHeaders = headers;
    }

    public void responseTrailers(HeaderMap trailers) {
        this.responseTrailers = trailers;
    }

    /** The host passed the map on; later writes are refused. */
    public void markSent(MapType type) {
        switch (type) {
            case HTTP_REQUEST_HEADERS -> requestHeadersSent = true;
            case HTTP_REQUEST_TRAILERS -> requestTrailersSent = true;
            case HTTP_RESPONSE_HEADERS -> responseHeadersSent = true;
            case HTTP_RESPONSE_TRAILERS -> responseTrailersSent = true;
            default -> throw new IllegalArgumentException(type + " is not a stream map");
        }
    }

    public boolean isSent(MapType type) {
        return switch (type) {
            case HTTP_REQUEST_HEADERS -> requestHeadersSent;
            case HTTP_REQUEST_TRAILERS -> requestTrailersSent;
            case HTTP_RESPONSE_HEADERS -> responseHeadersSent;
            case HTTP_RESPONSE_TRAILERS -> responseTrailersSent;
            default -> false;
        };
    }

    /** The body of that type while the filter may see it. */
    public Optional<Buffer> body(BufferType type) {
        return switch (type) {
            case HTTP_REQUEST_BODY ->
                    phase == HttpPhase.REQUEST_BODY || phase == HttpPhase.REQUEST_TRAILERS
                            ? Optional.ofNullable(requestBody)
                            : Optional.empty();
            case HTTP_RESPONSE_BODY ->
                    phase == HttpPhase.RESPONSE_BODY || phase == HttpPhase.RESPONSE_TRAILERS
                            ? Optional.ofNullable(responseBody)
                            : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** The request body buffer, created empty on first use (host side). */
    public Buffer requestBodyBuffer() {
        if (requestBody == null) {
            requestBody = Buffer.writable(new byte[0]);
        }
        return requestBody;
    }

    public Buffer responseBodyBuffer() {
        if (responseBody == null) {
            responseBody = Buffer.writable(new byte[0]);
        }
        return responseBody;
    }

    public Optional<LocalResponse> localResponse() {
        return Optional.ofNullable(localResponse);
    }

    public void localResponse(LocalResponse response) {
        this.localResponse = response;
    }

    public long requestBodyBytes() {
        return requestBodyBytes;
    }

    public void addRequestBodyBytes(long n) {
        requestBodyBytes += n;
    }

    public long responseBodyBytes() {
        return responseBodyBytes;
    }

    public void addResponseBodyBytes(long n) {
        responseBodyBytes += n;
    }
}
