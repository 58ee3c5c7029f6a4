package org.pwtck.host.vm;

import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportMemory;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pwtck.host.abi.Callback;
import org.pwtck.host.abi.WasmType;

/**
 * One Chicory instance of a {@link LoadedModule}: the host functions linked, start-up run in the
 * restricted phase, and typed entry points for callbacks and the allocator. Confined to one thread,
 * like Envoy's per-worker VMs.
 */
public final class WasmInstance {

    /** WASI functions a module may call while starting up (cpp-host's list). */
    private static final Set<String> WASI_AT_START =
            Set.of(
                    "fd_write",
                    "fd_fdstat_get",
                    "fd_prestat_get",
                    "fd_prestat_dir_name",
                    "fd_close",
                    "fd_seek",
                    "fd_fdstat_set_flags",
                    "clock_time_get",
                    "clock_res_get",
                    "random_get",
                    "environ_sizes_get",
                    "environ_get",
                    "args_sizes_get",
                    "args_get",
                    "proc_exit",
                    "sched_yield",
                    "poll_oneoff");

    /** WASI functions a module may call inside its allocator (cpp-host's list, plus yield). */
    private static final Set<String> WASI_IN_ALLOCATOR =
            Set.of("fd_write", "clock_time_get", "poll_oneoff", "sched_yield");

    /** The names under which WASI preview 1 is linked. */
    public static final List<String> WASI_MODULES =
            List.of("wasi_snapshot_preview1", "wasi_unstable");

    private final LoadedModule module;
    private final Instance instance;
    private final GuestMemory memory;
    private final String allocatorExport;
    private final Map<String, ExportFunction> exportCache = new LinkedHashMap<>();

    /**
     * The module's callback exports by {@link Callback#ordinal()}, null where not exported: every
     * request makes several callbacks, and looking each one up by name twice (is it exported, then
     * its function) was a measurable part of the host's own cost per request.
     */
    private final ExportFunction[] callbackExports = new ExportFunction[Callback.values().length];

    private final ExportFunction allocator;
    private final List<LineSink> outputs;
    private Phase phase = Phase.IDLE;

    private WasmInstance(LoadedModule module, Instance instance, List<LineSink> outputs) {
        this.module = module;
        this.instance = instance;
        this.outputs = outputs;
        // Reading of the spec (ABI.md §8 erratum 7): proxy_on_memory_allocate is preferred and
        // malloc is the fallback. cpp-host and ngx prefer malloc; the TCK reports the difference.
        this.allocatorExport =
                module.exports(Callback.PROXY_ON_MEMORY_ALLOCATE.exportName())
                        ? Callback.PROXY_ON_MEMORY_ALLOCATE.exportName()
                        : Callback.MALLOC.exportName();
        for (Callback c : Callback.values()) {
            if (module.exports(c.exportName())) {
                callbackExports[c.ordinal()] = instance.export(c.exportName());
            }
        }
        this.allocator = module.exports(allocatorExport) ? instance.export(allocatorExport) : null;
        this.memory = new GuestMemory(instance.memory(), this::allocate);
    }

