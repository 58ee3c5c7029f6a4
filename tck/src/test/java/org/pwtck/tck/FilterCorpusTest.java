package org.pwtck.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.plugin.PluginVm;
import org.pwtck.tck.filters.FilterCatalog;

/**
 * The filter corpus as shipped: both languages have the same filters, every filter loads and starts
 * on the reference host with a valid configuration, and the two probes support the same protocol
 * (docs/filters/PROBE.md, "Lock step").
 */
class FilterCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A configuration each filter accepts (docs/filters/FILTERS.md). */
    static String configFor(String filter) {
        return switch (filter) {
            case "org-product" -> "{\"cluster\": \"httpbin\"}";
            case "auth" -> "{\"header\": \"x-api-key\", \"values\": [\"secret\"]}";
            case "grpc-callout" -> "{\"cluster\": \"grpc\"}";
            default -> "{}";
        };
    }

    @Test
    void goAndRustShipTheSameFilters() {
        FilterCatalog catalog = FilterCatalog.fromClasspath();
        assertTrue(catalog.languages().contains("go"), "no Go filters on the classpath");
        assertTrue(catalog.languages().contains("rust"), "no Rust filters on the classpath");
        Set<String> expected =
                Set.of(
                        "probe",
                        "org-product",
                        "headers",
                        "body",
                        "auth",
                        "counter",
                        "queue",
                        "grpc-callout");
        for (String language : catalog.languages()) {
            assertEquals(expected, names(catalog, language), language + " filters");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyFilterStartsOnTheReferenceHost() {
        FilterCatalog catalog = FilterCatalog.fromClasspath();
        List<DynamicTest> tests = new ArrayList<>();
        for (var f : catalog.all()) {
            tests.add(
                    DynamicTest.dynamicTest(
                            f.language() + "/" + f.name(),
                            () -> {
                                Plugin plugin =
                                        Plugin.builder()
                                                .withName(f.name())
                                                .withWasm(
                                                        catalog.wasm(f.language(), f.name()),
                                                        f.language() + "/" + f.name())
                                                .withPluginConfiguration(configFor(f.name()))
                                                .withLogLevel(LogLevel.WARN)
                                                .withServices(HostServices.inMemory())
                                                .build();
                                try (PluginVm vm = plugin.startVm()) {
                                    assertFalse(vm.isFailed());
                                    assertEquals(
                                            1, vm.contextIds().size(), "only the root context");
                                }
                            }));
        }
        assertFalse(tests.isEmpty(), "no filters found");
        return tests.stream();
    }

    @Test
    void probesSupportTheSameProtocol() throws Exception {
        JsonNode go = capabilities("go");
        JsonNode rust = capabilities("rust");
        for (String field : List.of("args", "reports", "callbacks", "steps")) {
            assertEquals(
                    strings(go.get(field)),
                    strings(rust.get(field)),
                    field + " differ between the Go and Rust probes");
        }
        Set<String> goCalls = strings(go.get("calls"));
        Set<String> rustCalls = strings(rust.get("calls"));
        // The documented exception: 0.2.0 Go modules cannot import proxy_get_log_level.
        rustCalls.remove("proxy_get_log_level");
        assertEquals(goCalls, rustCalls, "call names differ between the Go and Rust probes");
        // The TinyGo probe has no capabilities.json of its own: its sources are generated from
        // the Go probe at build time (filters-tinygo/sync-from-go.sh), so it speaks Go's protocol.
    }

    /** Read from the source tree (tests run in the tck module directory). */
    private static JsonNode capabilities(String language) throws Exception {
        Path file = Path.of("..", "filters-" + language, "probe", "capabilities.json");
        if (!Files.exists(file)) {
            throw new AssertionError("missing " + file.toAbsolutePath().normalize());
        }
        return JSON.readTree(file.toFile());
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Set<String> names(FilterCatalog catalog, String language) {
        Set<String> out = new TreeSet<>();
        catalog.all().stream()
                .filter(f -> f.language().equals(language))
                .forEach(f -> out.add(f.name()));
        return out;
    }
}
