package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.str;
import static org.pwtck.tck.probe.ProbeArg.var;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/** Shared key/value data (ABI.md §2.7). */
public class SharedDataCases {
    private static final String SPEC = "spec v0.2.1 \"Shared Key-Value Store\"; ABI.md §2.7";

    @ConformanceCase(
            id = "SharedDataAbsentKeyIsNotFound",
            description = "proxy_get_shared_data for a key never set returns NOT_FOUND",
            features = Feature.SHARED_DATA,
            hostCalls = "proxy_get_shared_data",
            spec = SPEC)
    void absentKey(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_shared_data",
                                                                str("pwtck.never"),
                                                                outData(),
                                                                outU32())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(1, r.step("on_request_headers", 0).status());
    }

    @ConformanceCase(
            id = "SharedDataSetGetWithCas",
            description =
                    "set then get returns the value and a non-zero CAS; a set with a stale CAS returns CAS_MISMATCH; the current CAS succeeds",
            features = Feature.SHARED_DATA,
            hostCalls = {"proxy_set_shared_data", "proxy_get_shared_data"},
            spec = SPEC)
    void setGetCas(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_set_shared_data",
                                                                str("pwtck.k"),
                                                                str("v1"),
                                                                num(0))
                                                        .callAndSave(
                                                                "cas1",
                                                                "proxy_get_shared_data",
                                                                str("pwtck.k"),
                                                                outData(),
                                                                outU32())
                                                        .call(
                                                                "proxy_set_shared_data",
                                                                str("pwtck.k"),
                                                                str("v2"),
                                                                var("cas1"))
                                                        .call(
                                                                "proxy_set_shared_data",
                                                                str("pwtck.k"),
                                                                str("v3"),
                                                                var("cas1"))
                                                        .call(
                                                                "proxy_get_shared_data",
                                                                str("pwtck.k"),
                                                                outData(),
                                                                outU32())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(0, r.step("on_request_headers", 0).status(), "first set");
        var get1 = r.step("on_request_headers", 1);
        assertEquals(0, get1.status());
        assertEquals("v1", get1.out(0).text());
        assertNotEquals(0, get1.out(1).value(), "CAS must not be 0");
        assertEquals(0, r.step("on_request_headers", 2).status(), "set with the current CAS");
        assertEquals(
                8,
                r.step("on_request_headers", 3).status(),
                "set with a stale CAS is CAS_MISMATCH");
        assertEquals("v2", r.step("on_request_headers", 4).out(0).text());
    }

    @ConformanceCase(
            id = "SharedDataCasOnAbsentKeyInserts",
            description =
                    "proxy_set_shared_data with a non-zero CAS on an absent key inserts the value (cpp-host behaviour)",
            features = Feature.SHARED_DATA,
            hostCalls = "proxy_set_shared_data",
            spec = "ABI.md §2.7, §4.2 item 8",
            reading =
                    "a CAS on an absent key is ignored (cpp-host); java-host returns CAS_MISMATCH")
    void casOnAbsentKey(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call(
                                                                "proxy_set_shared_data",
                                                                str("pwtck.fresh"),
                                                                str("x"),
                                                                num(12345))
                                                        .call(
                                                                "proxy_get_shared_data",
                                                                str("pwtck.fresh"),
                                                                outData(),
                                                                outU32())
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/"));
        assertEquals(0, r.step("on_request_headers", 0).status());
        assertEquals("x", r.step("on_request_headers", 1).out(0).text());
    }
}