    /**
     * Instantiates a module with the given host functions and WASI. Does not run start-up code;
     * call {@link #start()}.
     *
     * @param maxMemoryPages the most 64 KiB pages the guest may have
     */
    public static WasmInstance instantiate(
            LoadedModule module,
            List<ImportBinding> bindings,
            WasiConfig wasi,
            int maxMemoryPages) {
        module.checkMemoryFits(maxMemoryPages);
        MemoryLimits declared = module.declaredMemory().orElseThrow();
        int max = Math.min(declared.maximumPages(), maxMemoryPages);
        MemoryLimits limits = new MemoryLimits(declared.initialPages(), max);
        WasmInstance[] self = new WasmInstance[1];
        Map<String, ImportFunction> offered = new LinkedHashMap<>();
        for (ImportBinding b : bindings) {
            offered.put(
                    b.qualifiedName(),
                    new HostFunction(
                            b.module(),
                            b.name(),
                            LoadedModule.toChicory(b.params(), b.results()),
                            (inst, args) -> self[0].guard(b, args)));
        }
        LineSink stdout = new LineSink(wasi.stdout());
        LineSink stderr = new LineSink(wasi.stderr());
        for (ImportFunction f : wasiFunctions(wasi, stdout, stderr, self)) {
            offered.put(f.module() + "." + f.name(), f);
        }
        // Exactly the functions the module imports, in its import order.
        List<ImportFunction> functions = new ArrayList<>();
        for (LoadedModule.ImportInfo imp : module.imports()) {
            if (!imp.signature().equals("memory")) {
                ImportFunction f = offered.get(imp.module() + "." + imp.name());
                if (f == null) {
                    throw new ModuleLoadException(
                            module.name()
                                    + ": imports "
                                    + imp.module()
                                    + "."
                                    + imp.name()
                                    + ", which this host does not provide");
                }
                functions.add(f);
            }
        }
        ImportValues.Builder imports = ImportValues.builder().withFunctions(functions);
        boolean importsMemory =
                module.imports().stream().anyMatch(i -> i.signature().equals("memory"));
        if (importsMemory) {
            LoadedModule.ImportInfo mem =
                    module.imports().stream()
                            .filter(i -> i.signature().equals("memory"))
                            .findFirst()
                            .orElseThrow();
            imports.addMemory(
                    new ImportMemory(mem.module(), mem.name(), new ByteArrayMemory(limits)));
        }
        Instance.Builder builder =
                Instance.builder(module.module())
                        .withImportValues(imports.build())
                        .withStart(false)
                        .withMemoryLimits(limits)
                        // Chicory's byte[] memory (VarHandle access) is faster than its default
                        // ByteBuffer one for the many small reads and writes of a callback
                        .withMemoryFactory(ByteArrayMemory::new);
        module.machineFactory().ifPresent(builder::withMachineFactory);
        Instance instance;
        try {
            instance = builder.build();
        } catch (RuntimeException e) {
            // Data or element segments out of range, a bad initializer: the module is broken.
            throw new ModuleLoadException(
                    module.name() + ": could not be instantiated: " + LoadedModule.reason(e), e);
        }
        self[0] = new WasmInstance(module, instance, List.of(stdout, stderr));
        return self[0];
    }

    /**
     * Runs the module's start-up code in the restricted phase: {@code _initialize} (then {@code
     * main} if exported), or else {@code _start}.
     */
    public void start() {
        phase = Phase.START;
        try {
            if (module.exports("_initialize")) {
                invoke("_initialize");
                if (module.exports("main")) {
                    FunctionType main = module.exportType("main").orElseThrow();
                    if (main.params().size() == 2) {
                        invoke("main", 0, 0);
                    } else {
                        invoke("main");
                    }
                }
            } else if (module.exports("_start")) {
                try {
                    invoke("_start");
                } catch (GuestTrapException e) {
                    if (!(e.getCause() instanceof WasiExitException exit) || exit.exitCode() != 0) {
                        throw e;
                    }
                }
            }
        } finally {
            phase = Phase.IDLE;
        }
    }

    public LoadedModule module() {
        return module;
    }

    /** The VM is done: a last stdout/stderr line without its newline is logged now. */
    public void close() {
        outputs.forEach(LineSink::flush);
    }

    public GuestMemory memory() {
        return memory;
    }

    public Phase phase() {
        return phase;
    }

    public boolean exports(String name) {
        return module.exports(name);
    }

    /** Whether the module exports this callback (no lookup by name). */
    public boolean exports(Callback callback) {
        return callbackExports[callback.ordinal()] != null;
    }

    /**
     * Calls a callback export in the callback phase.
     *
     * @return the first result, or 0 for a callback without results
     * @throws GuestTrapException when the guest traps
     */
    public long callback(String name, long... args) {
        return callback(name, export(name), args);
    }

    /**
     * Calls one of the ABI's callbacks, which the module must export ({@link #exports(Callback)}),
     * like {@link #callback(String, long...)}.
     */
    public long callback(Callback callback, long... args) {
        return callback(callback.exportName(), callbackExports[callback.ordinal()], args);
    }

    private long callback(String name, ExportFunction f, long... args) {
        Phase previous = phase;
        phase = Phase.CALLBACK;
        try {
            long[] result = invoke(name, f, args);
            return result == null || result.length == 0 ? 0 : result[0];
        } finally {
            phase = previous;
        }
    }

    /** Calls the guest's allocator in the allocator phase; 0 means it failed. */
    public int allocate(int size) {
        Phase previous = phase;
        phase = Phase.ALLOCATOR;
        try {
            long[] result =
                    invoke(
                            allocatorExport,
                            allocator != null ? allocator : export(allocatorExport),
                            size);
            return (int) result[0];
        } finally {
            phase = previous;
        }
    }

    /** Which allocator export this host uses for the module. */
    public String allocatorExport() {
        return allocatorExport;
    }

    private long[] invoke(String name, long... args) {
        return invoke(name, export(name), args);
    }

    private ExportFunction export(String name) {
        ExportFunction f = exportCache.get(name);
        if (f == null) {
            f = instance.export(name);
            exportCache.put(name, f);
        }
        return f;
    }

