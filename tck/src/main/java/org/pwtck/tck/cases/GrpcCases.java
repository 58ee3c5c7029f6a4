package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outCodeData;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.pairs;
import static org.pwtck.tck.probe.ProbeArg.str;
import static org.pwtck.tck.probe.ProbeArg.var;

import java.time.Duration;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.GrpcBackend;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/**
 * gRPC calls and streams (ABI.md §2.6): the error paths, which need no gRPC server, and the happy
 * paths against the TCK's gRPC server ({@link GrpcBackend}, cluster {@link
 * FilterSpec#GRPC_CLUSTER}), gated on {@link Feature#GRPC_CALL}. The probe reports from {@code
 * on_grpc_close}: the gRPC callbacks run on the root context (their records are the report), which
 * sets the effective context back to the stream to answer it.
 */
public class GrpcCases {
    private static final String SPEC = "spec v0.2.1 \"gRPC calls\"; ABI.md §2.6, §4.2 item 9";
    private static final String HAPPY =
            "spec v0.2.1 \"gRPC calls\"; ABI.md §2.6, §2.4 map types 4/5";
    private static final int INITIAL_METADATA = 4;
    private static final int TRAILING_METADATA = 5;
    private static final int GRPC_RECEIVE_BUFFER = 5;

    @ConformanceCase(
            id = "GrpcCallUnaryRoundTrip",
            description =
                    "a unary proxy_grpc_call with initial metadata reaches the gRPC server and its answer arrives in on_grpc_receive (root context id, the call's token, the message size), readable as buffer type 5",
            features = {Feature.GRPC_CALL, Feature.CONTEXT},
            hostCalls = {
                "proxy_grpc_call",
                "proxy_on_grpc_receive",
                "proxy_get_buffer_bytes",
                "proxy_set_effective_context"
            },
            spec = HAPPY)
    void unaryRoundTrip(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        unaryCall("Unary", true)
                                .on(
                                        "on_grpc_receive",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_buffer_bytes",
                                                                num(GRPC_RECEIVE_BUFFER),
                                                                num(0),
                                                                var("size"),
                                                                outData())
                                                        .call(
                                                                "proxy_set_effective_context",
                                                                var("origin_context_id"))
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        var rec = r.record("on_grpc_receive");
        tck.evidence("on_grpc_receive(root, token, 10): echo:hello", r.toString());
        assertEquals(3, rec.args().size(), "(root id, token, message size): " + rec.args());
        assertEquals(10L, rec.args().get(2), "message size");
        assertEquals("echo:hello", rec.step(0).out(0).text());
        assertEquals(0, rec.step(1).status(), "set_effective_context to the stream");
    }

    @ConformanceCase(
            id = "GrpcCallUnaryMetadataAndClose",
            description =
                    "a successful unary call also delivers the server's initial metadata, trailing metadata and on_grpc_close with status OK (proxy_get_status 0), in that order around on_grpc_receive",
            features = {Feature.GRPC_CALL, Feature.SHARED_DATA},
            hostCalls = {
                "proxy_grpc_call",
                "proxy_on_grpc_receive_initial_metadata",
                "proxy_on_grpc_receive_trailing_metadata",
                "proxy_on_grpc_close",
                "proxy_get_header_map_value",
                "proxy_get_status"
            },
            spec = HAPPY + "; spec \"proxy_on_grpc_close: the call is closed\"",
            reading =
                    "The spec lists the metadata callbacks and on_grpc_close for gRPC calls without restricting them to streams: a unary call that succeeds ends with on_grpc_close(OK) like any other call.")
    void unaryMetadataAndClose(TckCase tck) {
        var d = tck.deployProbe(recordingScenario(unaryCall("Unary", false)));
        TckResponse response = tck.exchange(d, TckRequest.get("/"));
        assertEquals(200, response.status(), "the request continues while the call runs");
        ProbeReport r =
                tck.awaitRecords(
                        d,
                        Duration.ofSeconds(5),
                        "on_grpc_receive_initial_metadata",
                        "on_grpc_receive_trailing_metadata",
                        "on_grpc_close");
        tck.evidence(
                "initial x-pwtck-initial: 1, trailer x-pwtck-trailer: done, close 0", r.toString());
        assertEquals("1", r.step("on_grpc_receive_initial_metadata", 0).out(0).text());
        assertEquals("done", r.step("on_grpc_receive_trailing_metadata", 0).out(0).text());
        var close = r.record("on_grpc_close");
        assertEquals(0L, close.args().get(2), "on_grpc_close status argument");
        assertEquals(0, close.step(0).out(0).code(), "proxy_get_status code");
    }

