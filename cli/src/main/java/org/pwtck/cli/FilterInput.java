package org.pwtck.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.pwtck.host.vm.ModuleInspection;
import org.pwtck.host.vm.ModuleLoadException;

/**
 * The filter a command is about: the module's bytes (checked to be a WebAssembly module, so every
 * command refuses a wrong file the same way) and its plugin configuration.
 */
public record FilterInput(Path path, byte[] wasm, ModuleInspection inspection, String config) {

    public static FilterInput read(Path path, Optional<Path> configFile) throws BadInputException {
        byte[] bytes = readFile(path, "filter module");
        ModuleInspection inspection;
        try {
            inspection = ModuleInspection.inspect(path.toString(), bytes);
        } catch (ModuleLoadException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        String config =
                configFile.isPresent()
                        ? new String(readFile(configFile.get(), "--config"), StandardCharsets.UTF_8)
                        : "";
        return new FilterInput(path, bytes, inspection, config);
    }

    /** The display name: the file name without {@code .wasm}. */
    public String name() {
        return path.getFileName().toString().replaceFirst("\\.wasm$", "");
    }

    private static byte[] readFile(Path path, String what) throws BadInputException {
        if (Files.isDirectory(path)) {
            throw new BadInputException(path + ": cannot read the " + what + ": it is a directory");
        }
        if (!Files.exists(path)) {
            throw new BadInputException(path + ": cannot read the " + what + ": no such file");
        }
        try {
            return Files.readAllBytes(path);
        } catch (IOException e) {
            throw new BadInputException(path + ": cannot read the " + what + ": " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.AccessDeniedException
                ? "permission denied"
                : e.getMessage();
    }
}
