package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.host.imports.SharedDataImportsTest.sentinel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.plugin.HttpStream;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.testing.TestHost;
import org.pwtck.host.testing.Wat;

class PropertyImportsTest {
    private static final AbiFunction GET = AbiFunction.PROXY_GET_PROPERTY;
    private static final AbiFunction SET = AbiFunction.PROXY_SET_PROPERTY;
    private static final long OUTSIDE = 0x1FFF0;
    private static final StreamInfo INFO =
            new StreamInfo(
                    "10.0.0.1",
                    4242,
                    "10.0.0.2",
                    8443,
                    "HTTP/2",
                    77,
                    1_700_000_000_123_456_789L,
                    "route-a",
                    "cluster-a");

    private TestHost host;

    @BeforeEach
    void start() {
        host =
                TestHost.start(
                        Plugin.builder()
                                .withName("props")
                                .withRootId("root-a")
                                .withVmId("vm-a")
                                .withWasm(
                                        Wat.compile(Wat.passthrough(AbiVersion.V0_2_1, GET, SET)),
                                        "props.wasm"),
                        HostServices.inMemory());
    }

    @AfterEach
    void stop() {
        host.close();
    }

    /** The path's segments joined with NUL. */
    private static String path(String... segments) {
        return String.join("\0", segments);
    }

    /** {status, ptrSlot, sizeSlot}. */
    private int[] get(int context, String path) {
        int p = host.put(path);
        int ptr = host.slot();
        int size = host.slot();
        int status =
                host.callIn(
                        context, GET, p, path.getBytes(StandardCharsets.UTF_8).length, ptr, size);
        return new int[] {status, ptr, size};
    }

    private byte[] value(int context, String path) {
        int[] got = get(context, path);
        assertEquals(0, got[0], "get_property(" + path.replace('\0', '.') + ")");
        assertArrayEquals(sentinel(12), host.read(got[1] + 4, 12));
        assertArrayEquals(sentinel(12), host.read(got[2] + 4, 12));
        return host.outData(got[1], got[2]);
    }

    private String text(int context, String path) {
        return new String(value(context, path), StandardCharsets.UTF_8);
    }

    private void assertAbsent(int context, String path) {
        int[] got = get(context, path);
        assertEquals(Status.NOT_FOUND.code(), got[0], path.replace('\0', '.'));
        assertArrayEquals(sentinel(16), host.read(got[1], 16));
        assertArrayEquals(sentinel(16), host.read(got[2], 16));
    }

    private int set(int context, String path, String value) {
        int p = host.put(path);
        int v = host.put(value);
        return host.callIn(context, SET, p, path.length(), v, value.length());
    }

    private static byte[] int64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private HttpStream streamWithRequest() {
        HttpStream stream = host.vm.newHttpStream(StreamListener.NONE, INFO);
        stream.requestHeaders(
                HeaderMap.of(
                        ":method", "POST",
                        ":path", "/a/b?x=1&y=2",
                        ":authority", "example.com",
                        ":scheme", "https",
                        "user-agent", "curl/8",
                        "x-request-id", "req-1",
                        "x-multi", "one",
                        "X-Multi", "two"),
                false);
        return stream;
    }

    @Test
    void pluginIdentityIsAvailableInTheRootContext() {
        assertEquals("props", text(host.root(), "plugin_name"));
        assertEquals("root-a", text(host.root(), "plugin_root_id"));
        assertEquals("vm-a", text(host.root(), "plugin_vm_id"));
    }

    @Test
    void requestAttributesAreStrings() {
        int s = streamWithRequest().contextId();
        assertEquals("/a/b?x=1&y=2", text(s, path("request", "path")));
        assertEquals("/a/b", text(s, path("request", "url_path")));
        assertEquals("x=1&y=2", text(s, path("request", "query")));
        assertEquals("POST", text(s, path("request", "method")));
        assertEquals("example.com", text(s, path("request", "host")));
        assertEquals("https", text(s, path("request", "scheme")));
        assertEquals("curl/8", text(s, path("request", "useragent")));
        assertEquals("req-1", text(s, path("request", "id")));
        assertEquals("HTTP/2", text(s, path("request", "protocol")));
    }

    @Test
    void requestTimeIsInt64Nanoseconds() {
        int s = streamWithRequest().contextId();
        assertArrayEquals(int64(1_700_000_000_123_456_789L), value(s, path("request", "time")));
    }

    @Test
    void requestHeadersAreSerializedPairsAndOneHeaderIsCommaJoined() {
        HttpStream stream = streamWithRequest();
        int s = stream.contextId();
        byte[] expected =
                host.vm
                        .executor()
                        .call(
                                () ->
                                        stream.context()
                                                .map(
                                                        org.pwtck.host.abi.MapType
                                                                .HTTP_REQUEST_HEADERS)
                                                .orElseThrow()
                                                .serialize());
        assertArrayEquals(expected, value(s, path("request", "headers")));
        assertEquals("one,two", text(s, path("request", "headers", "x-multi")));
        assertEquals("curl/8", text(s, path("request", "headers", "User-Agent")));
        assertAbsent(s, path("request", "headers", "x-none"));
    }

    @Test
    void requestAttributesAreAbsentBeforeRequestHeaders() {
        int s = host.vm.newHttpStream(StreamListener.NONE, INFO).contextId();
        assertAbsent(s, path("request", "path"));
        assertAbsent(s, path("request", "headers"));
        assertEquals("10.0.0.1:4242", text(s, path("source", "address")));
    }

