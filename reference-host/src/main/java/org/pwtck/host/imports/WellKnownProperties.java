package org.pwtck.host.imports;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.pwtck.host.abi.MapType;
import org.pwtck.host.context.FilterContext;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.HttpContext;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.TcpContext;

/**
 * The well-known property paths of ABI.md §5.2 that make sense for an HTTP proxy, with Envoy's
 * encodings: strings raw, integers as 8 bytes little-endian, booleans as 1 byte, timestamps as
 * int64 nanoseconds, maps as serialized pairs. Stream attributes are absent in root contexts.
 */
final class WellKnownProperties {
    private WellKnownProperties() {}

    private static final Set<String> ROOTS =
            Set.of(
                    "request",
                    "response",
                    "source",
                    "destination",
                    "connection",
                    "upstream",
                    "xds",
                    "plugin_name",
                    "plugin_root_id",
                    "plugin_vm_id",
                    "connection_id");

    static boolean isWellKnown(List<String> path) {
        return !path.isEmpty() && ROOTS.contains(path.get(0));
    }

    static Optional<byte[]> resolve(HostEnvironment env, List<String> path) {
        if (path.isEmpty()) {
            return Optional.empty();
        }
        switch (path.get(0)) {
            case "plugin_name":
                return text(env.pluginInfo().name());
            case "plugin_root_id":
                return text(env.pluginInfo().rootId());
            case "plugin_vm_id":
                return text(env.pluginInfo().vmId());
            default:
                break;
        }
        FilterContext ctx = env.effectiveContext();
        StreamInfo info =
                ctx instanceof HttpContext h
                        ? h.info()
                        : ctx instanceof TcpContext t ? t.info() : null;
        if (info == null || path.size() < 2 && !path.get(0).equals("connection_id")) {
            return Optional.empty();
        }
        String root = path.get(0);
        if (root.equals("connection_id")) {
            return int64(info.connectionId());
        }
        String field = path.get(1);
        switch (root) {
            case "source":
                return address(field, info.sourceAddress(), info.sourcePort());
            case "destination":
                return address(field, info.destinationAddress(), info.destinationPort());
            case "connection":
                return switch (field) {
                    case "id" -> int64(info.connectionId());
                    case "mtls" -> Optional.of(new byte[] {0});
                    default -> Optional.empty();
                };
            case "xds":
                return switch (field) {
                    case "route_name" -> nonEmpty(info.routeName());
                    case "cluster_name" -> nonEmpty(info.clusterName());
                    default -> Optional.empty();
                };
            default:
                break;
        }
        if (!(ctx instanceof HttpContext http)) {
            return Optional.empty();
        }
        if (root.equals("request")) {
            return request(http, path);
        }
        if (root.equals("response")) {
            return response(http, path);
        }
        return Optional.empty();
    }

    private static Optional<byte[]> request(HttpContext http, List<String> path) {
        Optional<HeaderMap> headers = http.map(MapType.HTTP_REQUEST_HEADERS);
        if (headers.isEmpty()) {
            return Optional.empty();
        }
        HeaderMap h = headers.get();
        String field = path.get(1);
        Optional<String> fullPath = h.get(":path");
        return switch (field) {
            case "path" -> fullPath.flatMap(WellKnownProperties::text);
            case "url_path" ->
                    fullPath.map(p -> p.split("\\?", 2)[0]).flatMap(WellKnownProperties::text);
            case "query" ->
                    fullPath.filter(p -> p.contains("?"))
                            .map(p -> p.split("\\?", 2)[1])
                            .flatMap(WellKnownProperties::text);
            case "host" ->
                    h.get(":authority").or(() -> h.get("host")).flatMap(WellKnownProperties::text);
            case "scheme" ->
                    h.get(":scheme")
                            .or(() -> Optional.of("http"))
                            .flatMap(WellKnownProperties::text);
            case "method" -> h.get(":method").flatMap(WellKnownProperties::text);
            case "referer" -> h.get("referer").flatMap(WellKnownProperties::text);
            case "useragent" -> h.get("user-agent").flatMap(WellKnownProperties::text);
            case "id" -> h.get("x-request-id").flatMap(WellKnownProperties::text);
            case "protocol" -> text(http.info().protocol());
            case "time" -> int64(http.info().requestStartNanos());
            case "headers" -> headerField(h, path);
            case "size" ->
                    int64(
                            h.get("content-length")
                                    .map(WellKnownProperties::parseLong)
                                    .orElse(http.requestBodyBytes()));
            case "headers_bytes" -> int64(h.entries().stream().mapToLong(x -> x.byteSize()).sum());
            default -> Optional.empty();
        };
    }

    private static Optional<byte[]> response(HttpContext http, List<String> path) {
        String field = path.get(1);
        if (field.equals("trailers")) {
            return http.map(MapType.HTTP_RESPONSE_TRAILERS).flatMap(t -> headerField(t, path));
        }
        Optional<HeaderMap> headers = http.map(MapType.HTTP_RESPONSE_HEADERS);
        if (headers.isEmpty()) {
            return Optional.empty();
        }
        HeaderMap h = headers.get();
        return switch (field) {
            case "code" ->
                    h.get(":status")
                            .map(WellKnownProperties::parseLong)
                            .flatMap(WellKnownProperties::int64);
            case "headers" -> headerField(h, path);
            case "size" -> int64(http.responseBodyBytes());
            case "grpc_status" ->
                    h.get("grpc-status")
                            .map(WellKnownProperties::parseLong)
                            .flatMap(WellKnownProperties::int64);
            default -> Optional.empty();
        };
    }

    /** {@code request.headers} is the whole map as pairs; one more segment names a header. */
    private static Optional<byte[]> headerField(HeaderMap map, List<String> path) {
        if (path.size() == 2) {
            return Optional.of(map.serialize());
        }
        List<String> values = map.getAll(path.get(2));
        return values.isEmpty() ? Optional.empty() : text(String.join(",", values));
    }

    private static Optional<byte[]> address(String field, String address, int port) {
        return switch (field) {
            case "address" -> text(address + ":" + port);
            case "port" -> int64(port);
            default -> Optional.empty();
        };
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Optional<byte[]> text(String s) {
        return Optional.of(s.getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<byte[]> nonEmpty(String s) {
        return s == null || s.isEmpty() ? Optional.empty() : text(s);
    }

    private static Optional<byte[]> int64(long v) {
        return Optional.of(
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }
}
