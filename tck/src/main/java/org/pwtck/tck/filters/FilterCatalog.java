package org.pwtck.tck.filters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.pwtck.reports.model.FilterInfo;

/**
 * The filter corpus on the classpath: {@code pwtck/filters/<language>/<name>.wasm} with a {@code
 * manifest.json} per language, as the filters-go and filters-rust jars ship them. Languages without
 * a manifest are simply absent (e.g. TinyGo until it is built).
 */
public final class FilterCatalog {
    /** The filter languages the TCK knows, in report order. */
    public static final List<String> LANGUAGES = List.of("go", "rust", "tinygo");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Map<String, FilterInfo>> byLanguage = new TreeMap<>();

    private FilterCatalog() {}

    /** Loads every manifest found on the classpath. */
    public static FilterCatalog fromClasspath() {
        FilterCatalog catalog = new FilterCatalog();
        for (String language : LANGUAGES) {
            readManifest(language)
                    .ifPresent(
                            manifest -> {
                                Map<String, FilterInfo> filters = new TreeMap<>();
                                String toolchain = manifest.path("toolchain").asText("");
                                String sdk = manifest.path("sdk").asText("");
                                for (JsonNode f : manifest.path("filters")) {
                                    String name = f.path("name").asText();
                                    filters.put(
                                            name,
                                            new FilterInfo(
                                                    language,
                                                    name,
                                                    f.path("sha256").asText(""),
                                                    toolchain,
                                                    sdk));
                                }
                                catalog.byLanguage.put(language, filters);
                            });
        }
        return catalog;
    }

    public List<String> languages() {
        List<String> present = new ArrayList<>();
        for (String l : LANGUAGES) {
            if (byLanguage.containsKey(l)) {
                present.add(l);
            }
        }
        return present;
    }

    public boolean has(String language, String name) {
        return byLanguage.getOrDefault(language, Map.of()).containsKey(name);
    }

    /** The module bytes; a missing filter is an error listing what exists. */
    public byte[] wasm(String language, String name) {
        String resource = "pwtck/filters/" + language + "/" + name + ".wasm";
        try (InputStream in = loader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException(
                        "no "
                                + language
                                + " filter named "
                                + name
                                + " on the classpath ("
                                + resource
                                + "); "
                                + language
                                + " filters: "
                                + byLanguage.getOrDefault(language, Map.of()).keySet());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every filter of every language, for the report's provenance. */
    public List<FilterInfo> all() {
        List<FilterInfo> all = new ArrayList<>();
        byLanguage.values().forEach(m -> all.addAll(m.values()));
        return all;
    }

    private static Optional<JsonNode> readManifest(String language) {
        String resource = "pwtck/filters/" + language + "/manifest.json";
        try (InputStream in = loader().getResourceAsStream(resource)) {
            return in == null ? Optional.empty() : Optional.of(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    private static ClassLoader loader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : FilterCatalog.class.getClassLoader();
    }
}
