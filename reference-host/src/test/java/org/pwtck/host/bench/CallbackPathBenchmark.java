package org.pwtck.host.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Action;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.plugin.HttpStream;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.plugin.PluginVm;
import org.pwtck.host.plugin.VmExecutor;
import org.pwtck.host.testing.Wat;
import org.pwtck.host.vm.EngineMode;

/**
 * One HTTP request's callback path through a filter: context create, request headers, response
 * headers, then on_done, on_log, on_delete — in Chicory's interpreter and compiler. The VM runs on
 * the benchmark thread (no hand-over), as it does on a proxy's event loop.
 *
 * <p>Run: {@code mvn -pl reference-host -Pbench test-compile exec:exec}. The {@code module}
 * parameter picks the filter: {@code wat} (a small raw module that reads and adds headers) or a
 * path to a {@code .wasm} (e.g. {@code
 * filters-rust/src/main/resources/pwtck/filters/rust/headers.wasm}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CallbackPathBenchmark {

    /** A filter that reads :path and adds a request and a response header, with raw imports. */
    static final String HEADERS_WAT =
            Wat.module(
                    AbiVersion.V0_2_1,
                    """
                      (import "env" "proxy_get_header_map_value" (func $get (param i32 i32 i32 i32 i32) (result i32)))
                      (import "env" "proxy_add_header_map_value" (func $add (param i32 i32 i32 i32 i32) (result i32)))
                      (data (i32.const 256) ":pathx-benchyes")
                      (func (export "proxy_on_context_create") (param i32 i32))
                      (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
                        (drop (call $get (i32.const 0) (i32.const 256) (i32.const 5) (i32.const 512) (i32.const 516)))
                        (drop (call $add (i32.const 0) (i32.const 261) (i32.const 7) (i32.const 268) (i32.const 3)))
                        (i32.const 0))
                      (func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32)
                        (drop (call $add (i32.const 2) (i32.const 261) (i32.const 7) (i32.const 268) (i32.const 3)))
                        (i32.const 0))
                      (func (export "proxy_on_done") (param i32) (result i32) (i32.const 1))
                      (func (export "proxy_on_log") (param i32))
                      (func (export "proxy_on_delete") (param i32))
                    """);

    @Param({"INTERPRETER", "COMPILER"})
    public EngineMode engine;

    @Param({"wat"})
    public String module;

    private PluginVm vm;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        byte[] wasm =
                module.equals("wat")
                        ? Wat.compile(HEADERS_WAT)
                        : Files.readAllBytes(Path.of(module));
        Plugin plugin =
                Plugin.builder()
                        .withName("bench")
                        .withWasm(wasm, module)
                        .withEngine(engine)
                        .withLogLevel(org.pwtck.host.abi.LogLevel.ERROR)
                        .build();
        vm = plugin.startVm(sameThread());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        vm.close();
    }

    @Benchmark
    public Action request() {
        HttpStream stream = vm.newHttpStream(StreamListener.NONE, StreamInfo.local());
        stream.requestHeaders(
                HeaderMap.of(":method", "GET", ":path", "/bench", ":authority", "localhost"), true);
        Action action =
                stream.responseHeaders(HeaderMap.of(":status", "200", "content-length", "0"), true);
        stream.complete();
        return action;
    }

    /** Runs everything on the calling thread, like an event loop that owns its VM. */
    static VmExecutor sameThread() {
        return new VmExecutor() {
            @Override
            public boolean inThread() {
                return true;
            }

            @Override
            public void execute(Runnable task) {
                task.run();
            }
        };
    }
}
