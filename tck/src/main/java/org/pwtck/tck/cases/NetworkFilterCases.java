package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.outU64;
import static org.pwtck.tck.probe.ProbeArg.str;
import static org.pwtck.tck.probe.ProbeArg.var;

import java.time.Duration;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.api.TcpResult;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/**
 * Network (L4) filters (ABI.md §3.1): the probe deployed in front of the TCK's TCP echo, which
 * answers {@code echo:<what it received>}. A network filter has no response to carry the probe's
 * report, so the probe logs it ({@code "report": "log"}) and the case reads the host's log.
 */
public class NetworkFilterCases {
    private static final String SPEC =
            "spec v0.2.1 \"TCP/UDP/QUIC stream (L4) extensions\"; ABI.md §3.1";
    private static final int DOWNSTREAM_DATA = 2;
    private static final int UPSTREAM_DATA = 3;
    private static final Duration REPORT_WAIT = Duration.ofSeconds(5);

    @ConformanceCase(
            id = "TcpDataCallbacks",
            description =
                    "a network filter sees the connection (on_new_connection), the client's bytes in on_downstream_data (buffer type 2) and the server's answer in on_upstream_data (buffer type 3), and both pass through unchanged",
            features = {Feature.NETWORK_FILTER, Feature.BUFFERS},
            hostCalls = {
                "proxy_on_new_connection",
                "proxy_on_downstream_data",
                "proxy_on_upstream_data",
                "proxy_get_buffer_bytes"
            },
            spec = SPEC,
            profile = Profile.TCP_FILTER)
    void dataCallbacks(TckCase tck) {
        var d =
                tck.deployNetworkProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_new_connection",
                                        cb ->
                                                cb.call(
                                                        "proxy_get_current_time_nanoseconds",
                                                        outU64()))
                                .on(
                                        "on_downstream_data",
                                        cb ->
                                                cb.call(
                                                        "proxy_get_buffer_bytes",
                                                        num(DOWNSTREAM_DATA),
                                                        num(0),
                                                        var("size"),
                                                        outData()))
                                .on(
                                        "on_upstream_data",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_buffer_bytes",
                                                                num(UPSTREAM_DATA),
                                                                num(0),
                                                                var("size"),
                                                                outData())
                                                        .report("log")));
        TcpResult result = tck.exchange(d, "hello");
        ProbeReport r =
                tck.awaitLoggedReport(
                        d,
                        REPORT_WAIT,
                        "on_new_connection",
                        "on_downstream_data",
                        "on_upstream_data");
        tck.evidence(
                "on_downstream_data reads hello, on_upstream_data reads echo:hello; upstream hello, client echo:hello",
                result + "; " + r);
        assertEquals("hello", r.step("on_downstream_data", 0).out(0).text());
        assertEquals(5L, r.record("on_downstream_data").args().get(1), "data_size");
        assertEquals("echo:hello", r.step("on_upstream_data", 0).out(0).text());
        assertEquals("hello", result.upstreamString());
        assertEquals("echo:hello", result.clientString());
    }

    @ConformanceCase(
            id = "TcpReplaceDownstreamData",
            description =
                    "proxy_set_buffer_bytes on DOWNSTREAM_DATA replaces the client's bytes before they reach the server",
            features = {Feature.NETWORK_FILTER, Feature.BUFFERS},
            hostCalls = {"proxy_on_downstream_data", "proxy_set_buffer_bytes"},
            spec = SPEC,
            profile = Profile.TCP_FILTER)
    void replaceDownstream(TckCase tck) {
        var d =
                tck.deployNetworkProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_downstream_data",
                                        cb ->
                                                cb.call(
                                                                "proxy_set_buffer_bytes",
                                                                num(DOWNSTREAM_DATA),
                                                                num(0),
                                                                var("size"),
                                                                str("REPLACED"))
                                                        .report("log")
                                                        .once()));
        TcpResult result = tck.exchange(d, "hello");
        tck.evidence("upstream REPLACED, client echo:REPLACED", result.toString());
        assertEquals("REPLACED", result.upstreamString());
        assertEquals("echo:REPLACED", result.clientString());
        ProbeReport r = tck.awaitLoggedReport(d, REPORT_WAIT, "on_downstream_data");
        assertEquals(0, r.step("on_downstream_data", 0).status(), "set_buffer_bytes");
    }

    @ConformanceCase(
            id = "TcpReplaceUpstreamData",
            description =
                    "proxy_set_buffer_bytes on UPSTREAM_DATA replaces the server's bytes before they reach the client",
            features = {Feature.NETWORK_FILTER, Feature.BUFFERS},
            hostCalls = {"proxy_on_upstream_data", "proxy_set_buffer_bytes"},
            spec = SPEC,
            profile = Profile.TCP_FILTER)
    void replaceUpstream(TckCase tck) {
        var d =
                tck.deployNetworkProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_upstream_data",
                                        cb ->
                                                cb.call(
                                                                "proxy_set_buffer_bytes",
                                                                num(UPSTREAM_DATA),
                                                                num(0),
                                                                var("size"),
                                                                str("ANSWER"))
                                                        .report("log")
                                                        .once()));
        TcpResult result = tck.exchange(d, "hello");
        tck.evidence("upstream hello, client ANSWER", result.toString());
        assertEquals("hello", result.upstreamString());
        assertEquals("ANSWER", result.clientString());
    }

    @ConformanceCase(
            id = "TcpCloseCallbacks",
            description =
                    "when the connection ends, the filter hears on_downstream_connection_close and on_upstream_connection_close once each, with a peer type (0 unknown, 1 local, 2 remote)",
            features = Feature.NETWORK_FILTER,
            hostCalls = {
                "proxy_on_downstream_connection_close",
                "proxy_on_upstream_connection_close"
            },
            spec = SPEC + "; ABI.md §1.3 (PeerType)",
            profile = Profile.TCP_FILTER)
    void closeCallbacks(TckCase tck) {
        var d =
                tck.deployNetworkProbe(
                        ProbeScenario.create()
                                .on(
                                        "on_downstream_connection_close",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_current_time_nanoseconds",
                                                                outU64())
                                                        .report("log"))
                                .on(
                                        "on_upstream_connection_close",
                                        cb ->
                                                cb.call(
                                                                "proxy_get_current_time_nanoseconds",
                                                                outU64())
                                                        .report("log")));
        tck.exchange(d, "hello");
        ProbeReport r =
                tck.awaitLoggedReport(
                        d,
                        REPORT_WAIT,
                        "on_downstream_connection_close",
                        "on_upstream_connection_close");
        tck.evidence("one of each, peer type 0..2", r.toString());
        for (String callback :
                new String[] {"on_downstream_connection_close", "on_upstream_connection_close"}) {
            assertEquals(1, r.records(callback).size(), callback + " runs once");
            var args = r.record(callback).args();
            assertEquals(2, args.size(), callback + " (context id, peer type): " + args);
            assertTrue(args.get(1) >= 0 && args.get(1) <= 2, callback + " peer type " + args);
        }
    }
}
