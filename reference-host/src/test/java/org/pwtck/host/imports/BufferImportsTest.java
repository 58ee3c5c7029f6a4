package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.host.testing.StreamTestSupport.onVm;
import static org.pwtck.host.testing.StreamTestSupport.sentinel;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.BufferType;
import org.pwtck.host.context.HttpContext;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.plugin.HttpStream;
import org.pwtck.host.testing.StreamTestSupport;
import org.pwtck.host.testing.TestHost;

/**
 * The buffer functions through the ABI on an HTTP stream in its request-body callback, whose body
 * holds {@code "hello world"}.
 */
class BufferImportsTest {
    static final AbiFunction GET = AbiFunction.PROXY_GET_BUFFER_BYTES;
    static final AbiFunction SET = AbiFunction.PROXY_SET_BUFFER_BYTES;
    static final AbiFunction STATUS = AbiFunction.PROXY_GET_BUFFER_STATUS;
    static final long BAD_PTR = 0xFFFFFFF0L;
    static final int BODY = BufferType.HTTP_REQUEST_BODY.code();

    private TestHost host;
    private HttpStream stream;

    @BeforeEach
    void start() {
        host = TestHost.passthrough(AbiVersion.V0_2_1, GET, SET, STATUS);
        stream =
                StreamTestSupport.httpStream(
                        host,
                        StreamListener.NONE,
                        ctx -> {
                            ctx.requestBodyBuffer().append(utf8("hello world"));
                            ctx.phase(HttpContext.HttpPhase.REQUEST_BODY);
                        });
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private int in(AbiFunction f, long... args) {
        return host.callIn(stream.contextId(), f, args);
    }

    private String body() {
        return new String(
                onVm(host, () -> stream.context().requestBodyBuffer().bytes()),
                StandardCharsets.UTF_8);
    }

    private String read(long start, long max) {
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, in(GET, BODY, start, max, ptr, size));
        assertArrayEquals(sentinel(12), host.read(ptr + 4, 12));
        assertArrayEquals(sentinel(12), host.read(size + 4, 12));
        return host.outString(ptr, size);
    }

    private int splice(long start, long size, String data) {
        int ptr = host.put(data);
        return in(SET, BODY, start, size, ptr, utf8(data).length);
    }

    // ---- get_buffer_bytes ----

    @Test
    void getReturnsTheWholeBody() {
        assertEquals("hello world", read(0, 11));
    }

    @Test
    void getClipsToTheEnd() {
        assertEquals("world", read(6, 100));
        assertEquals("hello", read(0, 5));
    }

    @Test
    void getFromTheEndOrPastItIsOkAndEmpty() {
        for (long start : new long[] {11, 12, 1000}) {
            int ptr = host.slot();
            int size = host.slot();
            assertEquals(0, in(GET, BODY, start, 5, ptr, size), "start " + start);
            assertEquals(0, host.u32(ptr));
            assertEquals(0, host.u32(size));
        }
    }

    @Test
    void getOfZeroBytesIsOkAndEmpty() {
        assertEquals("", read(3, 0));
    }

    @Test
    void getWithStartPlusMaxOverflowingIsBadArgument() {
        int ptr = host.slot();
        assertEquals(2, in(GET, BODY, 0xFFFFFFF0L, 0x20, ptr, ptr + 8));
        assertEquals(2, in(GET, BODY, 1, 0xFFFFFFFFL, ptr, ptr + 8));
        assertArrayEquals(sentinel(16), host.read(ptr, 16));
    }

    @Test
    void getWithOutPointersOutsideMemoryIsInvalidMemoryAccess() {
        int ok = host.slot();
        assertEquals(6, in(GET, BODY, 0, 11, BAD_PTR, ok));
        assertEquals(6, in(GET, BODY, 0, 11, ok, 0x1FFFE));
    }

    // ---- set_buffer_bytes: the spec's generic splice ----

    @Test
    void setAtZeroZeroPrepends() {
        assertEquals(0, splice(0, 0, ">> "));
        assertEquals(">> hello world", body());
    }

    @Test
    void setOverTheWholeLengthReplacesAll() {
        assertEquals(0, splice(0, 11, "bye"));
        assertEquals("bye", body());
    }

    @Test
    void setWithASizeBeyondTheEndReplacesToTheEnd() {
        assertEquals(0, splice(6, 1000, "there"));
        assertEquals("hello there", body());
    }

    @Test
    void setInTheMiddleSplices() {
        assertEquals(0, splice(6, 5, "wasm"));
        assertEquals("hello wasm", body());
        assertEquals(0, splice(5, 0, ","));
        assertEquals("hello, wasm", body());
        assertEquals(0, splice(0, 1, "J"));
        assertEquals("Jello, wasm", body());
    }

    @Test
    void setAtTheLengthAppends() {
        assertEquals(0, splice(11, 0, "!"));
        assertEquals("hello world!", body());
    }