    @Test
    void responseCodeIsEightByteIntAndOnlyAfterResponseHeaders() {
        HttpStream stream = streamWithRequest();
        int s = stream.contextId();
        assertAbsent(s, path("response", "code"));
        assertAbsent(s, path("response", "headers"));
        stream.responseHeaders(HeaderMap.of(":status", "404", "x-r", "v"), true);
        byte[] code = value(s, path("response", "code"));
        assertArrayEquals(int64(404), code, "response.code is 8 bytes LE (java-host wrote 4)");
        byte[] pairs = value(s, path("response", "headers"));
        assertArrayEquals(HeaderMap.of(":status", "404", "x-r", "v").serialize(), pairs);
        assertEquals("v", text(s, path("response", "headers", "x-r")));
        assertEquals("/a/b?x=1&y=2", text(s, path("request", "path")), "request stays readable");
    }

    @Test
    void connectionAttributesAreStringsAndEightByteInts() {
        int s = streamWithRequest().contextId();
        assertEquals("10.0.0.1:4242", text(s, path("source", "address")));
        assertArrayEquals(int64(4242), value(s, path("source", "port")));
        assertEquals("10.0.0.2:8443", text(s, path("destination", "address")));
        assertArrayEquals(int64(8443), value(s, path("destination", "port")));
        assertArrayEquals(int64(77), value(s, path("connection", "id")));
        assertArrayEquals(int64(77), value(s, "connection_id"));
        assertArrayEquals(new byte[] {0}, value(s, path("connection", "mtls")));
        assertEquals("route-a", text(s, path("xds", "route_name")));
        assertEquals("cluster-a", text(s, path("xds", "cluster_name")));
    }

    @Test
    void streamAttributesAreAbsentInTheRootContext() {
        streamWithRequest();
        int root = host.root();
        assertAbsent(root, path("request", "path"));
        assertAbsent(root, path("request", "headers"));
        assertAbsent(root, path("response", "code"));
        assertAbsent(root, path("source", "address"));
        assertAbsent(root, path("source", "port"));
        assertAbsent(root, path("connection", "id"));
        assertAbsent(root, "connection_id");
    }

    @Test
    void unknownPathsAreNotFound() {
        int s = streamWithRequest().contextId();
        assertAbsent(host.root(), "no_such_property");
        assertAbsent(s, path("request", "no_such_field"));
        assertAbsent(s, path("source", "nope"));
        assertAbsent(s, "request");
        assertAbsent(host.root(), "");
    }

    @Test
    void setThenGetRoundTripsInTheSameContext() {
        assertEquals(0, set(host.root(), path("my", "key"), "v1"));
        assertEquals("v1", text(host.root(), path("my", "key")));
        assertEquals(0, set(host.root(), path("my", "key"), "v2"));
        assertEquals("v2", text(host.root(), path("my", "key")));
        assertAbsent(host.root(), "my");
    }

    @Test
    void rootValuesAreVisibleFromStreamsAndStreamValuesShadowThem() {
        assertEquals(0, set(host.root(), "shared", "from-root"));
        int s1 = streamWithRequest().contextId();
        int s2 = streamWithRequest().contextId();
        assertEquals("from-root", text(s1, "shared"));
        assertEquals(0, set(s1, "shared", "from-s1"));
        assertEquals("from-s1", text(s1, "shared"));
        assertEquals("from-root", text(s2, "shared"), "a stream's value is its own");
        assertEquals("from-root", text(host.root(), "shared"));
        assertEquals(0, set(s1, "only-s1", "x"));
        assertAbsent(host.root(), "only-s1");
    }

    @Test
    void settingAWellKnownPathIsBadArgumentAndChangesNothing() {
        int s = streamWithRequest().contextId();
        assertEquals(Status.BAD_ARGUMENT.code(), set(s, path("request", "path"), "/evil"));
        assertEquals("/a/b?x=1&y=2", text(s, path("request", "path")));
        assertEquals(Status.BAD_ARGUMENT.code(), set(host.root(), "plugin_name", "evil"));
        assertEquals("props", text(host.root(), "plugin_name"));
    }

    @Test
    void aTrailingNulInThePathIsTolerated() {
        int s = streamWithRequest().contextId();
        assertEquals("props", text(host.root(), "plugin_name\0"));
        assertEquals("/a/b?x=1&y=2", text(s, path("request", "path") + "\0"));
        assertEquals(0, set(host.root(), "k\0", "v"));
        assertEquals("v", text(host.root(), "k"));
    }

    @Test
    void emptyValueRoundTripsAsEmpty() {
        int p = host.put("empty");
        assertEquals(0, host.call(SET, p, 5, 0, 0));
        int[] got = get(host.root(), "empty");
        assertEquals(0, got[0]);
        assertEquals(0, host.u32(got[1]));
        assertEquals(0, host.u32(got[2]));
    }

    @Test
    void badPointersAreInvalidMemoryAccess() {
        int p = host.put("plugin_name");
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(), host.call(GET, OUTSIDE, 0x100, ptr, size));
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(), host.call(GET, p, 11, OUTSIDE + 14, size));
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(GET, p, 11, ptr, OUTSIDE + 14));
        assertArrayEquals(sentinel(16), host.read(ptr, 16));
        assertArrayEquals(sentinel(16), host.read(size, 16));
        int k = host.put("k");
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(SET, OUTSIDE, 0x100, k, 1));
        assertEquals(Status.INVALID_MEMORY_ACCESS.code(), host.call(SET, k, 1, OUTSIDE, 0x100));
        assertAbsent(host.root(), "k");
    }
}
