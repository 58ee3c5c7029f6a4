package org.pwtck.tck.latency.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.plugin.HttpStream;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.plugin.PluginVm;
import org.pwtck.host.vm.EngineMode;
import org.pwtck.host.vm.ModuleCache;
import org.pwtck.reports.latency.LatencyReport.ColdStart;

/**
 * How long a filter takes to be ready on the reference host's library API: once with the module
 * cache emptied (what the first worker pays: parse, validate, compile), then with the module cached
 * (what every further worker and a reload pay; the median of three). Each time: {@code
 * Plugin.build()}, {@code startVm()}, and one request's callbacks.
 */
final class ColdStartProbe {
    private static final int CACHED_REPEATS = 3;

    private ColdStartProbe() {}

    static ColdStart measure(FilterUnderTest f) throws Exception {
        byte[] wasm = Files.readAllBytes(f.wasm());
        EngineMode engine = EngineMode.valueOf(f.engine().toUpperCase(Locale.ROOT));
        ModuleCache.shared().clear();
        double[] first = once(f, wasm, engine);
        double[][] cached = new double[CACHED_REPEATS][];
        for (int i = 0; i < CACHED_REPEATS; i++) {
            cached[i] = once(f, wasm, engine);
        }
        // The median run by total time, kept whole so its three parts add up.
        Arrays.sort(cached, (a, b) -> Double.compare(a[0] + a[1] + a[2], b[0] + b[1] + b[2]));
        double[] median = cached[CACHED_REPEATS / 2];
        ModuleCache.shared().clear(); // parsed Go modules are large; free them for the load runs
        return new ColdStart(
                f.name(),
                f.language(),
                f.engine(),
                wasm.length,
                first[0],
                first[1],
                first[2],
                median[0],
                median[1],
                median[2]);
    }

    /** {load, start, first request} in ms. */
    private static double[] once(FilterUnderTest f, byte[] wasm, EngineMode engine) {
        long t0 = System.nanoTime();
        Plugin plugin =
                Plugin.builder()
                        .withName(f.name())
                        .withWasm(wasm, Path.of(f.wasm().getFileName().toString()).toString())
                        .withPluginConfiguration(f.config())
                        .withEngine(engine)
                        .build();
        long t1 = System.nanoTime();
        try (PluginVm vm = plugin.startVm()) {
            long t2 = System.nanoTime();
            HttpStream stream = vm.newHttpStream(new StreamListener() {}, StreamInfo.local());
            stream.requestHeaders(
                    HeaderMap.of(
                            ":method",
                            "GET",
                            ":path",
                            "/bench",
                            ":authority",
                            "bench",
                            "org",
                            "acme",
                            "product",
                            "rocket"),
                    true);
            stream.responseHeaders(HeaderMap.of(":status", "200"), true);
            stream.complete();
            long t3 = System.nanoTime();
            return new double[] {ms(t1 - t0), ms(t2 - t1), ms(t3 - t2)};
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