    @ConformanceCase(
            id = "GrpcCallErrorStatus",
            description =
                    "a unary call the server fails: on_grpc_close gets the server's status code, and proxy_get_status returns it; no on_grpc_receive",
            features = {Feature.GRPC_CALL, Feature.CONTEXT},
            hostCalls = {"proxy_grpc_call", "proxy_on_grpc_close", "proxy_get_status"},
            spec = HAPPY)
    void errorStatus(TckCase tck) {
        ProbeReport r = tck.probe(closingScenario(unaryCall("Fail", true)), TckRequest.get("/"));
        tck.evidence("close " + GrpcBackend.FAIL_STATUS, r.toString());
        assertTrue(r.records("on_grpc_receive").isEmpty(), "no message for a failed call");
        assertClosed(r, GrpcBackend.FAIL_STATUS);
    }

    @ConformanceCase(
            id = "GrpcCallErrorMessage",
            description =
                    "a unary call the server fails: proxy_get_status in on_grpc_close returns the server's grpc-message as it was sent",
            features = {Feature.GRPC_CALL, Feature.CONTEXT},
            hostCalls = {"proxy_grpc_call", "proxy_on_grpc_close", "proxy_get_status"},
            spec = HAPPY,
            reading =
                    "proxy_get_status's message is the status message of the call: the server's grpc-message, byte for byte.")
    void errorMessage(TckCase tck) {
        ProbeReport r = tck.probe(closingScenario(unaryCall("Fail", true)), TckRequest.get("/"));
        String message = r.step("on_grpc_close", 0).out(0).text();
        tck.evidence(GrpcBackend.FAIL_MESSAGE, message);
        assertEquals(GrpcBackend.FAIL_MESSAGE, message, "proxy_get_status message");
    }

    @ConformanceCase(
            id = "GrpcCallCancel",
            description =
                    "proxy_grpc_cancel of a call in flight returns OK and forgets the token: a second cancel is NOT_FOUND",
            features = Feature.GRPC_CALL,
            hostCalls = {"proxy_grpc_call", "proxy_grpc_cancel"},
            spec = HAPPY)
    void cancelCall(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.callAndSave(
                                                                "call",
                                                                "proxy_grpc_call",
                                                                str(FilterSpec.GRPC_CLUSTER),
                                                                str(GrpcBackend.SERVICE),
                                                                str("Unary"),
                                                                pairs(),
                                                                str("x"),
                                                                num(5000),
                                                                outU32())
                                                        .call("proxy_grpc_cancel", var("call"))
                                                        .call("proxy_grpc_cancel", var("call"))
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        tck.evidence("call 0, cancel 0, cancel again 1 (NOT_FOUND)", r.toString());
        assertEquals(0, r.step("on_request_headers", 0).status(), "grpc_call");
        assertEquals(0, r.step("on_request_headers", 1).status(), "grpc_cancel");
        assertEquals(1, r.step("on_request_headers", 2).status(), "grpc_cancel again");
    }

