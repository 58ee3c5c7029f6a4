package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.pairs;
import static org.pwtck.tck.probe.ProbeArg.str;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/**
 * gRPC calls: the error paths, which need no gRPC server (ABI.md §2.6). The happy paths need a gRPC
 * backend in the TCK and are gated on {@link Feature#GRPC_CALL}.
 */
public class GrpcCases {
    private static final String SPEC = "spec v0.2.1 \"gRPC calls\"; ABI.md §2.6, §4.2 item 9";

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
