package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.var;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/** Context ids, the effective context, proxy_done (ABI.md §2.1, §1.6). */
public class ContextCases {
    private static final String SPEC = "spec v0.2.1 \"Contexts\"; ABI.md §2.1";

    @ConformanceCase(
            id = "SetEffectiveContextUnknownIdIsBadArgument",
            description =
                    "proxy_set_effective_context with an id that is no context returns BAD_ARGUMENT; with the current context's id OK",
            features = Feature.CONTEXT,
            hostCalls = "proxy_set_effective_context",
            spec = SPEC + "; §4 (ngx: no-op, always OK)",
            profile = Profile.ROBUSTNESS)
    void effectiveContext(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call("proxy_set_effective_context", num(987654))
                                                        .call(
                                                                "proxy_set_effective_context",
                                                                var("context_id"))
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(2, r.step("on_request_headers", 0).status());
        assertEquals(0, r.step("on_request_headers", 1).status());
    }

    @ConformanceCase(
            id = "DoneWithoutPendingContextIsNotFound",
            description =
                    "proxy_done when the context is not waiting for it (its on_done was never false) returns NOT_FOUND",
            features = Feature.CONTEXT,
            hostCalls = "proxy_done",
            spec = SPEC)
    void doneNotPending(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb -> cb.call("proxy_done").reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(1, r.step("on_request_headers", 0).status());
    }

    @ConformanceCase(
            id = "StreamContextCreatedWithRootAsParent",
            description =
                    "a stream context gets proxy_on_context_create(stream id, root id) with a non-zero id different from the root's",
            features = {Feature.CONTEXT, Feature.LIFECYCLE},
            hostCalls = "proxy_on_context_create",
            spec = SPEC)
    void contextCreate(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on("on_context_create", cb -> {})
                                .on("on_request_headers", cb -> cb.reportLocalResponse(200)),
                        TckRequest.get("/"));
        var created = r.record("on_context_create");
        var headers = r.record("on_request_headers");
        long stream = created.args().get(0);
        long parent = created.args().get(1);
        tck.evidence(
                "stream id == on_request_headers' context, parent != 0 and != stream",
                created.args().toString());
        assertEquals(headers.contextId(), stream);
        org.junit.jupiter.api.Assertions.assertNotEquals(0L, parent);
        org.junit.jupiter.api.Assertions.assertNotEquals(stream, parent);
    }
}
