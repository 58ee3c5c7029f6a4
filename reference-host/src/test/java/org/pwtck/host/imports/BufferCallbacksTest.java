package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.host.testing.StreamTestSupport.onVm;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Action;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.plugin.HttpStream;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.plugin.TcpStream;
import org.pwtck.host.testing.TestHost;
import org.pwtck.host.testing.Wat;

/**
 * Buffers as modules see them from inside the callbacks that carry them: configuration in {@code
 * on_vm_start} / {@code on_configure}, a body that accumulates while the filter pauses and is
 * forwarded as rewritten, L4 data rewritten in place. Each module stores the statuses it got at
 * fixed addresses (0x7800 and up) and logs the bytes it read.
 */
class BufferCallbacksTest {
    static final AbiFunction[] FUNCTIONS = {
        AbiFunction.PROXY_LOG,
        AbiFunction.PROXY_GET_BUFFER_BYTES,
        AbiFunction.PROXY_SET_BUFFER_BYTES,
        AbiFunction.PROXY_GET_BUFFER_STATUS,
    };

    static TestHost start(String callbacks, Plugin.Builder builder) {
        String body = Wat.imports(FUNCTIONS) + Wat.exports(FUNCTIONS) + callbacks;
        byte[] wasm = Wat.compile(Wat.module(AbiVersion.V0_2_1, body));
        return TestHost.start(
                builder.withName("test").withWasm(wasm, "test.wasm"), HostServices.inMemory());
    }

