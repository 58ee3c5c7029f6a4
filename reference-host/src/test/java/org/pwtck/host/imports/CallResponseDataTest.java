package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.host.testing.StreamTestSupport.onVm;
import static org.pwtck.host.testing.StreamTestSupport.pairs;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Header;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.Upstreams;
import org.pwtck.host.testing.TestHost;
import org.pwtck.host.testing.Wat;

/**
 * The HTTP call response maps (6, 7) and body (4): readable only inside {@code
 * proxy_on_http_call_response}, and read-only there. The module's callback makes every call once
 * and stores each status (and out-values) at fixed addresses the test reads afterwards.
 */
class CallResponseDataTest {
    static final AbiFunction[] FUNCTIONS = {
        AbiFunction.PROXY_GET_HEADER_MAP_SIZE,
        AbiFunction.PROXY_GET_HEADER_MAP_PAIRS,
        AbiFunction.PROXY_SET_HEADER_MAP_PAIRS,
        AbiFunction.PROXY_GET_HEADER_MAP_VALUE,
        AbiFunction.PROXY_ADD_HEADER_MAP_VALUE,
        AbiFunction.PROXY_REPLACE_HEADER_MAP_VALUE,
        AbiFunction.PROXY_REMOVE_HEADER_MAP_VALUE,
        AbiFunction.PROXY_GET_BUFFER_BYTES,
        AbiFunction.PROXY_SET_BUFFER_BYTES,
        AbiFunction.PROXY_GET_BUFFER_STATUS,
    };

    /** Statuses, one i32 each, in the order the callback makes the calls. */
    static final int STATUS = 0x7800;

    /** Out-values: (ptr, size) pairs and sizes. */
    static final int OUT = 0x7900;

    static final String CALLBACK =
            """
              (data (i32.const 0x7000) ":status")
              (data (i32.const 0x7010) "new")
              (func (export "proxy_on_http_call_response")
                  (param $ctx i32) (param $token i32) (param $nh i32) (param $nb i32) (param $nt i32)
                (i32.store (i32.const 0x7800)
                  (call $proxy_get_header_map_pairs (i32.const 6) (i32.const 0x7900) (i32.const 0x7904)))
                (i32.store (i32.const 0x7804)
                  (call $proxy_get_header_map_value
                    (i32.const 6) (i32.const 0x7000) (i32.const 7) (i32.const 0x7908) (i32.const 0x790c)))
                (i32.store (i32.const 0x7808)
                  (call $proxy_get_header_map_size (i32.const 7) (i32.const 0x7910)))
                (i32.store (i32.const 0x780c)
                  (call $proxy_add_header_map_value
                    (i32.const 6) (i32.const 0x7000) (i32.const 7) (i32.const 0x7010) (i32.const 3)))
                (i32.store (i32.const 0x7810)
                  (call $proxy_replace_header_map_value
                    (i32.const 6) (i32.const 0x7000) (i32.const 7) (i32.const 0x7010) (i32.const 3)))
                (i32.store (i32.const 0x7814)
                  (call $proxy_remove_header_map_value (i32.const 7) (i32.const 0x7000) (i32.const 7)))
                (i32.store (i32.const 0x7818)
                  (call $proxy_set_header_map_pairs (i32.const 6) (i32.const 0x7020) (i32.const 4)))
                (i32.store (i32.const 0x781c)
                  (call $proxy_get_header_map_pairs (i32.const 6) (i32.const 0x7914) (i32.const 0x7918)))
                (i32.store (i32.const 0x7820)
                  (call $proxy_get_buffer_bytes
                    (i32.const 4) (i32.const 0) (i32.const 100) (i32.const 0x791c) (i32.const 0x7920)))
                (i32.store (i32.const 0x7824)
                  (call $proxy_set_buffer_bytes
                    (i32.const 4) (i32.const 0) (i32.const 0) (i32.const 0x7010) (i32.const 3)))
                (i32.store (i32.const 0x7828)
                  (call $proxy_get_buffer_status (i32.const 4) (i32.const 0x7924) (i32.const 0x7928)))
                (i32.store (i32.const 0x782c)
                  (call $proxy_get_header_map_pairs (i32.const 0) (i32.const 0x792c) (i32.const 0x7930)))
                (i32.store (i32.const 0x7830)
                  (call $proxy_get_buffer_bytes
                    (i32.const 1) (i32.const 0) (i32.const 100) (i32.const 0x7934) (i32.const 0x7938))))
            """;