    @Test
    void setWithEmptyDataDeletes() {
        assertEquals(0, in(SET, BODY, 5, 6, 0, 0));
        assertEquals("hello", body());
    }

    @Test
    void setPastTheEndIsBadArgumentAndChangesNothing() {
        assertEquals(2, splice(12, 0, "!"));
        assertEquals(2, splice(0xFFFFFFFFL, 1, "!"));
        assertEquals("hello world", body());
    }

    @Test
    void setWithDataOutsideMemoryIsInvalidMemoryAccessAndChangesNothing() {
        assertEquals(6, in(SET, BODY, 0, 0, BAD_PTR, 0x20));
        assertEquals(6, in(SET, BODY, 0, 0, 0x1FFF0, 0x100));
        assertEquals("hello world", body());
    }

    @Test
    void getSeesWhatSetWrote() {
        assertEquals(0, splice(0, 5, "HELLO"));
        assertEquals("HELLO world", read(0, 100));
    }

    // ---- get_buffer_status ----

    @Test
    void statusWritesTheLengthAndAZeroFlagsWordExactly() {
        int size = host.slot();
        int flags = host.slot();
        assertEquals(0, in(STATUS, BODY, size, flags));
        assertEquals(11, host.u32(size));
        assertEquals(0, host.u32(flags));
        assertArrayEquals(sentinel(12), host.read(size + 4, 12));
        assertArrayEquals(sentinel(12), host.read(flags + 4, 12));
    }

    @Test
    void statusFollowsASplice() {
        assertEquals(0, splice(11, 0, " and more"));
        int size = host.slot();
        int flags = host.slot();
        assertEquals(0, in(STATUS, BODY, size, flags));
        assertEquals(20, host.u32(size));
    }

    @Test
    void statusWithAPointerOutsideMemoryWritesNothing() {
        int ok = host.slot();
        assertEquals(6, in(STATUS, BODY, ok, BAD_PTR));
        assertEquals(6, in(STATUS, BODY, BAD_PTR, ok));
        assertArrayEquals(sentinel(16), host.read(ok, 16), "no half-written status");
    }

    // ---- bad types and unavailable buffers ----

    @Test
    void bufferType9IsBadArgumentBeforeMemoryIsTouched() {
        for (long type : new long[] {9, 100, 0xFFFFFFFFL}) {
            assertEquals(2, in(GET, type, 0, 10, BAD_PTR, BAD_PTR), "get " + type);
            assertEquals(2, in(SET, type, 0, 0, BAD_PTR, 10), "set " + type);
            assertEquals(2, in(STATUS, type, BAD_PTR, BAD_PTR), "status " + type);
        }
    }

    @Test
    void buffersThatAreNotThereAreNotFound() {
        int ptr = host.slot();
        int size = host.slot();
        int data = host.put("x");
        // response body in the request-body callback, L4 data on an HTTP stream, and the
        // callback-scoped buffers (call response, gRPC, configuration, FFI arguments) here.
        for (BufferType type :
                new BufferType[] {
                    BufferType.HTTP_RESPONSE_BODY,
                    BufferType.DOWNSTREAM_DATA,
                    BufferType.UPSTREAM_DATA,
                    BufferType.HTTP_CALL_RESPONSE_BODY,
                    BufferType.GRPC_RECEIVE_BUFFER,
                    BufferType.VM_CONFIGURATION,
                    BufferType.PLUGIN_CONFIGURATION,
                    BufferType.FOREIGN_FUNCTION_ARGUMENTS
                }) {
            assertEquals(1, in(GET, type.code(), 0, 10, ptr, size), "get " + type);
            assertEquals(1, in(SET, type.code(), 0, 0, data, 1), "set " + type);
            assertEquals(1, in(STATUS, type.code(), ptr, size), "status " + type);
        }
        assertArrayEquals(sentinel(16), host.read(ptr, 16));
        assertArrayEquals(sentinel(16), host.read(size, 16));
    }

    @Test
    void theRequestBodyIsNotFoundOutsideItsCallbacks() {
        onVm(
                host,
                () -> {
                    stream.context().phase(HttpContext.HttpPhase.REQUEST_HEADERS);
                    return null;
                });
        int ptr = host.slot();
        assertEquals(1, in(GET, BODY, 0, 10, ptr, ptr + 4));
        assertEquals(1, in(STATUS, BODY, ptr, ptr + 4));
        onVm(
                host,
                () -> {
                    stream.context().phase(HttpContext.HttpPhase.RESPONSE_HEADERS);
                    return null;
                });
        assertEquals(1, in(GET, BODY, 0, 10, ptr, ptr + 4));
    }

    @Test
    void aRootContextHasNoBodies() {
        int ptr = host.slot();
        assertEquals(1, host.call(GET, BODY, 0, 10, ptr, ptr + 4));
        assertEquals(1, host.call(STATUS, BufferType.DOWNSTREAM_DATA.code(), ptr, ptr + 4));
    }
}
