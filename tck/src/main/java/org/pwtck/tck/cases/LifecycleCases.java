package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeScenario;

/** The order of callbacks over a stream's life (ABI.md §3.5). */
public class LifecycleCases {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConformanceCase(
            id = "HttpStreamCallbackOrder",
            description =
                    "an HTTP stream gets on_context_create, on_request_headers, on_response_headers, on_response_body, then on_done, on_log, on_delete, in that order",
            features = Feature.LIFECYCLE,
            hostCalls = {
                "proxy_on_context_create",
                "proxy_on_request_headers",
                "proxy_on_response_headers",
                "proxy_on_done",
                "proxy_on_log",
                "proxy_on_delete"
            },
            spec = "spec v0.2.1 \"Contexts\"; ABI.md §3.5",
            reading =
                    "teardown is on_done → on_log → on_delete (spec); Envoy calls on_log first for HTTP streams")
    void order(TckCase tck) throws Exception {
        var d = tck.deployProbe(ProbeScenario.create().trace());
        TckResponse first = tck.exchange(d, TckRequest.get("/headers"));
        assertEquals(200, first.status(), "the traced request itself");
        List<String> sequence = List.of();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            TckResponse dump =
                    tck.exchange(d, TckRequest.get("/").withHeader("x-pwtck-probe-dump", "trace"));
            sequence = firstStream(JSON.readTree(dump.bodyString()));
            if (sequence.contains("on_delete")) {
                break;
            }
            Thread.sleep(100);
        }
        List<String> expected =
                List.of(
                        "on_context_create",
                        "on_request_headers",
                        "on_response_headers",
                        "on_response_body",
                        "on_done",
                        "on_log",
                        "on_delete");
        tck.evidence(expected.toString(), sequence.toString());
        assertEquals(expected, sequence);
    }

    /** The callbacks of the lowest stream context id in the trace, in order. */
    private static List<String> firstStream(JsonNode trace) {
        long first = Long.MAX_VALUE;
        for (JsonNode e : trace) {
            String cb = e.path("callback").asText();
            if (cb.equals("on_context_create") && e.path("args").path(1).asLong() != 0) {
                first = Math.min(first, e.path("context_id").asLong());
            }
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : trace) {
            if (e.path("context_id").asLong() == first) {
                out.add(e.path("callback").asText());
            }
        }
        return out;
    }
}
