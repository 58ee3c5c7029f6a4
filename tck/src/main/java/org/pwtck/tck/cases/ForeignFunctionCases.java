package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.str;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/** proxy_call_foreign_function (ABI.md §2.9). */
public class ForeignFunctionCases {

    @ConformanceCase(
            id = "UnknownForeignFunctionIsNotFound",
            description =
                    "proxy_call_foreign_function with a name the host does not register returns NOT_FOUND",
            features = Feature.FOREIGN_FUNCTION,
            hostCalls = "proxy_call_foreign_function",
            spec = "ABI.md §2.9, §4 (ngx traps instead)",
            profile = Profile.ROBUSTNESS)
    void unknown(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_call_foreign_function",
                                                                str("pwtck_no_such_function"),
                                                                str("args"),
                                                                outData())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(1, r.step("on_request_headers", 0).status());
    }
}
