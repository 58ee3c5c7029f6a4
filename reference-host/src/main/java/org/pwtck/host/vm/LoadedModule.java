package org.pwtck.host.vm;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryImport;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Callback;
import org.pwtck.host.abi.WasmType;

/**
 * A parsed and checked module, shareable across threads and VMs: its ABI version (from the marker
 * export), its imports and exports, and, in compiler mode, the machine factory compiled once for
 * all its instances. Everything a module can get wrong statically is found here, with an error
 * naming the module and the reason.
 */
public final class LoadedModule {

    /** One import of the module, for reports and {@code /filters}. */
    public record ImportInfo(String module, String name, String signature) {}

    private final String name;
    private final WasmModule module;
    private final String sha256;
    private final AbiVersion abiVersion;
    private final Map<String, FunctionType> exports;
    private final List<ImportInfo> imports;
    private final EngineMode engine;
    private final Function<Instance, Machine> machineFactory;

    private LoadedModule(
            String name,
            WasmModule module,
            String sha256,
            AbiVersion abiVersion,
            Map<String, FunctionType> exports,
            List<ImportInfo> imports,
            EngineMode engine,
            Function<Instance, Machine> machineFactory) {
        this.name = name;
        this.module = module;
        this.sha256 = sha256;
        this.abiVersion = abiVersion;
        this.exports = exports;
        this.imports = imports;
        this.engine = engine;
        this.machineFactory = machineFactory;
    }

    /**
     * Parses and checks a module.
     *
     * @param name what to call the module in errors (usually its file name)
     * @param available every function the host can link, by {@code module.name}, for the module's
     *     ABI version
     */
    public static LoadedModule load(
            String name,
            byte[] bytes,
            EngineMode engine,
            Function<AbiVersion, Map<String, ImportBinding>> available) {
        WasmModule module;
        Map<String, FunctionType> exports;
        AbiVersion version;
        List<ImportInfo> imports;
        try {
            module = parse(bytes);
            exports = functionExports(module);
            version = detectAbiVersion(name, module);
            checkExports(name, version, exports);
            checkStartUpExports(name, exports);
            imports = checkImports(name, module, version, available.apply(version));
        } catch (ModuleLoadException e) {
            throw e;
        } catch (RuntimeException e) {
            // Chicory's parser does not check every index (an export may name a function that
            // does not exist), so a corrupt module can fail in our own reading of it too.
            throw new ModuleLoadException(
                    name + ": not a valid WebAssembly module: " + reason(e), e);
        }
        Function<Instance, Machine> factory = null;
        if (engine == EngineMode.COMPILER) {
            try {
                factory =
                        MachineFactoryCompiler.builder(module)
                                .withInterpreterFallback(InterpreterFallback.SILENT)
                                .compile();
            } catch (RuntimeException e) {
                throw new ModuleLoadException(
                        name + ": Chicory's compiler refused the module: " + e.getMessage(), e);
            }
        }
        LoadedModule loaded =
                new LoadedModule(
                        name, module, sha256(bytes), version, exports, imports, engine, factory);
        if (loaded.declaredMemory().isEmpty()) {
            // Every host call passes pointers into memory; without one the host could do nothing.
            throw new ModuleLoadException(name + ": has no memory (neither defined nor imported)");
        }
        return loaded;
    }

    /**
     * Refuses a module whose memory needs more pages at start than a VM may have. Checked when a
     * plugin is built, so the refusal comes with the other load-time ones and not at start.
     */
    public void checkMemoryFits(int maxPages) {
        MemoryLimits declared = declaredMemory().orElseThrow();
        int max = Math.min(declared.maximumPages(), maxPages);
        if (declared.initialPages() > max) {
            throw new ModuleLoadException(
                    name
                            + ": needs "
                            + declared.initialPages()
                            + " memory pages ("
                            + (declared.initialPages() * 64L)
                            + " KiB) at start, the limit is "
                            + max
                            + " pages");
        }
    }

    public String name() {
        return name;
    }

    /**
     * The same parsed (and compiled) module under another display name, sharing everything else: a
     * module loaded again from another path costs nothing.
     */
    public LoadedModule named(String displayName) {
        return displayName.equals(name)
                ? this
                : new LoadedModule(
                        displayName,
                        module,
                        sha256,
                        abiVersion,
                        exports,
                        imports,
                        engine,
                        machineFactory);
    }

