package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.wat.WatProbe;

/** ABI 0.1.0 modules (ABI.md §0.1, §2.9, spec CHANGELOG 0.2.0). */
public class LegacyAbiCases {
    private static final String V010 = "proxy_abi_version_0_1_0";

    @ConformanceCase(
            id = "V010MissingHeaderIsOkAndEmpty",
            description =
                    "for a 0.1.0 module, proxy_get_header_map_value of an absent key returns OK with an empty value",
            features = {Feature.ABI_0_1_0, Feature.HTTP_HEADERS},
            hostCalls = "proxy_get_header_map_value",
            spec = "spec CHANGELOG 0.2.0; ABI.md §2.4",
            languages = "wat")
    void missingHeader(TckCase tck) {
        WatProbe m =
                WatProbe.withMarker(V010)
                        .importing("proxy_get_header_map_value", "i32 i32 i32 i32 i32", "i32")
                        .data(WatProbe.DATA, "x-pwtck-absent")
                        .body(
                                "(call $proxy_get_header_map_value (i32.const 0) (i32.const "
                                        + WatProbe.DATA
                                        + ") (i32.const 14) (i32.const "
                                        + WatProbe.OUT
                                        + ") (i32.const "
                                        + (WatProbe.OUT + 4)
                                        + "))");
        var w =
                WatProbe.Window.of(
                        tck.exchange(tck.deploy(m.spec("v010-missing")), TckRequest.get("/"))
                                .body());
        tck.evidence(
                "status 0, size 0", "status " + w.status() + ", size " + w.u32(WatProbe.OUT + 4));
        assertEquals(0, w.status());
        assertEquals(0, w.u32(WatProbe.OUT + 4));
    }

    @ConformanceCase(
            id = "V010ContinueRequestAndConfiguration",
            description =
                    "a 0.1.0 module can import and call proxy_continue_request (returns an i32 status) and proxy_get_configuration",
            features = {Feature.ABI_0_1_0, Feature.STREAM_CONTROL},
            hostCalls = {"proxy_continue_request", "proxy_get_configuration"},
            spec = "ABI.md §2.5, §2.9, §8 erratum 8",
            reading =
                    "proxy_continue_request is () -> i32 as every SDK and cpp-host declare it (the 0.1.0 text says it returns nothing)",
            languages = "wat")
    void continueRequest(TckCase tck) {
        WatProbe m =
                WatProbe.withMarker(V010)
                        .importing("proxy_continue_request", "", "i32")
                        .importing("proxy_get_configuration", "i32 i32", "i32")
                        .body(
                                "(i32.add (call $proxy_continue_request) (i32.mul (i32.const 16) (call $proxy_get_configuration (i32.const "
                                        + WatProbe.OUT
                                        + ") (i32.const "
                                        + (WatProbe.OUT + 4)
                                        + "))))");
        var w =
                WatProbe.Window.of(
                        tck.exchange(tck.deploy(m.spec("v010-continue")), TckRequest.get("/"))
                                .body());
        assertEquals(
                0, w.status(), "both calls return OK (status = continue + 16 * configuration)");
    }

    @ConformanceCase(
            id = "V010ContinueResponseAndClearRouteCache",
            description =
                    "a 0.1.0 module can import and call proxy_continue_response and proxy_clear_route_cache, each returning OK",
            features = {Feature.ABI_0_1_0, Feature.STREAM_CONTROL},
            hostCalls = {"proxy_continue_response", "proxy_clear_route_cache"},
            spec = "ABI.md §2.5, §8 erratum 8",
            reading = "both are () -> i32 as every SDK and cpp-host declare them",
            languages = "wat")
    void continueResponse(TckCase tck) {
        WatProbe m =
                WatProbe.withMarker(V010)
                        .importing("proxy_continue_response", "", "i32")
                        .importing("proxy_clear_route_cache", "", "i32")
                        .body(
                                "(i32.add (call $proxy_continue_response) (i32.mul (i32.const 16) (call $proxy_clear_route_cache)))");
        var w =
                WatProbe.Window.of(
                        tck.exchange(tck.deploy(m.spec("v010-route-cache")), TckRequest.get("/"))
                                .body());
        assertEquals(
                0,
                w.status(),
                "both calls return OK (status = continue_response + 16 * clear_route_cache)");
    }

    @ConformanceCase(
            id = "V010CannotImportContinueStream",
            description =
                    "a 0.1.0 module importing proxy_continue_stream (0.2.0+) is refused at load",
            features = {Feature.ABI_0_1_0, Feature.MODULE_LOADING},
            hostCalls = "proxy_continue_stream",
            spec = "ABI.md §2 (version gating)",
            languages = "wat")
    void noContinueStream(TckCase tck) {
        tck.deployRefused(
                WatProbe.withMarker(V010)
                        .importing("proxy_continue_stream", "i32", "i32")
                        .body("(call $proxy_continue_stream (i32.const 0))")
                        .spec("v010-continue-stream"));
    }
}
