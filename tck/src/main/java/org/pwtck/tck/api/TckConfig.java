package org.pwtck.tck.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The TCK's options, from JUnit configuration parameters or system properties of the same name:
 *
 * <ul>
 *   <li>{@code pwtck.host} — the host id (default {@code reference})
 *   <li>{@code pwtck.report.dir} — where reports go (default {@code target/tck-report})
 *   <li>{@code pwtck.languages} — filter languages to run, comma separated (default: all found)
 *   <li>{@code pwtck.expectations} — an expectation file overriding the host's bundled one
 *   <li>{@code pwtck.timeout.seconds} — per exchange (default 10)
 *   <li>{@code pwtck.envoy.bin}, {@code pwtck.external.url}, … — read by the adapters
 * </ul>
 */
public record TckConfig(Function<String, Optional<String>> parameters) {

    public String host() {
        return get("pwtck.host").orElse("reference");
    }

    public Path reportDir() {
        return Path.of(get("pwtck.report.dir").orElse("target/tck-report"));
    }

    public Optional<String> languages() {
        return get("pwtck.languages");
    }

    public Optional<Path> expectations() {
        return get("pwtck.expectations").map(Path::of);
    }

    public Duration exchangeTimeout() {
        return Duration.ofSeconds(Long.parseLong(get("pwtck.timeout.seconds").orElse("10")));
    }

    public Optional<String> get(String key) {
        Optional<String> value = parameters.apply(key).filter(s -> !s.isBlank());
        return value.isPresent()
                ? value
                : Optional.ofNullable(System.getProperty(key)).filter(s -> !s.isBlank());
    }
}
