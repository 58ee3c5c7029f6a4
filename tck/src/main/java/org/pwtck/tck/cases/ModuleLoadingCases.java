package org.pwtck.tck.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.Profile;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.wat.WatProbe;

/** ABI markers, required exports, imports by version (ABI.md §3.2, §2 version gating). */
public class ModuleLoadingCases {
    private static final String SPEC = "spec abi-versions/README.md; ABI.md §3.2";

    @ConformanceCase(
            id = "EachAbiMarkerLoads",
            description =
                    "a minimal module loads and serves with each of the markers 0.1.0, 0.2.0 and 0.2.1",
            features = Feature.MODULE_LOADING,
            hostCalls = "proxy_send_local_response",
            spec = SPEC,
            languages = "wat")
    void eachMarker(TckCase tck) {
        for (String marker :
                new String[] {
                    "proxy_abi_version_0_1_0", "proxy_abi_version_0_2_0", "proxy_abi_version_0_2_1"
                }) {
            var d = tck.deploy(WatProbe.withMarker(marker).body("i32.const 7").spec("marker"));
            var w = WatProbe.Window.of(tck.exchange(d, TckRequest.get("/")).body());
            assertEquals(7, w.status(), marker);
        }
    }

    @ConformanceCase(
            id = "NoAbiMarkerIsRefused",
            description = "a module that exports no proxy_abi_version_* marker is refused at load",
            features = Feature.MODULE_LOADING,
            spec = SPEC,
            profile = Profile.ROBUSTNESS,
            languages = "wat")
    void noMarker(TckCase tck) {
        var refusal = tck.deployRefused(WatProbe.withMarker("").spec("no-marker"));
        assertNotNull(refusal.getMessage());
    }

    @ConformanceCase(
            id = "UnknownAbiMarkerIsRefused",
            description =
                    "a module whose only marker is proxy_abi_version_9_9_9 is refused at load",
            features = Feature.MODULE_LOADING,
            spec = SPEC,
            profile = Profile.ROBUSTNESS,
            languages = "wat")
    void unknownMarker(TckCase tck) {
        tck.deployRefused(WatProbe.withMarker("proxy_abi_version_9_9_9").spec("unknown-marker"));
    }

    @ConformanceCase(
            id = "NoAllocatorIsRefused",
            description =
                    "a module that exports neither proxy_on_memory_allocate nor malloc is refused at load",
            features = Feature.MODULE_LOADING,
            spec = "ABI.md §3.2 (required exports)",
            profile = Profile.ROBUSTNESS,
            languages = "wat")
    void noAllocator(TckCase tck) {
        tck.deployRefused(WatProbe.v021().withoutAllocator().spec("no-allocator"));
    }

    @ConformanceCase(
            id = "MissingHostFunctionIsRefused",
            description =
                    "a module importing a host function that does not exist (env.proxy_pwtck_nonexistent) is refused at load",
            features = Feature.MODULE_LOADING,
            spec = "ABI.md §4 (❌ no such import)",
            profile = Profile.ROBUSTNESS,
            languages = "wat")
    void missingImport(TckCase tck) {
        tck.deployRefused(
                WatProbe.v021()
                        .importing("proxy_pwtck_nonexistent", "i32", "i32")
                        .body("(call $proxy_pwtck_nonexistent (i32.const 0))")
                        .spec("missing-import"));
    }

    @ConformanceCase(
            id = "LogLevelNotImportableByV020Module",
            description =
                    "a 0.2.0 module that imports proxy_get_log_level (a 0.2.1 function) is refused, as Envoy does",
            features = {Feature.MODULE_LOADING, Feature.LOGGING},
            hostCalls = "proxy_get_log_level",
            spec = "ABI.md §2 (version gating in cpp-host), §4.2 item 4",
            reading = "host functions are linked according to the module's ABI marker (cpp-host)",
            profile = Profile.ROBUSTNESS,
            languages = "wat")
    void logLevelGated(TckCase tck) {
        tck.deployRefused(
                WatProbe.withMarker("proxy_abi_version_0_2_0")
                        .importing("proxy_get_log_level", "i32", "i32")
                        .body("(call $proxy_get_log_level (i32.const 0x110))")
                        .spec("gated-log-level"));
    }

    @ConformanceCase(
            id = "TwoAbiMarkersAreRefused",
            description = "a module exporting two ABI markers is refused",
            features = Feature.MODULE_LOADING,
            spec = SPEC,
            reading =
                    "two markers are ambiguous and refused (the reference host); cpp-host takes the first",
            profile = Profile.ROBUSTNESS,
            languages = "wat")
    void twoMarkers(TckCase tck) {
        tck.deployRefused(
                WatProbe.v021()
                        .extra("  (func (export \"proxy_abi_version_0_2_0\"))")
                        .spec("two-markers"));
    }

    @ConformanceCase(
            id = "NotWasmIsRefused",
            description = "bytes that are not a WebAssembly module are refused at load",
            features = Feature.MODULE_LOADING,
            spec = "ABI.md §3.2",
            profile = Profile.ROBUSTNESS,
            languages = "wat")
    void notWasm(TckCase tck) {
        tck.deployRefused(FilterSpec.of("not-wasm", "wat", "this is not wasm".getBytes(), ""));
    }

    @ConformanceCase(
            id = "AllocatorPrecedence",
            description =
                    "with both proxy_on_memory_allocate and malloc exported, returned data lands in proxy_on_memory_allocate's arena",
            features = Feature.MODULE_LOADING,
            hostCalls = {"proxy_get_header_map_value", "proxy_on_memory_allocate", "malloc"},
            spec = "ABI.md §3.1, §8 erratum 7",
            reading =
                    "proxy_on_memory_allocate first, malloc as fallback (spec text); cpp-host and ngx prefer malloc",
            languages = "wat")
    void allocatorPrecedence(TckCase tck) {
        // malloc hands out addresses from 0xC000; proxy_on_memory_allocate from 0x8000.
        WatProbe m =
                WatProbe.v021()
                        .importing("proxy_get_header_map_value", "i32 i32 i32 i32 i32", "i32")
                        .data(WatProbe.DATA, ":path")
                        .extra(
                                "  (global $mheap (mut i32) (i32.const 0xC000))\n"
                                        + "  (func (export \"malloc\") (param $n i32) (result i32) (local $p i32)\n"
                                        + "    global.get $mheap local.set $p global.get $mheap local.get $n i32.add global.set $mheap local.get $p)")
                        .body(
                                "(call $proxy_get_header_map_value (i32.const 0) (i32.const "
                                        + WatProbe.DATA
                                        + ") (i32.const 5) (i32.const "
                                        + WatProbe.OUT
                                        + ") (i32.const "
                                        + (WatProbe.OUT + 4)
                                        + "))");
        var w =
                WatProbe.Window.of(
                        tck.exchange(tck.deploy(m.spec("two-allocators")), TckRequest.get("/"))
                                .body());
        assertEquals(0, w.status());
        int ptr = w.u32(WatProbe.OUT);
        tck.evidence(
                "pointer in [0x8000, 0xC000) (proxy_on_memory_allocate)",
                "0x" + Integer.toHexString(ptr));
        org.junit.jupiter.api.Assertions.assertTrue(
                ptr >= 0x8000 && ptr < 0xC000, "0x" + Integer.toHexString(ptr));
    }
}