    static final List<Header> HEADERS =
            List.of(Header.of(":status", "200"), Header.of("content-type", "text/plain"));
    static final List<Header> TRAILERS = List.of(Header.of("x-trailer", "über"));
    static final byte[] BODY = "response body".getBytes(StandardCharsets.UTF_8);

    private TestHost host;

    @BeforeEach
    void start() {
        String body = Wat.imports(FUNCTIONS) + Wat.exports(FUNCTIONS) + CALLBACK;
        host =
                TestHost.start(
                        Wat.compile(Wat.module(AbiVersion.V0_2_1, body)), HostServices.inMemory());
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private void deliver() {
        onVm(
                host,
                () -> {
                    // Token 1 must be a call in flight, or the delivery is dropped as stale.
                    host.vm.rootContext().callMadeBy(1, host.vm.rootContext().id());
                    host.vm.httpCallResponse(
                            host.vm.rootContext(),
                            1,
                            Upstreams.HttpCallResult.response(HEADERS, BODY, TRAILERS));
                    return null;
                });
    }

    private long status(int index) {
        return host.u32(STATUS + 4L * index);
    }

    @Test
    void mapsAreReadableInsideTheCallback() {
        deliver();
        assertEquals(0, status(0));
        assertArrayEquals(
                pairs(":status", "200", "content-type", "text/plain"), host.outData(OUT, OUT + 4));
        assertEquals(0, status(1));
        assertEquals("200", host.outString(OUT + 8, OUT + 12));
        assertEquals(0, status(2));
        assertEquals(pairs("x-trailer", "über").length, host.u32(OUT + 0x10));
    }

    @Test
    void mapsAreReadOnlyInsideTheCallback() {
        deliver();
        assertEquals(2, status(3), "add");
        assertEquals(2, status(4), "replace");
        assertEquals(2, status(5), "remove");
        assertEquals(2, status(6), "set pairs");
        assertEquals(0, status(7));
        assertArrayEquals(
                pairs(":status", "200", "content-type", "text/plain"),
                host.outData(OUT + 0x14, OUT + 0x18),
                "the map is unchanged after the refused writes");
    }

    @Test
    void bodyIsReadableAndReadOnlyInsideTheCallback() {
        deliver();
        assertEquals(0, status(8));
        assertArrayEquals(BODY, host.outData(OUT + 0x1c, OUT + 0x20));
        assertEquals(2, status(9), "set_buffer_bytes on the call response body");
        assertEquals(0, status(10));
        assertEquals(BODY.length, host.u32(OUT + 0x24));
        assertEquals(0, host.u32(OUT + 0x28));
    }

    @Test
    void theRootContextHasNoStreamDataInTheCallback() {
        deliver();
        assertEquals(0, status(11));
        assertEquals(0, host.u32(OUT + 0x30), "request headers pairs are empty");
        assertEquals(1, status(12), "response body is NOT_FOUND");
    }

    @Test
    void outsideTheCallbackTheCallResponseIsGone() {
        deliver();
        int key = host.put(":status");
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, host.call(AbiFunction.PROXY_GET_HEADER_MAP_PAIRS, 6, ptr, size));
        assertEquals(0, host.u32(ptr));
        assertEquals(0, host.u32(size));
        assertEquals(2, host.call(AbiFunction.PROXY_GET_HEADER_MAP_VALUE, 6, key, 7, ptr, size));
        assertEquals(2, host.call(AbiFunction.PROXY_GET_HEADER_MAP_SIZE, 7, ptr));
        assertEquals(1, host.call(AbiFunction.PROXY_GET_BUFFER_BYTES, 4, 0, 10, ptr, size));
        assertEquals(1, host.call(AbiFunction.PROXY_GET_BUFFER_STATUS, 4, ptr, size));
    }
}
