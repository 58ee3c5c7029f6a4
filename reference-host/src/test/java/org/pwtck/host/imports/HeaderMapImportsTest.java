package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.host.testing.StreamTestSupport.onVm;
import static org.pwtck.host.testing.StreamTestSupport.pairs;
import static org.pwtck.host.testing.StreamTestSupport.sentinel;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Header;
import org.pwtck.host.abi.HeaderPairsCodec;
import org.pwtck.host.abi.MapType;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.HttpContext;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.plugin.HttpStream;
import org.pwtck.host.testing.StreamTestSupport;
import org.pwtck.host.testing.TestHost;

/**
 * The header map functions through the ABI, on an HTTP stream whose maps and phase the test sets on
 * the VM thread. Statuses: 0 OK, 1 NOT_FOUND, 2 BAD_ARGUMENT, 6 INVALID_MEMORY_ACCESS.
 */
class HeaderMapImportsTest {
    static final AbiFunction SIZE = AbiFunction.PROXY_GET_HEADER_MAP_SIZE;
    static final AbiFunction GET_PAIRS = AbiFunction.PROXY_GET_HEADER_MAP_PAIRS;
    static final AbiFunction SET_PAIRS = AbiFunction.PROXY_SET_HEADER_MAP_PAIRS;
    static final AbiFunction GET = AbiFunction.PROXY_GET_HEADER_MAP_VALUE;
    static final AbiFunction ADD = AbiFunction.PROXY_ADD_HEADER_MAP_VALUE;
    static final AbiFunction REPLACE = AbiFunction.PROXY_REPLACE_HEADER_MAP_VALUE;
    static final AbiFunction REMOVE = AbiFunction.PROXY_REMOVE_HEADER_MAP_VALUE;
    static final AbiFunction[] ALL = {SIZE, GET_PAIRS, SET_PAIRS, GET, ADD, REPLACE, REMOVE};

    /** Outside the 2-page guest memory. */
    static final long BAD_PTR = 0xFFFFFFF0L;

    static final int REQ = MapType.HTTP_REQUEST_HEADERS.code();
    static final int RESP = MapType.HTTP_RESPONSE_HEADERS.code();

    private TestHost host;
    private HttpStream stream;
    private HeaderMap request;

    @BeforeEach
    void start() {
        host = TestHost.passthrough(AbiVersion.V0_2_1, ALL);
        request = HeaderMap.of(":path", "/a", "host", "example.com", "x-multi", "one");
        request.add("X-Multi", "two");
        stream = inRequestHeaders(host, request);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    /** A stream in its request-headers callback: request headers there and writable. */
    static HttpStream inRequestHeaders(TestHost host, HeaderMap headers) {
        return StreamTestSupport.httpStream(
                host,
                StreamListener.NONE,
                ctx -> {
                    ctx.requestHeaders(headers);
                    ctx.phase(HttpContext.HttpPhase.REQUEST_HEADERS);
                });
    }

    private int in(AbiFunction f, long... args) {
        return host.callIn(stream.contextId(), f, args);
    }

    private List<Header> entries(MapType type) {
        return onVm(host, () -> stream.context().map(type).orElseThrow().entries());
    }

    private static List<Header> headers(String... namesAndValues) {
        return HeaderPairsCodec.decode(pairs(namesAndValues));
    }

    // ---- get value ----

    @Test
    void getValueReturnsTheValueAndWritesExactlyTwoWords() {
        int key = host.put("host");
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, in(GET, REQ, key, 4, ptr, size));
        assertEquals("example.com", host.outString(ptr, size));
        assertArrayEquals(sentinel(12), host.read(ptr + 4, 12));
        assertArrayEquals(sentinel(12), host.read(size + 4, 12));
    }

