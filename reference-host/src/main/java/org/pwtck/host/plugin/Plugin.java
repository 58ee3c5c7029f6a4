package org.pwtck.host.plugin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.PluginInfo;
import org.pwtck.host.imports.HostFunctionTable;
import org.pwtck.host.vm.EngineMode;
import org.pwtck.host.vm.ImportBinding;
import org.pwtck.host.vm.LoadedModule;
import org.pwtck.host.vm.ModuleCache;
import org.pwtck.host.vm.ModuleLoadException;
import org.pwtck.host.vm.WasmInstance;

/**
 * A filter ready to run: a checked module plus its configuration. Immutable and shareable; {@link
 * #startVm()} makes a running VM of it, one per thread that serves traffic.
 *
 * <pre>{@code
 * Plugin plugin = Plugin.builder()
 *         .withName("headers")
 *         .withWasm(Path.of("headers.wasm"))
 *         .withPluginConfiguration("{\"response\":{\"add\":{\"x-a\":\"1\"}}}")
 *         .build();
 * try (PluginVm vm = plugin.startVm()) {
 *     HttpStream stream = vm.newHttpStream(StreamListener.NONE, StreamInfo.local());
 *     Action action = stream.requestHeaders(HeaderMap.of(":path", "/", ":method", "GET"), true);
 * }
 * }</pre>
 */
public final class Plugin {
    private static final HostFunctionTable TABLE = HostFunctionTable.reference();
    private static final AtomicInteger VM_COUNTER = new AtomicInteger();

    private final LoadedModule module;
    private final PluginInfo info;
    private final HostServices services;
    private final int maxMemoryPages;
    private final Map<String, String> environment;

    private Plugin(Builder b, LoadedModule module) {
        this.module = module;
        this.info =
                new PluginInfo(
                        b.name,
                        b.rootId,
                        b.vmId,
                        b.logLevel,
                        module.abiVersion(),
                        b.vmConfiguration,
                        b.pluginConfiguration);
        this.services = b.services;
        this.maxMemoryPages = b.maxMemoryPages;
        // In the order added: Map.copyOf would hand them to the guest in a random order.
        this.environment = Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The table of every host function this host implements, shared by all plugins. */
    public static HostFunctionTable hostFunctions() {
        return TABLE;
    }

    public LoadedModule module() {
        return module;
    }

    public PluginInfo info() {
        return info;
    }

    public HostServices services() {
        return services;
    }

    public AbiVersion abiVersion() {
        return module.abiVersion();
    }

    int maxMemoryPages() {
        return maxMemoryPages;
    }

    Map<String, String> environment() {
        return environment;
    }

    /** Starts a VM on its own thread. */
    public PluginVm startVm() {
        return startVm(
                VmExecutor.dedicatedThread(
                        "pwtck-vm-" + info.name() + "-" + VM_COUNTER.incrementAndGet()));
    }

    /**
     * Starts a VM on the given thread: instantiates the module, runs its start-up code, creates the
     * root context and calls {@code on_vm_start} and {@code on_configure}.
     *
     * @throws PluginStartException when any of these fails; nothing is left running
     */
    public PluginVm startVm(VmExecutor executor) {
        try {
            return executor.call(() -> PluginVm.start(this, executor));
        } catch (RuntimeException e) {
            executor.shutdown();
            throw e;
        }
    }

    /** Everything {@code env} offers a module of a version, plus WASI, by qualified name. */
    static Map<String, ImportBinding> available(
            AbiVersion version,
            java.util.function.Supplier<org.pwtck.host.imports.HostEnvironment> env) {
        Map<String, ImportBinding> all = new LinkedHashMap<>(TABLE.bindings(version, env));
        all.putAll(WasmInstance.wasiBindings());
        return all;
    }

    /** Builds a {@link Plugin}; {@code withX} replaces a value. */
    public static final class Builder {
        private String name = "filter";
        private byte[] wasm;
        private String wasmName;
        private byte[] pluginConfiguration = new byte[0];
        private byte[] vmConfiguration = new byte[0];
        private String rootId = "";
        private String vmId = "";
        private EngineMode engine = EngineMode.INTERPRETER;
        private int maxMemoryPages = 4096;
        private LogLevel logLevel = LogLevel.INFO;
        private HostServices services;
        private final Map<String, String> environment = new LinkedHashMap<>();

        private Builder() {}

        public Builder withName(String name) {
            this.name = name;
            return this;
        }

        public Builder withWasm(byte[] bytes, String displayName) {
            this.wasm = bytes.clone();
            this.wasmName = displayName;
            return this;
        }

        public Builder withWasm(Path path) {
            try {
                return withWasm(Files.readAllBytes(path), path.toString());
            } catch (IOException e) {
                throw new ModuleLoadException(path + ": cannot be read: " + e.getMessage(), e);
            }
        }

        /** A module on the classpath, e.g. {@code pwtck/filters/rust/headers.wasm}. */
        public Builder withWasmResource(String resource) {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ModuleLoadException("classpath:" + resource + ": no such resource");
                }
                return withWasm(in.readAllBytes(), "classpath:" + resource);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Builder withPluginConfiguration(byte[] configuration) {
            this.pluginConfiguration = configuration.clone();
            return this;
        }

        public Builder withPluginConfiguration(String configuration) {
            return withPluginConfiguration(configuration.getBytes(StandardCharsets.UTF_8));
        }

        public Builder withVmConfiguration(byte[] configuration) {
            this.vmConfiguration = configuration.clone();
            return this;
        }

        public Builder withVmConfiguration(String configuration) {
            return withVmConfiguration(configuration.getBytes(StandardCharsets.UTF_8));
        }

        public Builder withRootId(String rootId) {
            this.rootId = rootId;
            return this;
        }

        /** Filters with the same vm id share shared data and queues. */
        public Builder withVmId(String vmId) {
            this.vmId = vmId;
            return this;
        }

        public Builder withEngine(EngineMode engine) {
            this.engine = engine;
            return this;
        }

        /** The most 64 KiB memory pages a VM of this plugin may have (default 4096, 256 MiB). */
        public Builder withMaxMemoryPages(int pages) {
            if (pages < 1 || pages > 65536) {
                throw new IllegalArgumentException("max memory pages must be 1..65536: " + pages);
            }
            this.maxMemoryPages = pages;
            return this;
        }

        public Builder withLogLevel(LogLevel level) {
            this.logLevel = level;
            return this;
        }

        /** Host services shared with other plugins; by default a fresh in-memory set. */
        public Builder withServices(HostServices services) {
            this.services = services;
            return this;
        }

        /** An environment variable the filter sees through WASI (and no other). */
        public Builder addEnvironment(String name, String value) {
            this.environment.put(name, value);
            return this;
        }

        /**
         * Loads and checks the module.
         *
         * @throws ModuleLoadException naming the module and why it was refused
         */
        public Plugin build() {
            if (wasm == null) {
                throw new IllegalStateException("no module: call withWasm(...) first");
            }
            if (services == null) {
                services = HostServices.inMemory();
            }
            LoadedModule module =
                    ModuleCache.shared()
                            .get(
                                    LoadedModule.sha256(wasm),
                                    engine,
                                    wasmName,
                                    () ->
                                            LoadedModule.load(
                                                    wasmName,
                                                    wasm,
                                                    engine,
                                                    v -> available(v, () -> null)));
            module.checkMemoryFits(maxMemoryPages);
            return new Plugin(this, module);
        }
    }
}
