package org.pwtck.host.bench;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import io.roastedroot.proxywasm.LogHandler;
import io.roastedroot.proxywasm.LogLevel;
import io.roastedroot.proxywasm.PluginFactory;
import io.roastedroot.proxywasm.WasmException;
import io.roastedroot.proxywasm.internal.ArrayProxyMap;
import io.roastedroot.proxywasm.internal.HttpContext;
import io.roastedroot.proxywasm.internal.HttpRequestAdaptor;
import io.roastedroot.proxywasm.internal.Plugin;
import io.roastedroot.proxywasm.internal.PluginHttpContext;
import io.roastedroot.proxywasm.internal.ProxyMap;
import io.roastedroot.proxywasm.internal.WasmResult;
import java.util.List;
import java.util.function.Function;
import org.pwtck.host.vm.EngineMode;

/**
 * The same callback path through {@code io.roastedroot:proxy-wasm-java-host} 0.0.5's plugin API, as
 * its JAX-RS filter uses it: {@code PluginFactory} → a plugin (one per thread, not shared, so taken
 * without its lock), an HTTP context per request over a request adaptor that holds the header maps,
 * {@code callOnRequestHeaders}, {@code callOnResponseHeaders}, then {@code close()} (on_done,
 * on_log, on_delete). Chicory's runtime compiler is chosen through the builder's machine factory,
 * built exactly as the reference host builds it.
 */
final class JavaHostPath implements CallbackPath {
    private static final LogHandler ERRORS_ONLY =
            new LogHandler() {
                @Override
                public LogLevel getLogLevel() {
                    return LogLevel.ERROR;
                }
            };

    private final Plugin plugin;
    private Request last;

    JavaHostPath(byte[] wasm, EngineMode engine, String pluginConfig) throws Exception {
        this(wasm, engine, pluginConfig, null);
    }

    /**
     * With a machine factory of the caller's own, which then overrides {@code engine}: {@link
     * HostCallCensus} takes it to reach the Chicory instance java-host builds.
     */
    JavaHostPath(
            byte[] wasm,
            EngineMode engine,
            String pluginConfig,
            Function<Instance, Machine> machineFactory)
            throws Exception {
        WasmModule module = Parser.parse(wasm);
        PluginFactory.Builder b =
                PluginFactory.builder(module)
                        .withName("bench")
                        .withPluginConfig(pluginConfig)
                        .withLogger(ERRORS_ONLY)
                        .withShared(false);
        if (machineFactory != null) {
            b.withMachineFactory(machineFactory);
        } else if (engine == EngineMode.COMPILER) {
            b.withMachineFactory(
                    MachineFactoryCompiler.builder(module)
                            .withInterpreterFallback(InterpreterFallback.SILENT)
                            .compile());
        }
        plugin = (Plugin) b.build().create();
    }

    @Override
    public Object request() {
        last = new Request();
        HttpContext http = plugin.createHttpContext(last).context();
        http.callOnRequestHeaders(true);
        Object action = http.callOnResponseHeaders(true);
        http.close();
        return action;
    }

    @Override
    public String lastRequestHeader(String name) {
        return last.requestHeaders.get(name);
    }

    @Override
    public String lastResponseHeader(String name) {
        return last.responseHeaders.get(name);
    }

    @Override
    public void close() {
        plugin.close();
    }

    /** What java-host asks a server integration about the request being filtered. */
    private static final class Request implements HttpRequestAdaptor {
        final ProxyMap requestHeaders =
                ProxyMap.of(":method", "GET", ":path", "/bench", ":authority", "localhost");
        final ProxyMap responseHeaders = ProxyMap.of(":status", "200", "content-length", "0");

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }

        @Override
        public int remotePort() {
            return 40000;
        }

        @Override
        public String localAddress() {
            return "127.0.0.1";
        }

        @Override
        public int localPort() {
            return 8080;
        }

        @Override
        public String protocol() {
            return "HTTP/1.1";
        }

        @Override
        public ProxyMap getHttpRequestHeaders() {
            return requestHeaders;
        }

        @Override
        public ProxyMap getHttpRequestTrailers() {
            return new ArrayProxyMap();
        }

        @Override
        public ProxyMap getHttpResponseHeaders() {
            return responseHeaders;
        }

        @Override
        public ProxyMap getHttpResponseTrailers() {
            return new ArrayProxyMap();
        }

        @Override
        public ProxyMap getGrpcReceiveInitialMetaData() {
            return new ArrayProxyMap();
        }

        @Override
        public ProxyMap getGrpcReceiveTrailerMetaData() {
            return new ArrayProxyMap();
        }

        @Override
        public byte[] getProperty(PluginHttpContext pluginRequest, List<String> path)
                throws WasmException {
            return null;
        }

        @Override
        public WasmResult setProperty(
                PluginHttpContext pluginRequest, List<String> path, byte[] value) {
            return WasmResult.NOT_FOUND;
        }
    }
}
