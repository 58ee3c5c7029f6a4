package org.pwtck.host.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.pwtck.host.testing.Wat;
import org.pwtck.host.vm.EngineMode;

/**
 * One HTTP request's callback path through a filter — context create, request headers, response
 * headers, then on_done, on_log, on_delete — in the reference host and, like for like, in {@code
 * io.roastedroot:proxy-wasm-java-host} (the other Java host on Chicory), on the same module, in
 * Chicory's interpreter and runtime compiler. The VM runs on the benchmark thread (no hand-over),
 * as on a proxy's event loop.
 *
 * <p>Run: {@code mvn -pl reference-host -Pbench test-compile exec:exec}. {@code module}: {@code
 * wat} (a small raw module that reads {@code :path} and adds a header each way), {@code rust},
 * {@code go} or {@code tinygo} (that language's {@code headers} filter from the corpus, configured
 * to add a header each way), or a path to a {@code .wasm}. Each trial first runs one request and
 * checks, in both hosts, that the filter's headers are there: a host that did not really run the
 * filter fails the trial instead of measuring nothing.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CallbackPathBenchmark {
    static final String HEADER = "x-bench";

    /**
     * A filter that reads :path and adds x-bench: yes to the request and the response. Its bump
     * allocator starts over when the request's context is deleted: without that, its 2 pages ran
     * out after some 20,000 requests, and from then on every request measured a host's
     * out-of-memory error path (the copy of :path failing) instead of the callback path.
     */
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
                      (func (export "proxy_on_delete") (param i32)
                        (global.set $heap (i32.const %d)))
                    """
                            .formatted(Wat.HEAP_START));

    /** The corpus headers filter's config (docs/filters/FILTERS.md): the same header each way. */
    static final String HEADERS_CONFIG =
            "{\"request\": {\"add\": {\"x-bench\": \"yes\"}},"
                    + " \"response\": {\"add\": {\"x-bench\": \"yes\"}}}";

    @Param({"reference", "java-host"})
    public String host;

    @Param({"INTERPRETER", "COMPILER"})
    public EngineMode engine;

    @Param({"wat"})
    public String module;

    private CallbackPath path;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        byte[] wasm = module.equals("wat") ? Wat.compile(HEADERS_WAT) : Files.readAllBytes(wasm());
        path =
                switch (host) {
                    case "reference" -> new ReferenceHostPath(wasm, module, engine, HEADERS_CONFIG);
                    case "java-host" -> new JavaHostPath(wasm, engine, HEADERS_CONFIG);
                    default -> throw new IllegalArgumentException("host: " + host);
                };
        path.request();
        String request = path.lastRequestHeader(HEADER);
        String response = path.lastResponseHeader(HEADER);
        if (!"yes".equals(request) || !"yes".equals(response)) {
            throw new IllegalStateException(
                    host
                            + " did not run the filter "
                            + module
                            + ": request "
                            + HEADER
                            + "="
                            + request
                            + ", response "
                            + HEADER
                            + "="
                            + response);
        }
    }

    /** A corpus language's headers filter, found from the repository root or a module dir. */
    private Path wasm() {
        if (!List.of("rust", "go", "tinygo").contains(module)) {
            return Path.of(module);
        }
        Path inRepo =
                Path.of("filters-" + module, "src/main/resources/pwtck/filters", module)
                        .resolve("headers.wasm");
        return Files.isRegularFile(inRepo) ? inRepo : Path.of("..").resolve(inRepo);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        path.close();
    }

    @Benchmark
    public Object request(CpuTime cpu) {
        cpu.requests++;
        return path.request();
    }

    /**
     * The benchmark thread's CPU time per request, measured next to JMH's wall-clock score: on a
     * machine shared with other busy jobs the wall clock also counts the time the thread waited for
     * a CPU, which says more about the machine than about the host; CPU time mostly does not (it
     * still pays for caches shared with the others). {@link CpuTimeProfiler} reports it as the
     * secondary result {@code cpuMicrosPerRequest}.
     */
    @State(Scope.Thread)
    public static class CpuTime {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        /** The last iteration's figure, handed to the profiler (it runs on another thread). */
        static volatile double lastMicrosPerRequest = Double.NaN;

        long requests;
        private long startNanos;

        @Setup(Level.Iteration)
        public void start() {
            requests = 0;
            startNanos = THREADS.getCurrentThreadCpuTime();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            long used = THREADS.getCurrentThreadCpuTime() - startNanos;
            lastMicrosPerRequest = requests == 0 ? Double.NaN : used / 1000.0 / requests;
        }
    }
}