    @Test
    void getValueLowerCasesTheKey() {
        int key = host.put("HoSt");
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, in(GET, REQ, key, 4, ptr, size));
        assertEquals("example.com", host.outString(ptr, size));
    }

    @Test
    void getValueOfARepeatedHeaderIsTheFirstValue() {
        int key = host.put("x-multi");
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, in(GET, REQ, key, 7, ptr, size));
        assertEquals("one", host.outString(ptr, size));
    }

    @Test
    void getValueOfAMissingKeyIsNotFoundIn02AndWritesNothing() {
        int key = host.put("x-absent");
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(1, in(GET, REQ, key, 8, ptr, size));
        assertArrayEquals(sentinel(16), host.read(ptr, 16));
        assertArrayEquals(sentinel(16), host.read(size, 16));
    }

    @Test
    void getValueOfAMissingKeyIsOkAndEmptyIn010() {
        try (TestHost old = TestHost.passthrough(AbiVersion.V0_1_0, ALL)) {
            HttpStream s = inRequestHeaders(old, HeaderMap.of("host", "h"));
            int key = old.put("x-absent");
            int ptr = old.slot();
            int size = old.slot();
            assertEquals(0, old.callIn(s.contextId(), GET, REQ, key, 8, ptr, size));
            assertEquals(0, old.u32(ptr));
            assertEquals(0, old.u32(size));
            assertArrayEquals(sentinel(12), old.read(ptr + 4, 12));
            assertArrayEquals(sentinel(12), old.read(size + 4, 12));
        }
    }

    @Test
    void getValueOfAnEmptyValueIsOkWithPointerZero() {
        onVm(
                host,
                () -> {
                    request.add("x-empty", "");
                    return null;
                });
        int key = host.put("x-empty");
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, in(GET, REQ, key, 7, ptr, size));
        assertEquals(0, host.u32(ptr));
        assertEquals(0, host.u32(size));
    }

    // ---- add / replace / remove ----

    @Test
    void addAppendsAnotherValueWithALowerCasedName() {
        int key = host.put("X-Multi");
        int value = host.put("three");
        assertEquals(0, in(ADD, REQ, key, 7, value, 5));
        assertEquals(
                headers(
                        ":path",
                        "/a",
                        "host",
                        "example.com",
                        "x-multi",
                        "one",
                        "x-multi",
                        "two",
                        "x-multi",
                        "three"),
                entries(MapType.HTTP_REQUEST_HEADERS));
    }

    @Test
    void replaceSetsOneValueInPlaceOfAll() {
        int key = host.put("x-multi");
        int value = host.put("only");
        assertEquals(0, in(REPLACE, REQ, key, 7, value, 4));
        assertEquals(
                headers(":path", "/a", "host", "example.com", "x-multi", "only"),
                entries(MapType.HTTP_REQUEST_HEADERS));
    }

    @Test
    void replaceOfAnAbsentKeyAddsIt() {
        int key = host.put("X-New");
        int value = host.put("v");
        assertEquals(0, in(REPLACE, REQ, key, 5, value, 1));
        assertEquals(
                headers(
                        ":path",
                        "/a",
                        "host",
                        "example.com",
                        "x-multi",
                        "one",
                        "x-multi",
                        "two",
                        "x-new",
                        "v"),
                entries(MapType.HTTP_REQUEST_HEADERS));
    }

    @Test
    void removeDropsEveryValueOfTheKey() {
        int key = host.put("X-MULTI");
        assertEquals(0, in(REMOVE, REQ, key, 7));
        assertEquals(
                headers(":path", "/a", "host", "example.com"),
                entries(MapType.HTTP_REQUEST_HEADERS));
    }

    @Test
    void removeOfAnAbsentKeyIsOk() {
        int key = host.put("x-absent");
        assertEquals(0, in(REMOVE, REQ, key, 8));
        assertEquals(4, entries(MapType.HTTP_REQUEST_HEADERS).size());
    }

    // ---- pairs ----

    @Test
    void getPairsReturnsTheSerializedMapInOrder() {
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, in(GET_PAIRS, REQ, ptr, size));
        assertArrayEquals(
                pairs(":path", "/a", "host", "example.com", "x-multi", "one", "x-multi", "two"),
                host.outData(ptr, size));
        assertArrayEquals(sentinel(12), host.read(ptr + 4, 12));
        assertArrayEquals(sentinel(12), host.read(size + 4, 12));
    }

    @Test
    void setPairsReplacesTheWholeMapAndNeverMerges() {
        byte[] replacement = pairs("X-A", "1", "host", "other.example", "x-a", "2");
        int data = host.put(replacement);
        assertEquals(0, in(SET_PAIRS, REQ, data, replacement.length));
        // :path and x-multi are gone (a merging host keeps them); names are lower-cased.
        assertEquals(
                headers("x-a", "1", "host", "other.example", "x-a", "2"),
                entries(MapType.HTTP_REQUEST_HEADERS));
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, in(GET_PAIRS, REQ, ptr, size));
        assertArrayEquals(
                pairs("x-a", "1", "host", "other.example", "x-a", "2"), host.outData(ptr, size));
    }

    @Test
    void setPairsWithAnEmptyMapClearsIt() {
        assertEquals(0, in(SET_PAIRS, REQ, 0, 0));
        assertEquals(List.of(), entries(MapType.HTTP_REQUEST_HEADERS));
    }

    @Test
    void setPairsWithASingleNulByteClearsIt() {
        int data = host.put(new byte[] {0});
        assertEquals(0, in(SET_PAIRS, REQ, data, 1));
        assertEquals(List.of(), entries(MapType.HTTP_REQUEST_HEADERS));
    }

    @Test
    void anEmptyMapReadsBackAsCountZeroAndSizeFour() {
        assertEquals(0, in(SET_PAIRS, REQ, 0, 0));
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, in(GET_PAIRS, REQ, ptr, size));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, host.outData(ptr, size));
        int slot = host.slot();
        assertEquals(0, in(SIZE, REQ, slot));
        assertEquals(4, host.u32(slot), "size agrees with what get_header_map_pairs returns");
    }

    @Test
    void malformedPairsAreBadArgumentAndChangeNothing() {
        byte[] good = pairs("x-a", "1");
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1); // last NUL missing
        int data = host.put(truncated);
        List<Header> before = entries(MapType.HTTP_REQUEST_HEADERS);
        assertEquals(2, in(SET_PAIRS, REQ, data, truncated.length));
        assertEquals(before, entries(MapType.HTTP_REQUEST_HEADERS));
    }

    @Test
    void pairsWithTrailingBytesAreBadArgumentAndChangeNothing() {
        byte[] good = pairs("x-a", "1");
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 3);
        int data = host.put(longer);
        List<Header> before = entries(MapType.HTTP_REQUEST_HEADERS);
        assertEquals(2, in(SET_PAIRS, REQ, data, longer.length));
        assertEquals(before, entries(MapType.HTTP_REQUEST_HEADERS));
    }

    // ---- size ----

    @Test
    void sizeIsTheSerializedSizeInUtf8Bytes() {
        onVm(
                host,
                () -> {
                    request.setAll(List.of(Header.of("x-name", "café 😀")));
                    return null;
                });
        int slot = host.slot();
        assertEquals(0, in(SIZE, REQ, slot));
        // 4 (count) + 8 (sizes) + "x-name\0" (7) + "café 😀\0" (10 bytes + 1); a host counting
        // UTF-16 chars would say 27.
        assertEquals(30, host.u32(slot));
        assertArrayEquals(sentinel(12), host.read(slot + 4, 12));
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, in(GET_PAIRS, REQ, ptr, size));
        assertEquals(30, host.u32(size));
    }

    @Test
    void sizeOfTheInitialMap() {
        int slot = host.slot();
        assertEquals(0, in(SIZE, REQ, slot));
        assertEquals(
                pairs(":path", "/a", "host", "example.com", "x-multi", "one", "x-multi", "two")
                        .length,
                host.u32(slot));
    }

    // ---- bad map types: BAD_ARGUMENT before memory is touched ----

    @Test
    void mapType8And100AreBadArgumentBeforeMemoryIsRead() {
        for (long type : new long[] {8, 100, 0xFFFFFFFFL}) {
            assertEquals(2, in(SIZE, type, BAD_PTR), "size " + type);
            assertEquals(2, in(GET_PAIRS, type, BAD_PTR, BAD_PTR), "pairs " + type);
            assertEquals(2, in(SET_PAIRS, type, BAD_PTR, 100), "set pairs " + type);
            assertEquals(2, in(GET, type, BAD_PTR, 100, BAD_PTR, BAD_PTR), "get " + type);
            assertEquals(2, in(ADD, type, BAD_PTR, 100, BAD_PTR, 100), "add " + type);
            assertEquals(2, in(REPLACE, type, BAD_PTR, 100, BAD_PTR, 100), "replace " + type);
            assertEquals(2, in(REMOVE, type, BAD_PTR, 100), "remove " + type);
        }
    }

    // ---- unavailable maps ----

    @Test
    void responseHeadersDuringRequestHeadersArePerTheReadings() {
        int key = host.put("host");
        int value = host.put("v");
        int ptr = host.slot();
        int size = host.slot();
        // get_header_map_pairs: OK with an empty map (ptr 0, size 0), as Envoy.
        assertEquals(0, in(GET_PAIRS, RESP, ptr, size));
        assertEquals(0, host.u32(ptr));
        assertEquals(0, host.u32(size));
        // everything else: BAD_ARGUMENT, nothing written.
        int out = host.slot();
        assertEquals(2, in(SIZE, RESP, out));
        assertEquals(2, in(GET, RESP, key, 4, out, out + 8));
        assertArrayEquals(sentinel(16), host.read(out, 16));
        assertEquals(2, in(ADD, RESP, key, 4, value, 1));
        assertEquals(2, in(REPLACE, RESP, key, 4, value, 1));
        assertEquals(2, in(REMOVE, RESP, key, 4));
        assertEquals(2, in(SET_PAIRS, RESP, 0, 0));
    }

    @Test
    void callResponseAndGrpcMapsAreUnavailableOutsideTheirCallbacks() {
        int key = host.put(":status");
        int value = host.put("v");
        for (int type = 4; type <= 7; type++) {
            int ptr = host.slot();
            int size = host.slot();
            assertEquals(0, in(GET_PAIRS, type, ptr, size), "pairs " + type);
            assertEquals(0, host.u32(size), "pairs " + type);
            assertEquals(2, in(GET, type, key, 7, ptr, size), "get " + type);
            assertEquals(2, in(SIZE, type, ptr), "size " + type);
            assertEquals(2, in(ADD, type, key, 7, value, 1), "add " + type);
            assertEquals(2, in(SET_PAIRS, type, 0, 0), "set " + type);
        }
    }

    @Test
    void aRootContextHasNoStreamMaps() {
        int key = host.put("host");
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, host.call(GET_PAIRS, REQ, ptr, size));
        assertEquals(0, host.u32(size));
        assertEquals(2, host.call(GET, REQ, key, 4, ptr, size));
        assertEquals(2, host.call(ADD, REQ, key, 4, key, 4));
    }

    @Test
    void aMapAlreadyPassedOnIsReadableButNotWritable() {
        onVm(
                host,
                () -> {
                    stream.context().markSent(MapType.HTTP_REQUEST_HEADERS);
                    return null;
                });
        int key = host.put("host");
        int value = host.put("v");
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, in(GET, REQ, key, 4, ptr, size));
        assertEquals("example.com", host.outString(ptr, size));
        List<Header> before = entries(MapType.HTTP_REQUEST_HEADERS);
        assertEquals(2, in(ADD, REQ, key, 4, value, 1));
        assertEquals(2, in(REPLACE, REQ, key, 4, value, 1));
        assertEquals(2, in(REMOVE, REQ, key, 4));
        assertEquals(2, in(SET_PAIRS, REQ, 0, 0));
        assertEquals(before, entries(MapType.HTTP_REQUEST_HEADERS));
    }

    @Test
    void requestHeadersAreReadOnlyOnceTheResponseStarted() {
        HeaderMap response = HeaderMap.of(":status", "200");
        // Drives the real stream: request headers continue (passed on), response headers arrive.
        stream.requestHeaders(request, true);
        stream.responseHeaders(response, false);
        int key = host.put("x-b");
        int value = host.put("1");
        assertEquals(2, in(ADD, REQ, key, 3, value, 1));
        // the response headers were passed on too (the module does not pause): read-only
        assertEquals(2, in(ADD, RESP, key, 3, value, 1));
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, in(GET_PAIRS, RESP, ptr, size));
        assertArrayEquals(pairs(":status", "200"), host.outData(ptr, size));
    }

    @Test
    void responseHeadersAreWritableInTheirOwnPhase() {
        onVm(
                host,
                () -> {
                    HttpContext ctx = stream.context();
                    ctx.markSent(MapType.HTTP_REQUEST_HEADERS);
                    ctx.responseHeaders(HeaderMap.of(":status", "200"));
                    ctx.phase(HttpContext.HttpPhase.RESPONSE_HEADERS);
                    return null;
                });
        int key = host.put("X-Resp");
        int value = host.put("yes");
        assertEquals(0, in(ADD, RESP, key, 6, value, 3));
        assertEquals(
                headers(":status", "200", "x-resp", "yes"), entries(MapType.HTTP_RESPONSE_HEADERS));
    }

    @Test
    void responseHeadersGoOutWhenTheResponseBodyContinues() {
        HeaderMap response = HeaderMap.of(":status", "200");
        onVm(
                host,
                () -> {
                    HttpContext ctx = stream.context();
                    ctx.markSent(MapType.HTTP_REQUEST_HEADERS);
                    ctx.responseHeaders(response); // arrived, paused by the filter: not passed on
                    ctx.phase(HttpContext.HttpPhase.RESPONSE_HEADERS);
                    return null;
                });
        int key = host.put("x-a");
        assertEquals(0, in(ADD, RESP, key, 3, key, 3));
        // The module has no proxy_on_response_body: the body continues, the headers go first.
        stream.responseBody("body".getBytes(java.nio.charset.StandardCharsets.UTF_8), true);
        assertEquals(2, in(ADD, RESP, key, 3, key, 3));
        assertEquals(
                "body",
                new String(
                        stream.takeForwardedResponseBody(),
                        java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void trailersAreTheirOwnMap() {
        onVm(
                host,
                () -> {
                    stream.context().requestTrailers(HeaderMap.of("grpc-status", "0"));
                    stream.context().phase(HttpContext.HttpPhase.REQUEST_TRAILERS);
                    return null;
                });
        int key = host.put("grpc-status");
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, in(GET, MapType.HTTP_REQUEST_TRAILERS.code(), key, 11, ptr, size));
        assertEquals("0", host.outString(ptr, size));
        assertEquals(1, in(GET, REQ, key, 11, ptr, size));
    }

    // ---- bad pointers: INVALID_MEMORY_ACCESS, never an exception ----

    @Test
    void keyOutsideMemoryIsInvalidMemoryAccess() {
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(6, in(GET, REQ, BAD_PTR, 100, ptr, size));
        assertEquals(6, in(ADD, REQ, 0x1FFF0, 0x20, host.put("v"), 1));
        assertEquals(6, in(REPLACE, REQ, BAD_PTR, 1, host.put("v"), 1));
        assertEquals(6, in(REMOVE, REQ, BAD_PTR, 1));
        assertEquals(4, entries(MapType.HTTP_REQUEST_HEADERS).size());
    }

    @Test
    void valueOutsideMemoryIsInvalidMemoryAccessAndChangesNothing() {
        int key = host.put("x-new");
        assertEquals(6, in(ADD, REQ, key, 5, BAD_PTR, 4));
        assertEquals(6, in(REPLACE, REQ, key, 5, BAD_PTR, 4));
        assertEquals(4, entries(MapType.HTTP_REQUEST_HEADERS).size());
    }

    @Test
    void outPointersOutsideMemoryAreInvalidMemoryAccess() {
        int key = host.put("host");
        int ok = host.slot();
        assertEquals(6, in(GET, REQ, key, 4, BAD_PTR, ok));
        assertEquals(6, in(GET, REQ, key, 4, ok, BAD_PTR));
        assertEquals(6, in(GET_PAIRS, REQ, BAD_PTR, ok));
        assertEquals(6, in(GET_PAIRS, REQ, ok, 0x1FFFE));
        assertEquals(6, in(SIZE, REQ, 0x1FFFE));
    }

    @Test
    void pairsOutsideMemoryAreInvalidMemoryAccessAndChangeNothing() {
        assertEquals(6, in(SET_PAIRS, REQ, 0x1FFF0, 0x100));
        assertEquals(6, in(SET_PAIRS, REQ, BAD_PTR, 0x20));
        assertEquals(4, entries(MapType.HTTP_REQUEST_HEADERS).size());
    }
}
