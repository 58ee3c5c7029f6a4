package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.str;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;
import org.pwtck.tck.wat.WatProbe;

/** proxy_log and proxy_get_log_level (ABI.md §2.2). */
public class LoggingCases {

    @ConformanceCase(
            id = "LogAtEveryLevel",
            description = "proxy_log accepts every level 0..5 and returns OK",
            features = Feature.LOGGING,
            hostCalls = "proxy_log",
            spec = "spec v0.2.1 \"Logging\"; ABI.md §2.2")
    void logAtEveryLevel(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb -> {
                                            for (int level = 0; level <= 5; level++) {
                                                cb.call(
                                                        "proxy_log",
                                                        num(level),
                                                        str("pwtck level " + level));
                                            }
                                            cb.reportLocalResponse(200);
                                        }),
                        TckRequest.get("/log"));
        for (int step = 0; step < 6; step++) {
            assertEquals(0, r.step("on_request_headers", step).status(), "level " + step);
        }
    }

    @ConformanceCase(
            id = "LogLevelOutOfRangeIsBadArgument",
            description = "proxy_log with level 6 (one past CRITICAL) and 100 returns BAD_ARGUMENT",
            features = Feature.LOGGING,
            hostCalls = "proxy_log",
            spec = "ABI.md §1.3 (cpp-host rejects level > 5)",
            profile = Profile.ROBUSTNESS)
    void logLevelOutOfRange(TckCase tck) {
        ProbeReport r =
                tck.probe(
                        ProbeScenario.create()
                                .on(
                                        "on_request_headers",
                                        cb ->
                                                cb.call("proxy_log", num(6), str("x"))
                                                        .call("proxy_log", num(100), str("x"))
                                                        .reportLocalResponse(200)),
                        TckRequest.get("/log"));
        assertEquals(2, r.step("on_request_headers", 0).status(), "level 6");
        assertEquals(2, r.step("on_request_headers", 1).status(), "level 100");
    }

    @ConformanceCase(
            id = "LogMessageOutOfBoundsIsInvalidMemoryAccess",
            description =
                    "proxy_log with a message pointer past the end of memory returns INVALID_MEMORY_ACCESS",
            features = Feature.LOGGING,
            hostCalls = "proxy_log",
            spec = "ABI.md §2.2",
            profile = Profile.ROBUSTNESS,
            languages = "wat")
    void logOutOfBounds(TckCase tck) {
        WatProbe m =
                WatProbe.v021()
                        .importing("proxy_log", "i32 i32 i32", "i32")
                        .body(
                                "(call $proxy_log (i32.const 2) (i32.const 0x7fff0000) (i32.const 16))");
        var response = tck.exchange(tck.deploy(m.spec("log-oob")), TckRequest.get("/"));
        assertEquals(6, WatProbe.Window.of(response.body()).status());
    }

    @ConformanceCase(
            id = "GetLogLevelWritesFourBytes",
            description =
                    "proxy_get_log_level (0.2.1) returns OK and writes a level 0..5 as exactly 4 bytes",
            features = Feature.LOGGING,
            hostCalls = "proxy_get_log_level",
            spec = "ABI.md §2.2",
            languages = "wat")
    void getLogLevel(TckCase tck) {
        WatProbe m =
                WatProbe.v021()
                        .importing("proxy_get_log_level", "i32", "i32")
                        .body("(call $proxy_get_log_level (i32.const " + WatProbe.OUT + "))");
        var w =
                WatProbe.Window.of(
                        tck.exchange(tck.deploy(m.spec("log-level")), TckRequest.get("/")).body());
        assertEquals(0, w.status());
        int level = w.u32(WatProbe.OUT);
        tck.evidence("a level 0..5 in 4 bytes", "level " + level);
        org.junit.jupiter.api.Assertions.assertTrue(level >= 0 && level <= 5, "level " + level);
        org.junit.jupiter.api.Assertions.assertTrue(
                w.untouched(WatProbe.OUT + 4, 12), "wrote past 4 bytes");
    }
}
