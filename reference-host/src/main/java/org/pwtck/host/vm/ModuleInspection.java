package org.pwtck.host.vm;

import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pwtck.host.abi.AbiVersion;

/**
 * What a module declares, read without judging it: every ABI marker it exports, its exports and
 * imports with their kinds and signatures, and its memory limits. Unlike {@link LoadedModule},
 * which stops at the first problem, an inspection lists everything, so a tool can report all of a
 * module's problems at once (the {@code pwtck check} command).
 */
public record ModuleInspection(
        String name,
        String sha256,
        List<String> abiMarkers,
        List<Entry> exports,
        List<Entry> imports,
        Optional<Memory> memory) {

    /** One export or import: its module ({@code ""} for exports), name, kind and signature. */
    public record Entry(String module, String name, String kind, String signature) {
        public String qualifiedName() {
            return module.isEmpty() ? name : module + "." + name;
        }
    }

    /** Memory limits in 64 KiB pages; {@code maximumPages} is empty when the module sets none. */
    public record Memory(int initialPages, Optional<Integer> maximumPages, boolean imported) {}

    /** The ABI version of the single known marker, or empty (none, several or unknown). */
    public Optional<AbiVersion> abiVersion() {
        return abiMarkers.size() == 1 ? AbiVersion.fromMarker(abiMarkers.get(0)) : Optional.empty();
    }

    /**
     * Parses a module and lists what it declares.
     *
     * @throws ModuleLoadException naming the module when the bytes are not a WebAssembly module
     */
    public static ModuleInspection inspect(String name, byte[] bytes) {
        if (bytes.length < 8
                || bytes[0] != 0
                || bytes[1] != 'a'
                || bytes[2] != 's'
                || bytes[3] != 'm') {
            throw new ModuleLoadException(
                    name + ": not a WebAssembly module (it does not start with \\0asm)");
        }
        try {
            WasmModule module = LoadedModule.parse(bytes);
            return new ModuleInspection(
                    name,
                    LoadedModule.sha256(bytes),
                    markers(module),
                    exports(module),
                    imports(module),
                    memory(module));
        } catch (ModuleLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ModuleLoadException(
                    name + ": not a valid WebAssembly module: " + LoadedModule.reason(e), e);
        }
    }

    private static List<String> markers(WasmModule module) {
        List<String> markers = new ArrayList<>();
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            String export = module.exportSection().getExport(i).name();
            if (export.startsWith(AbiVersion.MARKER_PREFIX)) {
                markers.add(export);
            }
        }
        return List.copyOf(markers);
    }

    private static List<Entry> exports(WasmModule module) {
        var functions = LoadedModule.functionExports(module);
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export e = module.exportSection().getExport(i);
            String kind = kind(e.exportType());
            String signature =
                    e.exportType() == ExternalType.FUNCTION
                            ? LoadedModule.describe(functions.get(e.name()))
                            : "";
            out.add(new Entry("", e.name(), kind, signature));
        }
        return List.copyOf(out);
    }

    private static List<Entry> imports(WasmModule module) {
        List<Entry> out = new ArrayList<>();
        for (Import imp : (Iterable<Import>) module.importSection().stream()::iterator) {
            String signature =
                    imp.importType() == ExternalType.FUNCTION
                            ? LoadedModule.describe(
                                    module.typeSection()
                                            .getType(((FunctionImport) imp).typeIndex()))
                            : "";
            out.add(new Entry(imp.module(), imp.name(), kind(imp.importType()), signature));
        }
        return List.copyOf(out);
    }

    private static Optional<Memory> memory(WasmModule module) {
        boolean imported =
                module.importSection().stream()
                        .anyMatch(i -> i.importType() == ExternalType.MEMORY);
        Optional<MemoryLimits> limits = LoadedModule.declaredMemory(module);
        return limits.map(
                l ->
                        new Memory(
                                l.initialPages(),
                                l.maximumPages() >= MemoryLimits.MAX_PAGES
                                        ? Optional.empty()
                                        : Optional.of(l.maximumPages()),
                                imported));
    }

    private static String kind(ExternalType type) {
        return type.name().toLowerCase(java.util.Locale.ROOT);
    }
}