    @ConformanceCase(
            id = "GrpcStreamRoundTrip",
            description =
                    "proxy_grpc_stream opens a bidirectional stream; proxy_grpc_send sends a message, the echo comes back in on_grpc_receive, proxy_grpc_close half-closes and the server's OK arrives in on_grpc_close",
            features = {Feature.GRPC_CALL, Feature.CONTEXT},
            hostCalls = {
                "proxy_grpc_stream",
                "proxy_grpc_send",
                "proxy_grpc_close",
                "proxy_on_grpc_receive",
                "proxy_on_grpc_close",
                "proxy_get_buffer_bytes",
                "proxy_get_status"
            },
            spec = HAPPY)
    void streamRoundTrip(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        closingScenario(openStream())
                                .on(
                                        "on_grpc_receive_initial_metadata",
                                        cb ->
                                                cb.call(
                                                        "proxy_get_header_map_value",
                                                        num(INITIAL_METADATA),
                                                        str("x-pwtck-initial"),
                                                        outData()))
                                .on(
                                        "on_grpc_receive",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_buffer_bytes",
                                                                num(GRPC_RECEIVE_BUFFER),
                                                                num(0),
                                                                var("size"),
                                                                outData())
                                                        .call("proxy_grpc_close", var("token"))),
                        TckRequest.get("/"));
        tck.evidence("initial metadata 1, echo:one, half-close 0, close 0", r.toString());
        assertEquals("1", r.step("on_grpc_receive_initial_metadata", 0).out(0).text());
        assertEquals("echo:one", r.step("on_grpc_receive", 0).out(0).text());
        assertEquals(0, r.step("on_grpc_receive", 1).status(), "grpc_close (half-close)");
        assertClosed(r, 0);
    }

    @ConformanceCase(
            id = "GrpcStreamCancel",
            description =
                    "proxy_grpc_cancel of an open stream returns OK and forgets the token: a later proxy_grpc_send is NOT_FOUND",
            features = {Feature.GRPC_CALL, Feature.CONTEXT},
            hostCalls = {"proxy_grpc_stream", "proxy_grpc_send", "proxy_grpc_cancel"},
            spec = HAPPY)
    void streamCancel(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        openStream()
                                .on(
                                        "on_grpc_receive",
                                        cb ->
                                                cb.call("proxy_grpc_cancel", var("token"))
                                                        .call(
                                                                "proxy_grpc_send",
                                                                var("token"),
                                                                str("two"),
                                                                num(0))
                                                        .call(
                                                                "proxy_set_effective_context",
                                                                var("origin_context_id"))
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        tck.evidence("cancel 0, send after cancel 1 (NOT_FOUND)", r.toString());
        assertEquals(0, r.step("on_grpc_receive", 0).status(), "grpc_cancel");
        assertEquals(1, r.step("on_grpc_receive", 1).status(), "grpc_send after cancel");
    }

    /** A unary call to {@code pwtck.Echo/<method>} from on_request_headers, pausing or not. */
    private static ProbeScenario unaryCall(String method, boolean pause) {
        return ProbeScenario.create()
                .on(
                        "on_request_headers",
                        cb ->
                                cb.call(
                                                "proxy_grpc_call",
                                                str(FilterSpec.GRPC_CLUSTER),
                                                str(GrpcBackend.SERVICE),
                                                str(method),
                                                pairs("x-pwtck-from", "probe"),
                                                str("hello"),
                                                num(5000),
                                                outU32())
                                        .action(pause ? 1 : 0));
    }

    /**
     * Opens a stream to {@code pwtck.Echo/Stream} from on_request_headers, sends {@code one} and
     * pauses the request.
     */
    private static ProbeScenario openStream() {
        return ProbeScenario.create()
                .on(
                        "on_request_headers",
                        cb ->
                                cb.callAndSave(
                                                "stream",
                                                "proxy_grpc_stream",
                                                str(FilterSpec.GRPC_CLUSTER),
                                                str(GrpcBackend.SERVICE),
                                                str("Stream"),
                                                pairs(),
                                                outU32())
                                        .call("proxy_grpc_send", var("stream"), str("one"), num(0))
                                        .action(1));
    }

    /** Adds: answer the client from on_grpc_close with the callbacks' records. */
    private static ProbeScenario closingScenario(ProbeScenario s) {
        return s.on(
                "on_grpc_close",
                cb ->
                        cb.call("proxy_get_status", outCodeData())
                                .call("proxy_set_effective_context", var("origin_context_id"))
                                .reportLocalResponse(200));
    }

    /**
     * Adds: every gRPC callback reads what it brings (initial metadata {@code x-pwtck-initial}, the
     * message, trailing metadata {@code x-pwtck-trailer}, the status) and appends its record to
     * shared data, where the case reads it after the request.
     */
    private static ProbeScenario recordingScenario(ProbeScenario s) {
        return s.on(
                        "on_grpc_receive_initial_metadata",
                        cb ->
                                cb.call(
                                                "proxy_get_header_map_value",
                                                num(INITIAL_METADATA),
                                                str("x-pwtck-initial"),
                                                outData())
                                        .report("shared_data"))
                .on(
                        "on_grpc_receive",
                        cb ->
                                cb.call(
                                                "proxy_get_buffer_bytes",
                                                num(GRPC_RECEIVE_BUFFER),
                                                num(0),
                                                var("size"),
                                                outData())
                                        .report("shared_data"))
                .on(
                        "on_grpc_receive_trailing_metadata",
                        cb ->
                                cb.call(
                                                "proxy_get_header_map_value",
                                                num(TRAILING_METADATA),
                                                str("x-pwtck-trailer"),
                                                outData())
                                        .report("shared_data"))
                .on(
                        "on_grpc_close",
                        cb -> cb.call("proxy_get_status", outCodeData()).report("shared_data"));
    }

    /** on_grpc_close got {@code status}; proxy_get_status says the same. */
    private static void assertClosed(ProbeReport r, int status) {
        var close = r.record("on_grpc_close");
        assertEquals((long) status, close.args().get(2), "on_grpc_close status argument");
        var got = r.step("on_grpc_close", 0);
        assertEquals(0, got.status(), "proxy_get_status");
        assertEquals(status, got.out(0).code(), "proxy_get_status code");
        assertEquals(0, r.step("on_grpc_close", 1).status(), "set_effective_context to the stream");
    }

    @ConformanceCase(
            id = "GrpcCallUnknownClusterIsParseFailure",
            description =
                    "proxy_grpc_call and proxy_grpc_stream to an unknown cluster return PARSE_FAILURE (unlike BAD_ARGUMENT for HTTP calls)",
            features = Feature.HTTP_CALL,
            hostCalls = {"proxy_grpc_call", "proxy_grpc_stream"},
            spec = SPEC,
            profile = Profile.ROBUSTNESS)
    void unknownCluster(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_grpc_call",
                                                                str("pwtck_no_such_cluster"),
                                                                str("svc"),
                                                                str("m"),
                                                                pairs(),
                                                                str(""),
                                                                num(1000),
                                                                outU32())
                                                        .call(
                                                                "proxy_grpc_stream",
                                                                str("pwtck_no_such_cluster"),
                                                                str("svc"),
                                                                str("m"),
                                                                pairs(),
                                                                outU32())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(4, r.step("on_request_headers", 0).status(), "grpc_call");
        assertEquals(4, r.step("on_request_headers", 1).status(), "grpc_stream");
    }

    @ConformanceCase(
            id = "GrpcUnknownTokenIsNotFound",
            description =
                    "proxy_grpc_send, proxy_grpc_cancel and proxy_grpc_close with a token that was never issued return NOT_FOUND",
            features = Feature.HTTP_CALL,
            hostCalls = {"proxy_grpc_send", "proxy_grpc_cancel", "proxy_grpc_close"},
            spec = SPEC,
            profile = Profile.ROBUSTNESS)
    void unknownToken(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_grpc_send",
                                                                num(987654),
                                                                str("x"),
                                                                num(0))
                                                        .call("proxy_grpc_cancel", num(987654))
                                                        .call("proxy_grpc_close", num(987654))
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        for (int i = 0; i < 3; i++) {
            assertEquals(1, r.step("on_request_headers", i).status(), "step " + i);
        }
    }
}
