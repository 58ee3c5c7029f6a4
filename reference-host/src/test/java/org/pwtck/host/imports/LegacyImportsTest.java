package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.host.testing.StreamTestSupport.sentinel;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Action;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.plugin.HttpStream;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.testing.StreamTestSupport.RecordingListener;
import org.pwtck.host.testing.TestHost;
import org.pwtck.host.testing.Wat;

/**
 * The functions only ABI 0.1.0 has, and the 0.1.0 shape of the headers callbacks (no {@code
 * end_of_stream}). The module logs what {@code proxy_get_configuration} returned in {@code
 * on_vm_start} and {@code on_configure}.
 */
class LegacyImportsTest {
    static final AbiFunction CONFIG = AbiFunction.PROXY_GET_CONFIGURATION;
    static final AbiFunction CONTINUE_REQUEST = AbiFunction.PROXY_CONTINUE_REQUEST;
    static final AbiFunction CONTINUE_RESPONSE = AbiFunction.PROXY_CONTINUE_RESPONSE;
    static final AbiFunction CLEAR_ROUTE_CACHE = AbiFunction.PROXY_CLEAR_ROUTE_CACHE;
    static final AbiFunction[] FUNCTIONS = {
        CONFIG, CONTINUE_REQUEST, CONTINUE_RESPONSE, CLEAR_ROUTE_CACHE, AbiFunction.PROXY_LOG
    };

    static final String CALLBACKS =
            """
              (func (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32)
                (i32.store (i32.const 0x7800)
                  (call $proxy_get_configuration (i32.const 0x7900) (i32.const 0x7904)))
                (drop (call $proxy_log (i32.const 2)
                  (i32.load (i32.const 0x7900)) (i32.load (i32.const 0x7904))))
                (i32.const 1))
              (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
                (i32.store (i32.const 0x7804)
                  (call $proxy_get_configuration (i32.const 0x7908) (i32.const 0x790c)))
                (drop (call $proxy_log (i32.const 2)
                  (i32.load (i32.const 0x7908)) (i32.load (i32.const 0x790c))))
                (i32.const 1))
              (func (export "proxy_on_request_headers") (param $ctx i32) (param $n i32) (result i32)
                (i32.store (i32.const 0x7810) (local.get $n))
                (i32.store (i32.const 0x7814) (i32.add (i32.load (i32.const 0x7814)) (i32.const 1)))
                (i32.const 0))
            """;

    private TestHost host;

    static TestHost start(Plugin.Builder builder) {
        String body = Wat.imports(FUNCTIONS) + Wat.exports(FUNCTIONS) + CALLBACKS;
        byte[] wasm = Wat.compile(Wat.module(AbiVersion.V0_1_0, body));
        return TestHost.start(
                builder.withName("legacy").withWasm(wasm, "legacy.wasm"), HostServices.inMemory());
    }

    @BeforeEach
    void start() {
        host =
                start(
                        Plugin.builder()
                                .withVmConfiguration("the vm config")
                                .withPluginConfiguration("the plugin config"));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private List<String> messages() {
        return host.logs.stream().map(TestHost.LogLine::message).toList();
    }

    @Test
    void getConfigurationIsTheVmConfigurationInOnVmStartAndThePluginOneInOnConfigure() {
        assertEquals(0, host.u32(0x7800));
        assertEquals(0, host.u32(0x7804));
        assertEquals(List.of("the vm config", "the plugin config"), messages());
    }

    @Test
    void getConfigurationOutsideOnConfigureIsTheVmConfiguration() {
        int ptr = host.slot();
        int size = host.slot();
        assertEquals(0, host.call(CONFIG, ptr, size));
        assertEquals("the vm config", host.outString(ptr, size));
        assertArrayEquals(sentinel(12), host.read(ptr + 4, 12));
        assertArrayEquals(sentinel(12), host.read(size + 4, 12));
    }

    @Test
    void emptyConfigurationIsOkWithPointerZero() {
        try (TestHost bare = start(Plugin.builder())) {
            assertEquals(0, bare.u32(0x7800));
            assertEquals(0, bare.u32(0x7900));
            assertEquals(0, bare.u32(0x7904));
        }
    }

    @Test
    void getConfigurationWithABadPointerIsInvalidMemoryAccess() {
        int ok = host.slot();
        assertEquals(6, host.call(CONFIG, 0xFFFFFFF0L, ok));
        assertEquals(6, host.call(CONFIG, ok, 0x1FFFE));
        assertArrayEquals(sentinel(16), host.read(ok, 16));
    }

    @Test
    void continueRequestContinueResponseAndClearRouteCacheReachTheStream() {
        RecordingListener listener = new RecordingListener();
        HttpStream stream = host.vm.newHttpStream(listener, StreamInfo.local());
        assertEquals(0, host.callIn(stream.contextId(), CONTINUE_REQUEST));
        assertEquals(0, host.callIn(stream.contextId(), CONTINUE_RESPONSE));
        assertEquals(0, host.callIn(stream.contextId(), CLEAR_ROUTE_CACHE));
        assertEquals(
                List.of("continue HTTP_REQUEST", "continue HTTP_RESPONSE", "clear route cache"),
                listener.events);
    }

    @Test
    void fromARootContextTheyAreNotFound() {
        assertEquals(1, host.call(CONTINUE_REQUEST));
        assertEquals(1, host.call(CONTINUE_RESPONSE));
        assertEquals(1, host.call(CLEAR_ROUTE_CACHE));
    }

    @Test
    void requestHeadersCallbackGetsTwoArguments() {
        HttpStream stream = host.vm.newHttpStream(new RecordingListener(), StreamInfo.local());
        Action action =
                stream.requestHeaders(HeaderMap.of(":path", "/", ":method", "GET", "x", "y"), true);
        assertEquals(Action.CONTINUE, action);
        assertEquals(1, host.u32(0x7814), "called once");
        assertEquals(3, host.u32(0x7810), "the header count is the second argument");
    }
}
