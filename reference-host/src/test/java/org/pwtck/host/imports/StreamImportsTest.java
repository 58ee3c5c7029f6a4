package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.pwtck.host.testing.StreamTestSupport.onVm;
import static org.pwtck.host.testing.StreamTestSupport.pairs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Action;
import org.pwtck.host.abi.Header;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.LocalResponse;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.plugin.HttpStream;
import org.pwtck.host.plugin.TcpStream;
import org.pwtck.host.testing.StreamTestSupport.RecordingListener;
import org.pwtck.host.testing.TestHost;
import org.pwtck.host.testing.Wat;

/**
 * Stream control and local responses. The module has pass-through exports plus stream callbacks
 * whose behaviour the test picks by writing control words at 0x7f00 and up; the callbacks store
 * what they saw at 0x7800 and up.
 */
class StreamImportsTest {
    static final AbiFunction CONTINUE = AbiFunction.PROXY_CONTINUE_STREAM;
    static final AbiFunction CLOSE = AbiFunction.PROXY_CLOSE_STREAM;
    static final AbiFunction LOCAL = AbiFunction.PROXY_SEND_LOCAL_RESPONSE;
    static final AbiFunction ADD = AbiFunction.PROXY_ADD_HEADER_MAP_VALUE;
    static final AbiFunction[] FUNCTIONS = {CONTINUE, CLOSE, LOCAL, ADD, AbiFunction.PROXY_LOG};
    static final long BAD_PTR = 0xFFFFFFF0L;

    /** Control words. */
    static final int SEND_IN_REQUEST_HEADERS = 0x7f00;

    static final int REQUEST_HEADERS_RESULT = 0x7f04;
    static final int SEND_IN_RESPONSE_HEADERS = 0x7f08;
    static final int REQUEST_BODY_RESULT = 0x7f14;

    static final String CALLBACKS =
            """
              (data (i32.const 0x7000) "after")
              (data (i32.const 0x7010) "denied")
              (data (i32.const 0x7020) "x-log")
              (func (export "continue_then_log") (param $t i32) (result i32)
                (local $s i32)
                (local.set $s (call $proxy_continue_stream (local.get $t)))
                (drop (call $proxy_log (i32.const 2) (i32.const 0x7000) (i32.const 5)))
                (local.get $s))
              (func (export "close_then_log") (param $t i32) (result i32)
                (local $s i32)
                (local.set $s (call $proxy_close_stream (local.get $t)))
                (drop (call $proxy_log (i32.const 2) (i32.const 0x7000) (i32.const 5)))
                (local.get $s))
              (func (export "local_response_then_log") (result i32)
                (local $s i32)
                (local.set $s (call $proxy_send_local_response (i32.const 418)
                  (i32.const 0x7010) (i32.const 6) (i32.const 0) (i32.const 0)
                  (i32.const 0) (i32.const 0) (i32.const -1)))
                (drop (call $proxy_log (i32.const 2) (i32.const 0x7000) (i32.const 5)))
                (local.get $s))
              (func (export "proxy_on_request_headers")
                  (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
                (i32.store (i32.const 0x7800) (local.get $n))
                (i32.store (i32.const 0x7804) (local.get $eos))
                (if (i32.load (i32.const 0x7f00))
                  (then (i32.store (i32.const 0x7808)
                    (call $proxy_send_local_response (i32.const 401)
                      (i32.const 0x7010) (i32.const 6) (i32.const 0) (i32.const 0)
                      (i32.const 0) (i32.const 0) (i32.const -1)))))
                (i32.load (i32.const 0x7f04)))
              (func (export "proxy_on_response_headers")
                  (param $ctx i32) (param $n i32) (param $eos i32) (result i32)
                (i32.store (i32.const 0x7810) (local.get $n))
                (i32.store (i32.const 0x7814) (local.get $eos))
                (if (i32.load (i32.const 0x7f08))
                  (then (i32.store (i32.const 0x7818)
                    (call $proxy_send_local_response (i32.const 500)
                      (i32.const 0x7010) (i32.const 6) (i32.const 0) (i32.const 0)
                      (i32.const 0) (i32.const 0) (i32.const -1)))))
                (i32.const 0))
              (func (export "proxy_on_request_body")
                  (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
                (i32.load (i32.const 0x7f14)))
              (func (export "proxy_on_log") (param $ctx i32)
                (i32.store (i32.const 0x7820)
                  (call $proxy_add_header_map_value (i32.const 0)
                    (i32.const 0x7020) (i32.const 5) (i32.const 0x7020) (i32.const 5))))
            """;

