package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.pwtck.host.imports.SharedDataImportsTest.sentinel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.BufferType;
import org.pwtck.host.abi.Callback;
import org.pwtck.host.abi.Header;
import org.pwtck.host.abi.HeaderPairsCodec;
import org.pwtck.host.abi.MapType;
import org.pwtck.host.abi.Status;
import org.pwtck.host.abi.StreamType;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.context.Upstreams;
import org.pwtck.host.plugin.HttpStream;
import org.pwtck.host.testing.TestHost;

class HttpCallImportsTest {
    private static final AbiFunction HTTP_CALL = AbiFunction.PROXY_HTTP_CALL;
    private static final long OUTSIDE = 0x1FFF0;

    /** Probes: 0 map 6, 1 map 7, 2 buffer 4, 3 get_status, 4 set_effective_context + continue. */
    static final byte[] WASM =
            RecordingModule.module(
                    List.of(HTTP_CALL),
                    RecordingModule.callback(
                            Callback.PROXY_ON_HTTP_CALL_RESPONSE,
                            RecordingModule.map(MapType.HTTP_CALL_RESPONSE_HEADERS),
                            RecordingModule.map(MapType.HTTP_CALL_RESPONSE_TRAILERS),
                            RecordingModule.buffer(BufferType.HTTP_CALL_RESPONSE_BODY),
                            RecordingModule.status(),
                            RecordingModule.continueAs()));

    private FakeUpstreams upstreams;
    private TestHost host;
    private final List<StreamType> continued = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() {
        upstreams = new FakeUpstreams("backend");
        host = TestHost.start(WASM, HostServices.inMemory().withUpstreams(upstreams));
    }

    @AfterEach
    void stop() {
        host.close();
        upstreams.close();
    }