    private long[] invoke(String name, ExportFunction f, long... args) {
        try {
            return f.apply(args);
        } catch (RestrictedCallException e) {
            throw new GuestTrapException(module.name() + ": " + e.getMessage(), e);
        } catch (WasiExitException e) {
            throw new GuestTrapException(
                    module.name() + ": proc_exit(" + e.exitCode() + ") in " + name, e);
        } catch (TrapException e) {
            throw new GuestTrapException(
                    module.name() + ": trapped in " + name + ": " + e.getMessage(), e);
        } catch (ChicoryException | StackOverflowError | ArithmeticException e) {
            throw new GuestTrapException(module.name() + ": failed in " + name + ": " + e, e);
        }
    }

    private long[] guard(ImportBinding binding, long[] args) {
        checkPhase(binding, binding.module());
        return binding.call().call(args);
    }

    private static List<ImportFunction> wasiFunctions(
            WasiConfig config, LineSink stdout, LineSink stderr, WasmInstance[] self) {
        WasiOptions.Builder options =
                WasiOptions.builder()
                        .withStdout(stdout, false)
                        .withStderr(stderr, false)
                        .withRandom(new SecureRandom())
                        .withArguments(List.of());
        config.environment().forEach(options::withEnvironment);
        WasiPreview1 wasi = WasiPreview1.builder().withOptions(options.build()).build();
        List<ImportFunction> out = new ArrayList<>();
        for (HostFunction f : wasi.toHostFunctions()) {
            ImportBinding binding =
                    new ImportBinding(
                            f.module(),
                            f.name(),
                            List.of(),
                            List.of(),
                            args -> null,
                            WASI_AT_START.contains(f.name()),
                            WASI_IN_ALLOCATOR.contains(f.name()));
            for (String moduleName : WASI_MODULES) {
                out.add(
                        new HostFunction(
                                moduleName,
                                f.name(),
                                f.functionType(),
                                (inst, args) -> {
                                    self[0].checkPhase(binding, moduleName);
                                    return wasiCall(f, inst, args);
                                }));
            }
        }
        return out;
    }

    /**
     * A guest pointer outside memory is errno FAULT (21), as in cpp-host and the spec, not a trap:
     * Chicory's WASI reads and writes memory unchecked and throws on a bad address.
     */
    private static long[] wasiCall(HostFunction f, Instance inst, long[] args) {
        try {
            return f.handle().apply(inst, args);
        } catch (WasmRuntimeException e) {
            if (f.functionType().returns().size() == 1
                    && String.valueOf(e.getMessage()).startsWith("out of bounds memory access")) {
                return new long[] {WASI_EFAULT};
            }
            throw e;
        }
    }

    private static final long WASI_EFAULT = 21;

    /** Traps a call the current phase does not allow; WASI is linked under two module names. */
    private void checkPhase(ImportBinding binding, String moduleName) {
        // Runs on every host call: the name is only put together when the call is refused.
        if (phase == Phase.START && !binding.allowedAtStart()) {
            throw new RestrictedCallException(
                    moduleName + "." + binding.name() + " is not allowed during module start-up");
        }
        if (phase == Phase.ALLOCATOR && !binding.allowedInAllocator()) {
            throw new RestrictedCallException(
                    moduleName + "." + binding.name() + " is not allowed inside the allocator");
        }
    }

    /** The WASI functions this host links, with their signatures, for the load-time check. */
    public static Map<String, ImportBinding> wasiBindings() {
        WasiPreview1 wasi =
                WasiPreview1.builder().withOptions(WasiOptions.builder().build()).build();
        Map<String, ImportBinding> out = new LinkedHashMap<>();
        for (HostFunction f : wasi.toHostFunctions()) {
            for (String moduleName : WASI_MODULES) {
                out.put(
                        moduleName + "." + f.name(),
                        new ImportBinding(
                                moduleName,
                                f.name(),
                                wasmTypes(f.functionType().params()),
                                wasmTypes(f.functionType().returns()),
                                args -> null,
                                WASI_AT_START.contains(f.name()),
                                WASI_IN_ALLOCATOR.contains(f.name())));
            }
        }
        return out;
    }

    private static List<WasmType> wasmTypes(List<com.dylibso.chicory.wasm.types.ValType> types) {
        return types.stream()
                .map(
                        t ->
                                t.equals(com.dylibso.chicory.wasm.types.ValType.I64)
                                        ? WasmType.I64
                                        : WasmType.I32)
                .toList();
    }

    /** A host call the guest may not make in the current phase; it traps the guest. */
    static final class RestrictedCallException extends TrapException {
        private static final long serialVersionUID = 1L;

        RestrictedCallException(String message) {
            super("restricted_callback: " + message);
        }
    }
}