    private TestHost host;
    private RecordingListener listener;
    private HttpStream stream;

    /** For each delivery: had the guest already logged "after" (i.e. returned from the call)? */
    private final List<Boolean> deliveredAfterTheCall =
            Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        String body = Wat.imports(FUNCTIONS) + Wat.exports(FUNCTIONS) + CALLBACKS;
        host =
                TestHost.start(
                        Wat.compile(Wat.module(AbiVersion.V0_2_1, body)), HostServices.inMemory());
        listener =
                new RecordingListener(
                        () ->
                                deliveredAfterTheCall.add(
                                        host.logs.stream()
                                                .anyMatch(l -> l.message().equals("after"))));
        stream = host.vm.newHttpStream(listener, StreamInfo.local());
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private void poke(int address, int value) {
        onVm(
                host,
                () -> {
                    host.vm.memory().writeU32(address, value);
                    return null;
                });
    }

    private int in(AbiFunction f, long... args) {
        return host.callIn(stream.contextId(), f, args);
    }

    private long invoke(String export, long... args) {
        return host.vm.invokeAsCallback(export, stream.contextId(), args);
    }

    private Optional<LocalResponse> local() {
        return stream.localResponse();
    }

    private int sendLocal(int status, String details, String body, byte[] headers, long grpc) {
        int d = host.put(details);
        int b = host.put(body);
        int h = host.put(headers);
        return in(
                LOCAL,
                status,
                d,
                details.getBytes(StandardCharsets.UTF_8).length,
                b,
                body.getBytes(StandardCharsets.UTF_8).length,
                h,
                headers.length,
                grpc);
    }

    // ---- continue / close ----

    @Test
    void continueStreamIsDeliveredAfterTheCallbackReturns() {
        assertEquals(0, invoke("continue_then_log", 0));
        assertEquals(List.of("continue HTTP_REQUEST"), listener.events);
        assertEquals(List.of(true), deliveredAfterTheCall);
    }

    @Test
    void closeStreamIsDeliveredAfterTheCallbackReturns() {
        assertEquals(0, invoke("close_then_log", 1));
        assertEquals(List.of("close HTTP_RESPONSE"), listener.events);
        assertEquals(List.of(true), deliveredAfterTheCall);
    }

    @Test
    void eachCallIsDeliveredOnceInOrder() {
        assertEquals(0, in(CONTINUE, 1));
        assertEquals(0, in(CLOSE, 0));
        assertEquals(List.of("continue HTTP_RESPONSE", "close HTTP_REQUEST"), listener.events);
    }

    @Test
    void streamType4IsBadArgument() {
        for (long type : new long[] {4, 100, 0xFFFFFFFFL}) {
            assertEquals(2, in(CONTINUE, type), "continue " + type);
            assertEquals(2, in(CLOSE, type), "close " + type);
            assertEquals(2, host.call(CONTINUE, type), "continue from root " + type);
        }
        assertEquals(List.of(), listener.events);
    }

    @Test
    void tcpStreamTypesOnAnHttpStreamAreBadArgument() {
        for (long type : new long[] {2, 3}) {
            assertEquals(2, in(CONTINUE, type), "continue " + type);
            assertEquals(2, in(CLOSE, type), "close " + type);
        }
        assertEquals(List.of(), listener.events);
    }