    public String sha256() {
        return sha256;
    }

    public AbiVersion abiVersion() {
        return abiVersion;
    }

    public EngineMode engine() {
        return engine;
    }

    public List<ImportInfo> imports() {
        return imports;
    }

    public List<String> exportNames() {
        return List.copyOf(exports.keySet());
    }

    public boolean exports(String function) {
        return exports.containsKey(function);
    }

    Optional<FunctionType> exportType(String function) {
        return Optional.ofNullable(exports.get(function));
    }

    WasmModule module() {
        return module;
    }

    Optional<Function<Instance, Machine>> machineFactory() {
        return Optional.ofNullable(machineFactory);
    }

    /** The memory limits the module declares, or the defaults when it has no memory section. */
    Optional<MemoryLimits> declaredMemory() {
        return declaredMemory(module);
    }

    static Optional<MemoryLimits> declaredMemory(WasmModule module) {
        if (module.memorySection().isPresent() && module.memorySection().get().memoryCount() > 0) {
            return Optional.of(module.memorySection().get().getMemory(0).limits());
        }
        return module.importSection().stream()
                .filter(i -> i.importType() == ExternalType.MEMORY)
                .map(i -> ((MemoryImport) i).limits())
                .findFirst();
    }

    static Map<String, FunctionType> functionExports(WasmModule module) {
        Map<String, FunctionType> out = new LinkedHashMap<>();
        int imported = module.importSection().count(ExternalType.FUNCTION);
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export e = module.exportSection().getExport(i);
            if (e.exportType() != ExternalType.FUNCTION) {
                continue;
            }
            int idx = e.index();
            FunctionType type;
            if (idx < imported) {
                FunctionImport fi = (FunctionImport) functionImports(module).get(idx);
                type = module.typeSection().getType(fi.typeIndex());
            } else {
                type =
                        module.functionSection()
                                .getFunctionType(idx - imported, module.typeSection());
            }
            out.put(e.name(), type);
        }
        return out;
    }

    private static List<Import> functionImports(WasmModule module) {
        return module.importSection().stream()
                .filter(i -> i.importType() == ExternalType.FUNCTION)
                .toList();
    }

    private static AbiVersion detectAbiVersion(String name, WasmModule module) {
        List<String> markers = new ArrayList<>();
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            String export = module.exportSection().getExport(i).name();
            if (export.startsWith(AbiVersion.MARKER_PREFIX)) {
                markers.add(export);
            }
        }
        if (markers.isEmpty()) {
            throw new ModuleLoadException(
                    name
                            + ": exports no ABI marker (proxy_abi_version_0_1_0, _0_2_0, _0_2_1 or"
                            + " _0_x_x); it is not a proxy-wasm module");
        }
        if (markers.size() > 1) {
            throw new ModuleLoadException(
                    name
                            + ": exports "
                            + markers.size()
                            + " ABI markers "
                            + markers
                            + "; a module must declare exactly one ABI version");
        }
        return AbiVersion.fromMarker(markers.get(0))
                .orElseThrow(
                        () ->
                                new ModuleLoadException(
                                        name
                                                + ": unknown ABI marker "
                                                + markers.get(0)
                                                + "; this host supports 0.1.0, 0.2.0, 0.2.1 and"
                                                + " vNEXT (0_x_x)"));
    }

    private static void checkExports(
            String name, AbiVersion version, Map<String, FunctionType> exports) {
        if (!exports.containsKey(Callback.PROXY_ON_MEMORY_ALLOCATE.exportName())
                && !exports.containsKey(Callback.MALLOC.exportName())) {
            throw new ModuleLoadException(
                    name
                            + ": exports no allocator (proxy_on_memory_allocate or malloc); the host"
                            + " could not return any data to it");
        }
        for (Map.Entry<String, FunctionType> e : exports.entrySet()) {
            Optional<Callback> callback = Callback.byExportName(e.getKey());
            if (callback.isEmpty() || !callback.get().availableIn(version)) {
                continue;
            }
            FunctionType want = toChicory(callback.get().params(version), callback.get().results());
            if (!want.equals(e.getValue())) {
                throw new ModuleLoadException(
                        name
                                + ": exports "
                                + e.getKey()
                                + " with signature "
                                + describe(e.getValue())
                                + ", ABI "
                                + version.label()
                                + " requires "
                                + callback.get().signature(version));
            }
        }
    }

    /**
     * The start-up functions are called by the host, so their signatures must be the ones it calls:
     * {@code _initialize} and {@code _start} {@code () -> ()}, {@code main} {@code (i32 i32) ->
     * i32} or {@code __main_void}'s {@code () -> i32} (cpp-host refuses others too). {@code main}
     * is only called after {@code _initialize}, so only then is it checked.
     */
    private static void checkStartUpExports(String name, Map<String, FunctionType> exports) {
        FunctionType none = FunctionType.of(List.of(), List.of());
        for (String f : List.of("_initialize", "_start")) {
            if (exports.containsKey(f) && !exports.get(f).equals(none)) {
                throw new ModuleLoadException(
                        name
                                + ": exports "
                                + f
                                + " with signature "
                                + describe(exports.get(f))
                                + ", the host calls it as () -> ()");
            }
        }
        FunctionType main = exports.get("main");
        if (main != null
                && exports.containsKey("_initialize")
                && !main.equals(FunctionType.of(List.of(), List.of(ValType.I32)))
                && !main.equals(
                        FunctionType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)))) {
            throw new ModuleLoadException(
                    name
                            + ": exports main with signature "
                            + describe(main)
                            + ", the host calls it as (i32 i32) -> (i32) or () -> (i32)");
        }
    }

    private static List<ImportInfo> checkImports(
            String name,
            WasmModule module,
            AbiVersion version,
            Map<String, ImportBinding> available) {
        List<ImportInfo> infos = new ArrayList<>();
        for (Import imp : (Iterable<Import>) module.importSection().stream()::iterator) {
            String qualified = imp.module() + "." + imp.name();
            if (imp.importType() == ExternalType.MEMORY) {
                infos.add(new ImportInfo(imp.module(), imp.name(), "memory"));
                continue;
            }
            if (imp.importType() != ExternalType.FUNCTION) {
                throw new ModuleLoadException(
                        name
                                + ": imports "
                                + imp.importType().name().toLowerCase()
                                + " "
                                + qualified
                                + ", which this host does not provide");
            }
            FunctionType type = module.typeSection().getType(((FunctionImport) imp).typeIndex());
            ImportBinding binding = available.get(qualified);
            if (binding == null) {
                throw new ModuleLoadException(
                        name
                                + ": imports "
                                + qualified
                                + describe(type)
                                + ", which this host does not provide to ABI "
                                + version.label()
                                + " modules");
            }
            FunctionType want = toChicory(binding.params(), binding.results());
            if (!want.equals(type)) {
                throw new ModuleLoadException(
                        name
                                + ": imports "
                                + qualified
                                + " with signature "
                                + describe(type)
                                + ", but the host's is "
                                + describe(want));
            }
            infos.add(new ImportInfo(imp.module(), imp.name(), describe(type)));
        }
        return List.copyOf(infos);
    }

    static FunctionType toChicory(List<WasmType> params, List<WasmType> results) {
        return FunctionType.of(valTypes(params), valTypes(results));
    }

    private static List<ValType> valTypes(List<WasmType> types) {
        return types.stream().map(t -> t == WasmType.I32 ? ValType.I32 : ValType.I64).toList();
    }

    static String describe(FunctionType type) {
        return "(" + names(type.params()) + ") -> (" + names(type.returns()) + ")";
    }

    private static String names(List<ValType> types) {
        return String.join(" ", types.stream().map(t -> t.toString().toLowerCase()).toList());
    }

    /**
     * Chicory's parser checks some malformed input with Java {@code assert}s, which fire only under
     * {@code -ea} (as in tests); such an error is the parser's reason, not a host failure.
     */
    static WasmModule parse(byte[] bytes) {
        try {
            return Parser.parse(bytes);
        } catch (AssertionError e) {
            throw new MalformedModule("malformed input (" + e + ")", e);
        }
    }

    private static final class MalformedModule extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedModule(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The exception's message, or its type when it has none (e.g. an index error). */
    static String reason(RuntimeException e) {
        return (e instanceof ChicoryException || e instanceof MalformedModule)
                        && e.getMessage() != null
                ? e.getMessage()
                : e.toString();
    }

    /** The lower-case hex SHA-256 of a module's bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
