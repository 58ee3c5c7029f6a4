package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.host.imports.SharedDataImportsTest.sentinel;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.context.Upstreams;
import org.pwtck.host.testing.TestHost;

class GrpcImportsTest {
    private static final AbiFunction CALL = AbiFunction.PROXY_GRPC_CALL;
    private static final AbiFunction STREAM = AbiFunction.PROXY_GRPC_STREAM;
    private static final AbiFunction SEND = AbiFunction.PROXY_GRPC_SEND;
    private static final AbiFunction CANCEL = AbiFunction.PROXY_GRPC_CANCEL;
    private static final AbiFunction CLOSE = AbiFunction.PROXY_GRPC_CLOSE;
    private static final long OUTSIDE = 0x1FFF0;

    static final byte[] WASM =
            RecordingModule.module(
                    List.of(CALL, STREAM, SEND, CANCEL, CLOSE),
                    RecordingModule.callback(
                            Callback.PROXY_ON_GRPC_RECEIVE_INITIAL_METADATA,
                            RecordingModule.map(MapType.GRPC_RECEIVE_INITIAL_METADATA)),
                    RecordingModule.callback(
                            Callback.PROXY_ON_GRPC_RECEIVE,
                            RecordingModule.buffer(BufferType.GRPC_RECEIVE_BUFFER)),
                    RecordingModule.callback(
                            Callback.PROXY_ON_GRPC_RECEIVE_TRAILING_METADATA,
                            RecordingModule.map(MapType.GRPC_RECEIVE_TRAILING_METADATA)),
                    RecordingModule.callback(
                            Callback.PROXY_ON_GRPC_CLOSE, RecordingModule.status()));

    private static final List<Header> METADATA = List.of(Header.of("x-md", "1"));

    private FakeUpstreams upstreams;
    private TestHost host;

    @BeforeEach
    void start() {
        upstreams = new FakeUpstreams("grpc-backend");
        host = TestHost.start(WASM, HostServices.inMemory().withUpstreams(upstreams));
    }

