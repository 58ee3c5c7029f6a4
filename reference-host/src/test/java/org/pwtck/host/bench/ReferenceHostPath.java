package org.pwtck.host.bench;

import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.plugin.HttpStream;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.plugin.PluginVm;
import org.pwtck.host.plugin.VmExecutor;
import org.pwtck.host.vm.EngineMode;

/** The reference host's callback path: a {@link PluginVm} on the benchmark thread. */
final class ReferenceHostPath implements CallbackPath {
    private final PluginVm vm;
    private HeaderMap request;
    private HeaderMap response;

    ReferenceHostPath(byte[] wasm, String name, EngineMode engine, String pluginConfig) {
        Plugin plugin =
                Plugin.builder()
                        .withName("bench")
                        .withWasm(wasm, name)
                        .withEngine(engine)
                        .withPluginConfiguration(pluginConfig)
                        .withLogLevel(LogLevel.ERROR)
                        .build();
        vm = plugin.startVm(VmExecutor.callingThread());
    }

    @Override
    public Object request() {
        request = HeaderMap.of(":method", "GET", ":path", "/bench", ":authority", "localhost");
        response = HeaderMap.of(":status", "200", "content-length", "0");
        HttpStream stream = vm.newHttpStream(StreamListener.NONE, StreamInfo.local());
        stream.requestHeaders(request, true);
        Object action = stream.responseHeaders(response, true);
        stream.complete();
        return action;
    }

    @Override
    public String lastRequestHeader(String name) {
        return request.get(name).orElse(null);
    }

    @Override
    public String lastResponseHeader(String name) {
        return response.get(name).orElse(null);
    }

    @Override
    public void close() {
        vm.close();
    }
}