    @Test
    void fromARootContextItIsNotFound() {
        for (long type = 0; type <= 3; type++) {
            assertEquals(1, host.call(CONTINUE, type), "continue " + type);
            assertEquals(1, host.call(CLOSE, type), "close " + type);
        }
        assertEquals(List.of(), listener.events);
    }

    @Test
    void onATcpStreamDownstreamAndUpstreamWork() {
        RecordingListener tcpEvents = new RecordingListener();
        TcpStream tcp = host.vm.newTcpStream(tcpEvents, StreamInfo.local());
        assertEquals(0, host.callIn(tcp.contextId(), CONTINUE, 2));
        assertEquals(0, host.callIn(tcp.contextId(), CLOSE, 3));
        assertEquals(2, host.callIn(tcp.contextId(), CONTINUE, 0));
        assertEquals(2, host.callIn(tcp.contextId(), CLOSE, 1));
        assertEquals(List.of("continue DOWNSTREAM", "close UPSTREAM"), tcpEvents.events);
    }

    @Test
    void continuingTheRequestPassesOnPausedHeaders() {
        poke(REQUEST_HEADERS_RESULT, 1);
        assertEquals(Action.PAUSE, stream.requestHeaders(HeaderMap.of("host", "h"), false));
        int key = host.put("x-a");
        assertEquals(0, in(ADD, 0, key, 3, key, 3), "paused headers are still writable");
        assertEquals(0, in(CONTINUE, 0));
        assertEquals(2, in(ADD, 0, key, 3, key, 3), "passed on: read-only");
        assertEquals(List.of("continue HTTP_REQUEST"), listener.events);
    }

    // ---- headers callbacks ----

    @Test
    void headersCallbacksGetCountAndEndOfStream() {
        stream.requestHeaders(HeaderMap.of(":path", "/", ":method", "GET", "host", "h"), true);
        assertEquals(3, host.u32(0x7800));
        assertEquals(1, host.u32(0x7804));
        stream.responseHeaders(HeaderMap.of(":status", "200", "x-a", "1"), false);
        assertEquals(2, host.u32(0x7810));
        assertEquals(0, host.u32(0x7814));
    }

    @Test
    void continuingTheBodyPassesOnPausedHeaders() {
        poke(REQUEST_HEADERS_RESULT, 1);
        assertEquals(Action.PAUSE, stream.requestHeaders(HeaderMap.of("host", "h"), false));
        assertEquals(Action.CONTINUE, stream.requestBody("x".getBytes(), true));
        int key = host.put("x-a");
        assertEquals(
                2,
                in(ADD, 0, key, 3, key, 3),
                "the headers went out ahead of the body: no longer writable");
    }

    @Test
    void requestHeadersAreReadOnlyInOnLog() {
        poke(REQUEST_HEADERS_RESULT, 1);
        stream.requestHeaders(HeaderMap.of("host", "h"), false);
        stream.complete();
        assertEquals(2, host.u32(0x7820));
    }

    // ---- send_local_response ----

    @Test
    void localResponseIsStoredWithEveryField() {
        byte[] headers = pairs("x-why", "policy", "content-type", "text/plain");
        assertEquals(0, sendLocal(403, "access denied", "forbidden ✗", headers, 7));
        LocalResponse r = local().orElseThrow();
        assertEquals(403, r.statusCode());
        assertEquals("access denied", r.details());
        assertArrayEquals("forbidden ✗".getBytes(StandardCharsets.UTF_8), r.body());
        assertEquals(
                List.of(Header.of("x-why", "policy"), Header.of("content-type", "text/plain")),
                r.headers());
        assertEquals(7, r.grpcStatus());
        assertEquals(1, listener.localResponses.size());
        assertSame(r, listener.localResponses.get(0));
    }

    @Test
    void localResponseIsDeliveredAfterTheCallbackReturns() {
        assertEquals(0, invoke("local_response_then_log"));
        assertEquals(List.of("local response 418"), listener.events);
        assertEquals(List.of(true), deliveredAfterTheCall);
        assertEquals("denied", local().orElseThrow().details());
        assertEquals(-1, local().orElseThrow().grpcStatus());
    }