    private static List<Header> headers(String... namesAndValues) {
        List<Header> out = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.add(Header.of(namesAndValues[i], namesAndValues[i + 1]));
        }
        return out;
    }

    private static final List<Header> REQUEST =
            headers(":method", "POST", ":path", "/check", ":authority", "backend.local");

    /** Makes the call in a context; returns {status, tokenSlot}. */
    private int[] call(int context, String cluster, byte[] headers, byte[] body, long timeout) {
        int c = host.put(cluster);
        int h = host.put(headers);
        int b = body.length == 0 ? 0 : host.put(body);
        byte[] trailers = HeaderPairsCodec.encode(headers("t", "1"));
        int t = host.put(trailers);
        int token = host.slot();
        int status =
                host.callIn(
                        context,
                        HTTP_CALL,
                        c,
                        cluster.length(),
                        h,
                        headers.length,
                        b,
                        body.length,
                        t,
                        trailers.length,
                        timeout,
                        token);
        return new int[] {status, token};
    }

    private int[] call(int context) {
        return call(context, "backend", HeaderPairsCodec.encode(REQUEST), utf8("ping"), 5000);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private RecordingModule.Event onlyEvent() {
        host.vm.drain();
        List<RecordingModule.Event> events = RecordingModule.events(host);
        assertEquals(1, events.size(), events.toString());
        assertEquals(Callback.PROXY_ON_HTTP_CALL_RESPONSE, events.get(0).callback());
        return events.get(0);
    }

    private String statusMessage(RecordingModule.Event e) {
        int size = e.probe(3, 3);
        return size == 0 ? "" : new String(host.read(Integer.toUnsignedLong(e.probe(3, 2)), size));
    }

    @Test
    void callIsSentAndTheResponseIsDeliveredToTheRootContext() {
        int[] made = call(host.root());
        assertEquals(0, made[0]);
        long token = host.u32(made[1]);
        assertNotEquals(0, token);
        assertArrayEquals(sentinel(12), host.read(made[1] + 4, 12), "token is a u32");

        assertEquals(1, upstreams.httpCalls.size());
        FakeUpstreams.HttpCall sent = upstreams.httpCalls.get(0);
        assertEquals("backend", sent.cluster());
        assertEquals(REQUEST, sent.request().headers());
        assertArrayEquals(utf8("ping"), sent.request().body());
        assertEquals(headers("t", "1"), sent.request().trailers());
        assertEquals(Duration.ofMillis(5000), sent.timeout());

        List<Header> respHeaders = headers(":status", "200", "x-a", "b");
        List<Header> respTrailers = headers("grpc-ish", "1");
        upstreams.respond(
                0, Upstreams.HttpCallResult.response(respHeaders, utf8("pong!"), respTrailers));
        RecordingModule.Event e = onlyEvent();
        assertArrayEquals(new int[] {host.root(), (int) token, 2, 5, 1}, e.args());
        assertEquals(0, e.probe(0, 0));
        assertArrayEquals(
                HeaderPairsCodec.encode(respHeaders), RecordingModule.probeData(host, e, 0));
        assertEquals(0, e.probe(1, 0));
        assertArrayEquals(
                HeaderPairsCodec.encode(respTrailers), RecordingModule.probeData(host, e, 1));
        assertEquals(0, e.probe(2, 0));
        assertArrayEquals(utf8("pong!"), RecordingModule.probeData(host, e, 2));
        assertEquals(0, e.probe(3, 0));
        assertEquals(0, e.probe(3, 1), "proxy_get_status code after a response");
        assertEquals("", statusMessage(e));
    }

    @Test
    void responseDataIsGoneAfterTheCallback() {
        assertEquals(0, call(host.root())[0]);
        upstreams.respond(
                0,
                Upstreams.HttpCallResult.response(headers(":status", "200"), utf8("x"), List.of()));
        onlyEvent();
        int p = host.slot();
        int s = host.slot();
        assertEquals(
                Status.NOT_FOUND.code(),
                host.call(
                        AbiFunction.PROXY_GET_BUFFER_BYTES,
                        BufferType.HTTP_CALL_RESPONSE_BODY.code(),
                        0,
                        10,
                        p,
                        s));
        int code = host.slot();
        assertEquals(0, host.call(AbiFunction.PROXY_GET_STATUS, code, p, s));
        assertEquals(0, host.u32(code));
    }

    @Test
    void callFromAStreamIsAnsweredOnTheRootAndCanActOnTheStream() {
        HttpStream stream =
                host.vm.newHttpStream(
                        new StreamListener() {
                            @Override
                            public void onContinue(StreamType type) {
                                continued.add(type);
                            }
                        },
                        StreamInfo.local());
        int[] made = call(stream.contextId());
        assertEquals(0, made[0]);
        RecordingModule.target(host, stream.contextId());
        upstreams.respond(
                0,
                Upstreams.HttpCallResult.response(
                        headers(":status", "200"), new byte[0], List.of()));
        RecordingModule.Event e = onlyEvent();
        assertEquals(host.root(), e.args()[0], "delivered with the ROOT context id");
        assertEquals((int) host.u32(made[1]), e.args()[1]);
        assertEquals(0, e.probe(4, 0), "set_effective_context(stream)");
        assertEquals(0, e.probe(4, 1), "continue_stream on the stream");
        host.vm.drain();
        assertEquals(List.of(StreamType.HTTP_REQUEST), continued);
    }

    @Test
    void effectiveContextOfAnUnknownIdIsBadArgument() {
        assertEquals(0, call(host.root())[0]);
        RecordingModule.target(host, 999);
        upstreams.respond(
                0,
                Upstreams.HttpCallResult.response(
                        headers(":status", "200"), new byte[0], List.of()));
        RecordingModule.Event e = onlyEvent();
        assertEquals(Status.BAD_ARGUMENT.code(), e.probe(4, 0));
        assertEquals(
                Status.NOT_FOUND.code(), e.probe(4, 1), "still the root: no stream to continue");
    }

    @Test
    void unknownClusterIsBadArgumentAndSendsNothing() {
        int[] made = call(host.root(), "nowhere", HeaderPairsCodec.encode(REQUEST), new byte[0], 0);
        assertEquals(Status.BAD_ARGUMENT.code(), made[0]);
        assertEquals(0, upstreams.httpCalls.size());
        assertArrayEquals(sentinel(16), host.read(made[1], 16));
    }

    @Test
    void missingPseudoHeadersAreBadArgument() {
        for (String missing : List.of(":method", ":path", ":authority")) {
            List<Header> h = new ArrayList<>(REQUEST);
            h.removeIf(x -> x.nameString().equals(missing));
            int[] made = call(host.root(), "backend", HeaderPairsCodec.encode(h), new byte[0], 0);
            assertEquals(Status.BAD_ARGUMENT.code(), made[0], "without " + missing);
            assertArrayEquals(sentinel(16), host.read(made[1], 16));
        }
        assertEquals(0, upstreams.httpCalls.size());
    }

    @Test
    void malformedHeadersAreBadArgument() {
        byte[] truncated = {2, 0, 0, 0, 5, 0, 0, 0};
        int[] made = call(host.root(), "backend", truncated, new byte[0], 0);
        assertEquals(Status.BAD_ARGUMENT.code(), made[0]);
        assertEquals(0, upstreams.httpCalls.size());
    }

    @Test
    void badTokenPointerIsInvalidMemoryAccessBeforeAnythingIsSent() {
        int c = host.put("backend");
        byte[] hdrs = HeaderPairsCodec.encode(REQUEST);
        int h = host.put(hdrs);
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(),
                host.call(HTTP_CALL, c, 7, h, hdrs.length, 0, 0, 0, 0, 1000, OUTSIDE + 14));
        assertEquals(0, upstreams.httpCalls.size(), "the fake must see no request");
    }

    @Test
    void badArgumentPointersAreInvalidMemoryAccess() {
        int c = host.put("backend");
        byte[] hdrs = HeaderPairsCodec.encode(REQUEST);
        int h = host.put(hdrs);
        int token = host.slot();
        long[][] cases = {
            {OUTSIDE, 0x100, h, hdrs.length, 0, 0, 0, 0},
            {c, 7, OUTSIDE, 0x100, 0, 0, 0, 0},
            {c, 7, h, hdrs.length, OUTSIDE, 0x100, 0, 0},
            {c, 7, h, hdrs.length, 0, 0, OUTSIDE, 0x100},
        };
        for (long[] a : cases) {
            assertEquals(
                    Status.INVALID_MEMORY_ACCESS.code(),
                    host.call(HTTP_CALL, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], 0, token));
        }
        assertEquals(0, upstreams.httpCalls.size());
        assertArrayEquals(sentinel(16), host.read(token, 16));
    }

    @Test
    void upstreamThrowingIsInternalFailureAndNoCallbackFollows() {
        upstreams.failWith = new IllegalStateException("connection pool exhausted");
        int[] made = call(host.root());
        assertEquals(Status.INTERNAL_FAILURE.code(), made[0]);
        assertArrayEquals(sentinel(16), host.read(made[1], 16));
        host.vm.drain();
        assertEquals(0, RecordingModule.events(host).size());
    }

    @Test
    void failuresAreDeliveredWithNoHeadersAndBrokenConnectionStatus() {
        Upstreams.FailureKind[] kinds = Upstreams.FailureKind.values();
        String[] messages = new String[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            messages[i] =
                    switch (kinds[i]) {
                        case RESET -> "reset";
                        case TIMEOUT -> "timeout";
                        case CONNECT_FAILURE -> "connect failure";
                    };
        }
        for (int i = 0; i < kinds.length; i++) {
            int[] made = call(host.root());
            assertEquals(0, made[0]);
            upstreams.respond(i, Upstreams.HttpCallResult.failed(kinds[i]));
            host.vm.drain();
            List<RecordingModule.Event> events = RecordingModule.events(host);
            assertEquals(i + 1, events.size());
            RecordingModule.Event e = events.get(i);
            assertArrayEquals(new int[] {host.root(), (int) host.u32(made[1]), 0, 0, 0}, e.args());
            assertEquals(Status.BROKEN_CONNECTION.code(), e.probe(3, 1), kinds[i].toString());
            assertEquals(messages[i], statusMessage(e));
            assertEquals(0, e.probe(2, 0), "the body buffer exists and is empty");
            assertEquals(0, e.probe(2, 2));
        }
    }

    @Test
    void aResponseAfterAFailureResetsTheStatus() {
        call(host.root());
        call(host.root());
        upstreams.respond(0, Upstreams.HttpCallResult.failed(Upstreams.FailureKind.RESET));
        upstreams.respond(
                1,
                Upstreams.HttpCallResult.response(
                        headers(":status", "503"), new byte[0], List.of()));
        host.vm.drain();
        List<RecordingModule.Event> events = RecordingModule.events(host);
        assertEquals(2, events.size());
        assertEquals(11, events.get(0).probe(3, 1));
        assertEquals(0, events.get(1).probe(3, 1));
        assertEquals(0, events.get(1).probe(3, 3), "empty message");
    }

    @Test
    void concurrentCallsGetDistinctTokensAndAnswersInAnyOrder() {
        long t1 = host.u32(call(host.root())[1]);
        long t2 = host.u32(call(host.root())[1]);
        assertNotEquals(t1, t2);
        upstreams.respond(
                1,
                Upstreams.HttpCallResult.response(headers(":status", "200"), utf8("2"), List.of()));
        upstreams.respond(
                0,
                Upstreams.HttpCallResult.response(headers(":status", "200"), utf8("1"), List.of()));
        host.vm.drain();
        List<RecordingModule.Event> events = RecordingModule.events(host);
        assertEquals(2, events.size());
        assertEquals(t2, events.get(0).args()[1]);
        assertArrayEquals(utf8("2"), RecordingModule.probeData(host, events.get(0), 2));
        assertEquals(t1, events.get(1).args()[1]);
        assertArrayEquals(utf8("1"), RecordingModule.probeData(host, events.get(1), 2));
    }

    @Test
    void zeroTimeoutMeansNone() {
        assertEquals(
                0,
                call(host.root(), "backend", HeaderPairsCodec.encode(REQUEST), new byte[0], 0)[0]);
        assertEquals(Duration.ZERO, upstreams.httpCalls.get(0).timeout());
    }

    @Test
    void aSecondResultForTheSameCallIsDropped() {
        call(host.root());
        FakeUpstreams.HttpCall sent = upstreams.httpCalls.get(0);
        Upstreams.HttpCallResult ok =
                Upstreams.HttpCallResult.response(
                        headers(":status", "200"), new byte[0], List.of());
        upstreams.fromNetwork(
                () -> {
                    sent.onResult().accept(ok);
                    sent.onResult()
                            .accept(Upstreams.HttpCallResult.failed(Upstreams.FailureKind.RESET));
                });
        onlyEvent();
        int code = host.slot();
        assertEquals(0, host.call(AbiFunction.PROXY_GET_STATUS, code, host.slot(), host.slot()));
        assertEquals(0, host.u32(code), "the late failure did not overwrite the status");
    }
}