    @AfterEach
    void stop() {
        host.close();
        upstreams.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {status, tokenSlot}. */
    private int[] call(int context, String cluster, long tokenPtr) {
        int c = host.put(cluster);
        int svc = host.put("pkg.Svc");
        int m = host.put("Check");
        byte[] md = HeaderPairsCodec.encode(METADATA);
        int mdp = host.put(md);
        int msg = host.put("request");
        int token = tokenPtr == 0 ? host.slot() : (int) tokenPtr;
        int status =
                host.callIn(
                        context,
                        CALL,
                        c,
                        cluster.length(),
                        svc,
                        7,
                        m,
                        5,
                        mdp,
                        md.length,
                        msg,
                        7,
                        2500,
                        tokenPtr == 0 ? token : tokenPtr);
        return new int[] {status, token};
    }

    private int[] stream(String cluster) {
        int c = host.put(cluster);
        int svc = host.put("pkg.Svc");
        int m = host.put("Watch");
        byte[] md = HeaderPairsCodec.encode(METADATA);
        int mdp = host.put(md);
        int token = host.slot();
        int status = host.call(STREAM, c, cluster.length(), svc, 7, m, 5, mdp, md.length, token);
        return new int[] {status, token};
    }

    private int send(long token, String message, boolean end) {
        int msg = host.put(message);
        return host.call(SEND, token, msg, message.length(), end ? 1 : 0);
    }

    private void serverAnswers(Upstreams.GrpcListener listener, boolean withMessage) {
        upstreams.fromNetwork(
                () -> {
                    listener.onInitialMetadata(
                            List.of(Header.of("im", "a"), Header.of("im2", "b")));
                    if (withMessage) {
                        listener.onMessage(utf8("response"));
                    }
                    listener.onTrailingMetadata(List.of(Header.of("grpc-status", "0")));
                    listener.onClose(0, "");
                });
        host.vm.drain();
    }

    @Test
    void unaryCallDeliversMetadataMessageTrailersAndClose() {
        int[] made = call(host.root(), "grpc-backend", 0);
        assertEquals(0, made[0]);
        int token = (int) host.u32(made[1]);
        assertNotEquals(0, token);
        assertArrayEquals(sentinel(12), host.read(made[1] + 4, 12));
        FakeUpstreams.GrpcCall sent = upstreams.grpcCalls.get(0);
        assertEquals("grpc-backend", sent.cluster());
        assertEquals("pkg.Svc", sent.service());
        assertEquals("Check", sent.method());
        assertEquals(METADATA, sent.metadata());
        assertArrayEquals(utf8("request"), sent.message());
        assertEquals(Duration.ofMillis(2500), sent.timeout());

        serverAnswers(sent.listener(), true);
        List<RecordingModule.Event> events = RecordingModule.events(host);
        assertEquals(4, events.size(), events.toString());
        int root = host.root();

        RecordingModule.Event initial = events.get(0);
        assertEquals(Callback.PROXY_ON_GRPC_RECEIVE_INITIAL_METADATA, initial.callback());
        assertArrayEquals(new int[] {root, token, 2}, initial.args());
        assertEquals(0, initial.probe(0, 0));
        assertArrayEquals(
                HeaderPairsCodec.encode(List.of(Header.of("im", "a"), Header.of("im2", "b"))),
                RecordingModule.probeData(host, initial, 0));

        RecordingModule.Event message = events.get(1);
        assertEquals(Callback.PROXY_ON_GRPC_RECEIVE, message.callback());
        assertArrayEquals(new int[] {root, token, 8}, message.args());
        assertArrayEquals(utf8("response"), RecordingModule.probeData(host, message, 0));

        RecordingModule.Event trailing = events.get(2);
        assertEquals(Callback.PROXY_ON_GRPC_RECEIVE_TRAILING_METADATA, trailing.callback());
        assertArrayEquals(new int[] {root, token, 1}, trailing.args());
        assertArrayEquals(
                HeaderPairsCodec.encode(List.of(Header.of("grpc-status", "0"))),
                RecordingModule.probeData(host, trailing, 0));

        RecordingModule.Event close = events.get(3);
        assertEquals(Callback.PROXY_ON_GRPC_CLOSE, close.callback());
        assertArrayEquals(new int[] {root, token, 0}, close.args());
        assertEquals(0, close.probe(0, 1));
    }

    @Test
    void closeStatusAndMessageAreReadableThroughGetStatus() {
        call(host.root(), "grpc-backend", 0);
        Upstreams.GrpcListener l = upstreams.grpcCalls.get(0).listener();
        upstreams.fromNetwork(() -> l.onClose(14, "upstream unavailable"));
        host.vm.drain();
        List<RecordingModule.Event> events = RecordingModule.events(host);
        assertEquals(1, events.size());
        RecordingModule.Event close = events.get(0);
        assertEquals(14, close.args()[2]);
        assertEquals(0, close.probe(0, 0));
        assertEquals(14, close.probe(0, 1));
        assertEquals(
                "upstream unavailable",
                new String(
                        host.read(Integer.toUnsignedLong(close.probe(0, 2)), close.probe(0, 3))));
    }

    @Test
    void callFromAStreamContextIsAnsweredOnTheRoot() {
        int s = host.vm.newHttpStream(StreamListener.NONE, StreamInfo.local()).contextId();
        int[] made = call(s, "grpc-backend", 0);
        assertEquals(0, made[0]);
        Upstreams.GrpcListener l = upstreams.grpcCalls.get(0).listener();
        upstreams.fromNetwork(() -> l.onClose(0, ""));
        host.vm.drain();
        assertEquals(host.root(), RecordingModule.events(host).get(0).args()[0]);
    }

    @Test
    void unknownClusterIsParseFailureAndSendsNothing() {
        int[] made = call(host.root(), "nowhere", 0);
        assertEquals(Status.PARSE_FAILURE.code(), made[0]);
        assertArrayEquals(sentinel(16), host.read(made[1], 16));
        assertEquals(Status.PARSE_FAILURE.code(), stream("nowhere")[0]);
        assertEquals(0, upstreams.grpcCalls.size());
        assertEquals(0, upstreams.grpcStreams.size());
    }

    @Test
    void badTokenPointerIsInvalidMemoryAccessBeforeAnythingIsSent() {
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(),
                call(host.root(), "grpc-backend", OUTSIDE + 14)[0]);
        int c = host.put("grpc-backend");
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(),
                host.call(STREAM, c, 12, 0, 0, 0, 0, 0, 0, OUTSIDE + 14));
        assertEquals(0, upstreams.grpcCalls.size());
        assertEquals(0, upstreams.grpcStreams.size());
    }

    @Test
    void upstreamThrowingIsInternalFailure() {
        upstreams.failWith = new IllegalStateException("no client");
        int[] made = call(host.root(), "grpc-backend", 0);
        assertEquals(Status.INTERNAL_FAILURE.code(), made[0]);
        assertArrayEquals(sentinel(16), host.read(made[1], 16));
        assertEquals(Status.INTERNAL_FAILURE.code(), stream("grpc-backend")[0]);
    }

    @Test
    void streamOpensSendsAndHalfClosesThenTheServerCloses() {
        int[] opened = stream("grpc-backend");
        assertEquals(0, opened[0]);
        long token = host.u32(opened[1]);
        FakeUpstreams.GrpcStreamCall s = upstreams.grpcStreams.get(0);
        assertEquals("Watch", s.method());
        assertEquals(METADATA, s.metadata());
        assertEquals(0, send(token, "m1", false));
        assertEquals(0, send(token, "m2", true));
        assertEquals(2, s.sent().size());
        assertArrayEquals(utf8("m1"), s.sent().get(0));
        assertArrayEquals(utf8("m2"), s.sent().get(1));
        assertEquals(List.of(false, true), s.endOfStream());

        assertEquals(0, host.call(CLOSE, token));
        assertTrue(s.halfClosed().get());
        assertFalse(s.cancelled().get(), "close half-closes a stream, it does not reset it");
        upstreams.fromNetwork(() -> s.listener().onMessage(utf8("late but welcome")));
        upstreams.fromNetwork(() -> s.listener().onClose(0, ""));
        host.vm.drain();
        List<RecordingModule.Event> events = RecordingModule.events(host);
        assertEquals(2, events.size(), "the stream stays open until the server closes");
        assertEquals(Callback.PROXY_ON_GRPC_RECEIVE, events.get(0).callback());
        assertEquals(Callback.PROXY_ON_GRPC_CLOSE, events.get(1).callback());
        assertEquals(Status.NOT_FOUND.code(), send(token, "after close", false));
    }

    @Test
    void sendOnAUnaryCallIsBadArgumentAndOnUnknownTokenNotFound() {
        long token = host.u32(call(host.root(), "grpc-backend", 0)[1]);
        assertEquals(Status.BAD_ARGUMENT.code(), send(token, "m", false));
        assertEquals(Status.NOT_FOUND.code(), send(4242, "m", false));
        assertEquals(Status.NOT_FOUND.code(), host.call(CANCEL, 4242));
        assertEquals(Status.NOT_FOUND.code(), host.call(CLOSE, 4242));
    }

    @Test
    void sendWithBadMessagePointerIsInvalidMemoryAccess() {
        long token = host.u32(stream("grpc-backend")[1]);
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(), host.call(SEND, token, OUTSIDE, 0x100, 0));
        assertEquals(0, upstreams.grpcStreams.get(0).sent().size());
    }

    @Test
    void cancelledCallGetsNoFurtherCallbacks() {
        long token = host.u32(call(host.root(), "grpc-backend", 0)[1]);
        FakeUpstreams.GrpcCall sent = upstreams.grpcCalls.get(0);
        assertEquals(0, host.call(CANCEL, token));
        assertTrue(sent.cancelled().get());
        serverAnswers(sent.listener(), true); // a server that did not notice
        assertEquals(0, RecordingModule.events(host).size());
        assertEquals(Status.NOT_FOUND.code(), host.call(CANCEL, token), "cancelled once");
    }

    @Test
    void closingAUnaryCallCancelsIt() {
        long token = host.u32(call(host.root(), "grpc-backend", 0)[1]);
        FakeUpstreams.GrpcCall sent = upstreams.grpcCalls.get(0);
        assertEquals(0, host.call(CLOSE, token));
        assertTrue(sent.cancelled().get());
        serverAnswers(sent.listener(), false);
        assertEquals(0, RecordingModule.events(host).size());
    }

    @Test
    void cancelledStreamGetsNoFurtherCallbacks() {
        long token = host.u32(stream("grpc-backend")[1]);
        FakeUpstreams.GrpcStreamCall s = upstreams.grpcStreams.get(0);
        assertEquals(0, host.call(CANCEL, token));
        assertTrue(s.cancelled().get());
        serverAnswers(s.listener(), true);
        assertEquals(0, RecordingModule.events(host).size());
        assertEquals(Status.NOT_FOUND.code(), send(token, "m", false));
    }

    @Test
    void cancelInsideACallbackDropsEventsAlreadyQueued() {
        // Events the network delivered before the cancel may already wait on the VM thread.
        long token = host.u32(call(host.root(), "grpc-backend", 0)[1]);
        Upstreams.GrpcListener l = upstreams.grpcCalls.get(0).listener();
        host.vm
                .executor()
                .call(
                        () -> {
                            l.onInitialMetadata(List.of());
                            l.onClose(0, "");
                            assertEquals(0, host.call(CANCEL, token));
                            return null;
                        });
        host.vm.drain();
        assertEquals(0, RecordingModule.events(host).size());
    }

    @Test
    void nothingIsDeliveredAfterClose() {
        long token = host.u32(call(host.root(), "grpc-backend", 0)[1]);
        Upstreams.GrpcListener l = upstreams.grpcCalls.get(0).listener();
        upstreams.fromNetwork(
                () -> {
                    l.onClose(0, "");
                    l.onMessage(utf8("after close"));
                });
        host.vm.drain();
        List<RecordingModule.Event> events = RecordingModule.events(host);
        assertEquals(1, events.size(), events.toString());
        assertEquals(Callback.PROXY_ON_GRPC_CLOSE, events.get(0).callback());
        assertEquals(Status.NOT_FOUND.code(), host.call(CANCEL, token));
    }
}