    static List<String> messages(TestHost host) {
        return host.logs.stream().map(TestHost.LogLine::message).toList();
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    // ---- configuration ----

    static final String CONFIG =
            """
              (data (i32.const 0x7000) "x")
              (func (export "proxy_on_vm_start") (param $root i32) (param $size i32) (result i32)
                (i32.store (i32.const 0x7800) (local.get $size))
                (i32.store (i32.const 0x7804)
                  (call $proxy_get_buffer_bytes (i32.const 6) (i32.const 0) (local.get $size)
                    (i32.const 0x7900) (i32.const 0x7904)))
                (drop (call $proxy_log (i32.const 2)
                  (i32.load (i32.const 0x7900)) (i32.load (i32.const 0x7904))))
                (i32.store (i32.const 0x7808)
                  (call $proxy_get_buffer_status (i32.const 6) (i32.const 0x7908) (i32.const 0x790c)))
                (i32.store (i32.const 0x780c)
                  (call $proxy_set_buffer_bytes (i32.const 6) (i32.const 0) (i32.const 0)
                    (i32.const 0x7000) (i32.const 1)))
                (i32.store (i32.const 0x7810)
                  (call $proxy_get_buffer_bytes (i32.const 7) (i32.const 0) (i32.const 100)
                    (i32.const 0x7910) (i32.const 0x7914)))
                (i32.const 1))
              (func (export "proxy_on_configure") (param $root i32) (param $size i32) (result i32)
                (i32.store (i32.const 0x7820) (local.get $size))
                (i32.store (i32.const 0x7824)
                  (call $proxy_get_buffer_bytes (i32.const 7) (i32.const 0) (local.get $size)
                    (i32.const 0x7920) (i32.const 0x7924)))
                (drop (call $proxy_log (i32.const 2)
                  (i32.load (i32.const 0x7920)) (i32.load (i32.const 0x7924))))
                (i32.store (i32.const 0x7828)
                  (call $proxy_set_buffer_bytes (i32.const 7) (i32.const 0) (i32.const 0)
                    (i32.const 0x7000) (i32.const 1)))
                (i32.store (i32.const 0x782c)
                  (call $proxy_get_buffer_bytes (i32.const 6) (i32.const 0) (i32.const 100)
                    (i32.const 0x7928) (i32.const 0x792c)))
                (i32.const 1))
            """;

    static final String VM_CONFIG = "vm config ✓";
    static final String PLUGIN_CONFIG = "{\"plugin\":\"über\"}";

    static TestHost configured() {
        return start(
                CONFIG,
                Plugin.builder()
                        .withVmConfiguration(VM_CONFIG)
                        .withPluginConfiguration(PLUGIN_CONFIG));
    }

    @Test
    void vmConfigurationIsVisibleInOnVmStart() {
        try (TestHost host = configured()) {
            int length = VM_CONFIG.getBytes(StandardCharsets.UTF_8).length;
            assertEquals(length, host.u32(0x7800), "the size argument counts bytes");
            assertEquals(0, host.u32(0x7804));
            assertEquals(0, host.u32(0x7808));
            assertEquals(length, host.u32(0x7908));
            assertEquals(0, host.u32(0x790c), "flags");
            assertEquals(VM_CONFIG, messages(host).get(0));
        }
    }

    @Test
    void pluginConfigurationIsVisibleInOnConfigure() {
        try (TestHost host = configured()) {
            assertEquals(PLUGIN_CONFIG.getBytes(StandardCharsets.UTF_8).length, host.u32(0x7820));
            assertEquals(0, host.u32(0x7824));
            assertEquals(List.of(VM_CONFIG, PLUGIN_CONFIG), messages(host));
        }
    }

    @Test
    void configurationBuffersAreReadOnly() {
        try (TestHost host = configured()) {
            assertEquals(2, host.u32(0x780c), "set VM configuration");
            assertEquals(2, host.u32(0x7828), "set plugin configuration");
        }
    }

    @Test
    void eachConfigurationIsOnlyInItsOwnCallback() {
        try (TestHost host = configured()) {
            assertEquals(1, host.u32(0x7810), "plugin configuration in on_vm_start");
            assertEquals(1, host.u32(0x782c), "VM configuration in on_configure");
            int ptr = host.slot();
            assertEquals(1, host.call(AbiFunction.PROXY_GET_BUFFER_BYTES, 6, 0, 10, ptr, ptr + 4));
            assertEquals(1, host.call(AbiFunction.PROXY_GET_BUFFER_BYTES, 7, 0, 10, ptr, ptr + 4));
        }
    }

    @Test
    void emptyConfigurationIsOkAndEmpty() {
        try (TestHost host = start(CONFIG, Plugin.builder())) {
            assertEquals(0, host.u32(0x7800));
            assertEquals(0, host.u32(0x7804));
            assertEquals(0, host.u32(0x7900), "ptr 0 for empty data");
            assertEquals(0, host.u32(0x7904));
            assertEquals(0, host.u32(0x7908), "status size");
        }
    }

    // ---- HTTP body: cumulative while paused, forwarded as rewritten ----

    static final String BODY =
            """
              (global $calls (mut i32) (i32.const 0))
              (data (i32.const 0x7000) "REWRITTEN")
              (func (export "proxy_on_request_body")
                  (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
                (i32.store (i32.add (i32.const 0x7a00) (i32.shl (global.get $calls) (i32.const 3)))
                  (local.get $size))
                (i32.store (i32.add (i32.const 0x7a04) (i32.shl (global.get $calls) (i32.const 3)))
                  (local.get $eos))
                (global.set $calls (i32.add (global.get $calls) (i32.const 1)))
                (if (result i32) (i32.eq (global.get $calls) (i32.const 1))
                  (then (i32.const 1))
                  (else
                    (i32.store (i32.const 0x7b0c)
                      (call $proxy_get_buffer_bytes (i32.const 0) (i32.const 0) (local.get $size)
                        (i32.const 0x7b00) (i32.const 0x7b04)))
                    (drop (call $proxy_log (i32.const 2)
                      (i32.load (i32.const 0x7b00)) (i32.load (i32.const 0x7b04))))
                    (i32.store (i32.const 0x7b08)
                      (call $proxy_set_buffer_bytes (i32.const 0) (i32.const 0) (local.get $size)
                        (i32.const 0x7000) (i32.const 9)))
                    (i32.const 0))))
            """;

    @Test
    void bodySizeIsCumulativeWhileTheFilterPauses() {
        try (TestHost host = start(BODY, Plugin.builder())) {
            HttpStream stream = host.vm.newHttpStream(StreamListener.NONE, StreamInfo.local());
            assertEquals(Action.PAUSE, stream.requestBody(bytes("abc"), false));
            assertArrayEquals(new byte[0], stream.takeForwardedRequestBody(), "nothing yet");
            assertEquals(Action.CONTINUE, stream.requestBody(bytes("defg"), true));
            assertEquals(3, host.u32(0x7a00));
            assertEquals(0, host.u32(0x7a04));
            assertEquals(7, host.u32(0x7a08), "the second call sees both chunks");
            assertEquals(1, host.u32(0x7a0c));
            assertEquals(0, host.u32(0x7b0c));
            assertEquals(List.of("abcdefg"), messages(host));
        }
    }

    @Test
    void forwardedBodyIsTheRewrittenBody() {
        try (TestHost host = start(BODY, Plugin.builder())) {
            HttpStream stream = host.vm.newHttpStream(StreamListener.NONE, StreamInfo.local());
            stream.requestBody(bytes("abc"), false);
            stream.requestBody(bytes("defg"), true);
            assertEquals(0, host.u32(0x7b08));
            assertEquals("REWRITTEN", utf8(stream.takeForwardedRequestBody()));
            assertArrayEquals(new byte[0], stream.takeForwardedRequestBody(), "taken once");
            assertEquals(
                    0,
                    (int) onVm(host, () -> stream.context().requestBodyBuffer().length()),
                    "the buffer is emptied once passed on");
        }
    }

    // ---- TCP data ----

    static final String TCP =
            """
              (data (i32.const 0x7000) "rewritten:")
              (data (i32.const 0x7010) "UP")
              (func (export "proxy_on_downstream_data")
                  (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
                (i32.store (i32.const 0x7c00)
                  (call $proxy_set_buffer_bytes (i32.const 2) (i32.const 0) (i32.const 0)
                    (i32.const 0x7000) (i32.const 10)))
                (i32.store (i32.const 0x7c04)
                  (call $proxy_get_buffer_status (i32.const 3) (i32.const 0x7d00) (i32.const 0x7d04)))
                (i32.store (i32.const 0x7c08)
                  (call $proxy_get_buffer_status (i32.const 2) (i32.const 0x7d08) (i32.const 0x7d0c)))
                (i32.store (i32.const 0x7c0c)
                  (call $proxy_get_buffer_status (i32.const 0) (i32.const 0x7d10) (i32.const 0x7d14)))
                (i32.const 0))
              (func (export "proxy_on_upstream_data")
                  (param $ctx i32) (param $size i32) (param $eos i32) (result i32)
                (i32.store (i32.const 0x7c10)
                  (call $proxy_set_buffer_bytes (i32.const 3) (i32.const 0) (local.get $size)
                    (i32.const 0x7010) (i32.const 2)))
                (i32.const 0))
            """;

    @Test
    void downstreamDataIsRewrittenThroughSetBufferBytes() {
        try (TestHost host = start(TCP, Plugin.builder())) {
            TcpStream tcp = host.vm.newTcpStream(StreamListener.NONE, StreamInfo.local());
            TcpStream.Result result = tcp.downstreamData(bytes("payload"), false);
            assertEquals(Action.CONTINUE, result.action());
            assertEquals("rewritten:payload", utf8(result.data()));
            assertEquals(0, host.u32(0x7c00));
            assertEquals(1, host.u32(0x7c04), "upstream data is not visible in on_downstream_data");
            assertEquals(0, host.u32(0x7c08));
            assertEquals(17, host.u32(0x7d08), "the status sees the rewrite");
            assertEquals(1, host.u32(0x7c0c), "an HTTP body on a TCP stream");
        }
    }

    @Test
    void upstreamDataIsRewrittenThroughSetBufferBytes() {
        try (TestHost host = start(TCP, Plugin.builder())) {
            TcpStream tcp = host.vm.newTcpStream(StreamListener.NONE, StreamInfo.local());
            TcpStream.Result result = tcp.upstreamData(bytes("from server"), true);
            assertEquals("UP", utf8(result.data()));
            assertEquals(0, host.u32(0x7c10));
        }
    }

    @Test
    void tcpDataIsNotFoundOutsideItsCallback() {
        try (TestHost host = start(TCP, Plugin.builder())) {
            TcpStream tcp = host.vm.newTcpStream(StreamListener.NONE, StreamInfo.local());
            tcp.downstreamData(bytes("payload"), false);
            int ptr = host.slot();
            assertEquals(
                    1,
                    host.callIn(
                            tcp.contextId(), AbiFunction.PROXY_GET_BUFFER_STATUS, 2, ptr, ptr + 4));
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