    @Test
    void grpcStatusOutsideZeroToSixteenIsMinusOne() {
        long[][] cases = {
            {-1, -1}, {0xFFFFFFFFL, -1}, {17, -1}, {0x7FFFFFFF, -1}, {0, 0}, {16, 16}
        };
        for (long[] c : cases) {
            HttpStream s = host.vm.newHttpStream(new RecordingListener(), StreamInfo.local());
            int d = host.put("d");
            assertEquals(0, host.callIn(s.contextId(), LOCAL, 200, d, 1, 0, 0, 0, 0, c[0]));
            assertEquals(c[1], s.localResponse().orElseThrow().grpcStatus(), "grpc " + c[0]);
        }
    }

    @Test
    void localResponseForcesTheCallbackToPause() {
        poke(SEND_IN_REQUEST_HEADERS, 1);
        poke(REQUEST_HEADERS_RESULT, 0); // the module says CONTINUE
        assertEquals(Action.PAUSE, stream.requestHeaders(HeaderMap.of("host", "h"), true));
        assertEquals(0, host.u32(0x7808));
        assertEquals(List.of("local response 401"), listener.events);
        int key = host.put("x-a");
        assertEquals(0, in(ADD, 0, key, 3, key, 3), "paused: the request headers were not sent");
    }

    @Test
    void aSecondLocalResponseIsBadArgument() {
        assertEquals(0, sendLocal(403, "first", "", new byte[0], -1));
        assertEquals(2, sendLocal(500, "second", "", new byte[0], -1));
        assertEquals("first", local().orElseThrow().details());
        assertEquals(List.of("local response 403"), listener.events);
    }

    @Test
    void localResponseAfterResponseHeadersWerePassedOnIsBadArgument() {
        stream.requestHeaders(HeaderMap.of("host", "h"), true);
        stream.responseHeaders(HeaderMap.of(":status", "200"), false); // CONTINUE: passed on
        assertEquals(2, sendLocal(500, "late", "", new byte[0], -1));
        assertEquals(Optional.empty(), local());
        assertEquals(List.of(), listener.events);
    }

    @Test
    void localResponseInOnResponseHeadersIsAllowed() {
        poke(SEND_IN_RESPONSE_HEADERS, 1);
        stream.requestHeaders(HeaderMap.of("host", "h"), true);
        assertEquals(Action.PAUSE, stream.responseHeaders(HeaderMap.of(":status", "200"), false));
        assertEquals(0, host.u32(0x7818));
        assertEquals(500, local().orElseThrow().statusCode());
    }

    @Test
    void localResponseFromARootContextIsBadArgument() {
        int d = host.put("d");
        assertEquals(2, host.call(LOCAL, 403, d, 1, 0, 0, 0, 0, -1));
        assertEquals(Optional.empty(), local());
        assertEquals(List.of(), listener.events);
    }

    @Test
    void localResponseWithMalformedHeadersIsBadArgument() {
        byte[] good = pairs("x-a", "1");
        byte[] malformed = java.util.Arrays.copyOf(good, good.length + 2);
        assertEquals(2, sendLocal(403, "d", "b", malformed, -1));
        assertEquals(Optional.empty(), local());
        assertEquals(List.of(), listener.events);
    }

    @Test
    void localResponseWithBadPointersIsInvalidMemoryAccess() {
        int ok = host.put("ok");
        assertEquals(6, in(LOCAL, 403, BAD_PTR, 4, ok, 2, 0, 0, -1), "details");
        assertEquals(6, in(LOCAL, 403, ok, 2, 0x1FFF0, 0x100, 0, 0, -1), "body");
        assertEquals(6, in(LOCAL, 403, ok, 2, ok, 2, BAD_PTR, 20, -1), "headers");
        assertEquals(Optional.empty(), local());
        assertEquals(List.of(), listener.events);
    }
}
