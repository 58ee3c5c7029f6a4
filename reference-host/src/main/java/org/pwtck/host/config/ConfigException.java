package org.pwtck.host.config;

import java.util.List;

/**
 * The configuration was refused. Each problem names the file, the field path and the reason, e.g.
 * {@code host.yaml: routes[0].filters[1]: unknown filter "hedaers" (known: headers, auth)}.
 */
public final class ConfigException extends Exception {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    public List<String> problems() {
        return problems;
    }
}
