package org.pwtck.tck.latency.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.pwtck.tck.filters.FilterCatalog;

/**
 * Which arms a run has. The baselines come first ({@link ArmSpec#REFERENCE_NONE} sets the offered
 * rates), then the direct arm, the reference host's filters per engine, and Envoy with the same
 * filters. The filters' {@code .wasm} files are written from the filter jars into the run's
 * directory, since both proxies load a module from a file.
 */
final class ArmCatalog {
    /** One header added each way: the cheapest filter that still crosses into wasm twice. */
    static final String HEADERS_CONFIG =
            "{\"request\": {\"add\": {\"x-pwtck-bench\": \"1\"}},"
                    + " \"response\": {\"add\": {\"x-pwtck-bench\": \"1\"}}}";

    /** Calls the {@code httpbin} cluster's {@code /headers} on every request. */
    static final String ORG_PRODUCT_CONFIG = "{\"cluster\": \"httpbin\"}";

    private final Path dir;
    private final FilterCatalog filters = FilterCatalog.fromClasspath();

    ArmCatalog(Path dir) {
        this.dir = dir;
    }

    /** Every arm of the published run. */
    List<ArmSpec> full(boolean envoy) {
        List<ArmSpec> arms = baselines(envoy);
        List<FilterUnderTest> ref = new ArrayList<>();
        ref.add(corpus("headers", "rust", HEADERS_CONFIG, "interpreter"));
        ref.add(corpus("headers", "rust", HEADERS_CONFIG, "compiler"));
        ref.add(corpus("headers", "go", HEADERS_CONFIG, "interpreter"));
        ref.add(corpus("headers", "go", HEADERS_CONFIG, "compiler"));
        if (filters.has("tinygo", "headers")) {
            ref.add(corpus("headers", "tinygo", HEADERS_CONFIG, "compiler"));
        }
        ref.add(corpus("org-product", "rust", ORG_PRODUCT_CONFIG, "compiler"));
        ref.add(corpus("org-product", "go", ORG_PRODUCT_CONFIG, "compiler"));
        ref.forEach(f -> arms.add(ArmSpec.reference(f)));
        if (envoy) {
            ref.stream()
                    .filter(f -> f.engine().equals("compiler"))
                    .forEach(f -> arms.add(ArmSpec.envoy(f)));
        }
        return arms;
    }

    /**
     * Every kind of arm once, with the small Rust modules only: Envoy takes 8–13 s to start a Go
     * module, which a CI smoke run does not need.
     */
    List<ArmSpec> smoke(boolean envoy) {
        List<ArmSpec> arms = baselines(envoy);
        FilterUnderTest headers = corpus("headers", "rust", HEADERS_CONFIG, "compiler");
        FilterUnderTest orgProduct = corpus("org-product", "rust", ORG_PRODUCT_CONFIG, "compiler");
        arms.add(ArmSpec.reference(corpus("headers", "rust", HEADERS_CONFIG, "interpreter")));
        arms.add(ArmSpec.reference(headers));
        arms.add(ArmSpec.reference(orgProduct));
        if (envoy) {
            arms.add(ArmSpec.envoy(headers));
            arms.add(ArmSpec.envoy(orgProduct));
        }
        return arms;
    }

    /** Your own filter on both engines and on Envoy, with the baselines. */
    List<ArmSpec> custom(Path wasm, String name, String config, boolean envoy) {
        if (!Files.isRegularFile(wasm)) {
            throw new IllegalArgumentException("--filter " + wasm + ": no such file");
        }
        List<ArmSpec> arms = baselines(envoy);
        for (String engine : List.of("interpreter", "compiler")) {
            arms.add(
                    ArmSpec.reference(
                            new FilterUnderTest(
                                    name, "custom", wasm.toAbsolutePath(), config, engine)));
        }
        if (envoy) {
            arms.add(
                    ArmSpec.envoy(
                            new FilterUnderTest(
                                    name, "custom", wasm.toAbsolutePath(), config, "v8")));
        }
        return arms;
    }

    private static List<ArmSpec> baselines(boolean envoy) {
        List<ArmSpec> arms = new ArrayList<>();
        arms.add(ArmSpec.none(ArmSpec.REFERENCE));
        arms.add(ArmSpec.direct());
        if (envoy) {
            arms.add(ArmSpec.none(ArmSpec.ENVOY));
        }
        return arms;
    }

    private FilterUnderTest corpus(String name, String language, String config, String engine) {
        Path file = dir.resolve("filters").resolve(language).resolve(name + ".wasm");
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.write(file, filters.wasm(language, name));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new FilterUnderTest(name, language, file, config, engine);
    }
}
