package org.pwtck.host.server;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Map;
import java.util.Set;
import org.pwtck.host.abi.Header;
import org.pwtck.host.context.HeaderMap;

/**
 * HTTP/1.1 messages ↔ the header maps filters see. Filters see HTTP/2-style maps: pseudo-headers
 * first ({@code :method :path :authority :scheme} or {@code :status}), lower-case names, no
 * hop-by-hop headers (as Envoy strips them); framing ({@code content-length} or chunked) is redone
 * on the way out.
 */
final class Http1 {
    private static final Set<String> HOP_BY_HOP =
            Set.of(
                    "connection",
                    "keep-alive",
                    "proxy-connection",
                    "transfer-encoding",
                    "upgrade",
                    "te",
                    "trailer",
                    "host");

    private Http1() {}

    static HeaderMap requestMap(HttpRequest req, String scheme) {
        HeaderMap map = new HeaderMap();
        map.add(":method", req.method().name());
        map.add(":path", req.uri());
        String host = req.headers().get(HttpHeaderNames.HOST);
        map.add(":authority", host == null ? "" : host);
        map.add(":scheme", scheme);
        copy(req.headers(), map);
        return map;
    }

    static HeaderMap responseMap(HttpResponse res) {
        HeaderMap map = new HeaderMap();
        map.add(":status", Integer.toString(res.status().code()));
        copy(res.headers(), map);
        return map;
    }

    static HeaderMap trailerMap(HttpHeaders trailers) {
        HeaderMap map = new HeaderMap();
        for (Map.Entry<String, String> e : trailers) {
            map.add(e.getKey(), e.getValue());
        }
        return map;
    }

    private static void copy(HttpHeaders from, HeaderMap to) {
        for (Map.Entry<String, String> e : from) {
            if (!HOP_BY_HOP.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) {
                to.add(e.getKey(), e.getValue());
            }
        }
    }

    /** The upstream request for a map; {@code Host} comes from {@code :authority}. */
    static HttpRequest request(HeaderMap map, boolean endOfStream) {
        String method = map.get(":method").orElse("GET");
        String path = map.get(":path").orElse("/");
        HttpRequest req =
                new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), path);
        map.get(":authority")
                .filter(a -> !a.isEmpty())
                .ifPresent(a -> req.headers().set(HttpHeaderNames.HOST, a));
        copyOut(map, req.headers());
        frame(req.headers(), endOfStream, true);
        return req;
    }

    /** The client response for a map. */
    static HttpResponse response(HeaderMap map, boolean endOfStream, boolean close) {
        int status = 200;
        try {
            status = Integer.parseInt(map.get(":status").orElse("200").trim());
        } catch (NumberFormatException e) {
            status = 502;
        }
        HttpResponse res =
                new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        copyOut(map, res.headers());
        boolean bodyless = status == 204 || status == 304 || status < 200;
        if (bodyless) {
            res.headers().remove(HttpHeaderNames.TRANSFER_ENCODING);
        } else {
            frame(res.headers(), endOfStream, false);
        }
        if (close) {
            res.headers().set(HttpHeaderNames.CONNECTION, "close");
        }
        return res;
    }

    private static void copyOut(HeaderMap map, HttpHeaders to) {
        for (Header h : map.entries()) {
            String name = h.nameString();
            if (name.startsWith(":") || HOP_BY_HOP.contains(name)) {
                continue;
            }
            to.add(name, h.valueString());
        }
    }

    /** Body framing: keep a content-length the map has; else chunked, or length 0 if no body. */
    private static void frame(HttpHeaders headers, boolean endOfStream, boolean request) {
        headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
        if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            return;
        }
        if (endOfStream) {
            if (!request) {
                headers.set(HttpHeaderNames.CONTENT_LENGTH, "0");
            }
        } else {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
    }

    /** Whether the request header block ends the stream (no body follows). */
    static boolean noBody(HttpRequest req) {
        return !HttpUtil.isTransferEncodingChunked(req) && HttpUtil.getContentLength(req, 0L) == 0;
    }
}
