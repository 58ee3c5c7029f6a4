package org.pwtck.host.imports;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Status;
import org.pwtck.host.vm.AbiException;
import org.pwtck.host.vm.GuestTrapException;
import org.pwtck.host.vm.ImportBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every host function's implementation, keyed by {@link AbiFunction}. Turns them into the bindings
 * a module is linked with, and is the one place where an {@link AbiException} becomes a returned
 * status. A function without an implementation returns {@link Status#UNIMPLEMENTED}.
 */
public final class HostFunctionTable {
    private static final Logger LOG = LoggerFactory.getLogger(HostFunctionTable.class);

    /** One row of the coverage table. */
    public record Coverage(
            String name,
            String signature,
            List<String> versions,
            String area,
            boolean implemented,
            boolean inSpec) {}

    /** What a host function without results returns (Chicory only reads it). */
    private static final long[] NO_RESULTS = new long[0];

    private final Map<AbiFunction, HostCallHandler> handlers = new EnumMap<>(AbiFunction.class);

    /** The table with every area of the reference host registered. */
    public static HostFunctionTable reference() {
        HostFunctionTable table = new HostFunctionTable();
        ContextImports.register(table);
        LoggingImports.register(table);
        TimeImports.register(table);
        BufferImports.register(table);
        HeaderMapImports.register(table);
        StreamImports.register(table);
        HttpCallImports.register(table);
        GrpcImports.register(table);
        SharedDataImports.register(table);
        SharedQueueImports.register(table);
        MetricsImports.register(table);
        PropertyImports.register(table);
        ForeignFunctionImports.register(table);
        LegacyImports.register(table);
        return table;
    }

    void put(AbiFunction function, HostCallHandler handler) {
        if (handlers.put(function, handler) != null) {
            throw new IllegalStateException(function.wasmName() + " registered twice");
        }
    }

    public boolean isImplemented(AbiFunction function) {
        return handlers.containsKey(function);
    }

    /** The machine-readable coverage table: every host function and whether it is implemented. */
    public List<Coverage> coverage() {
        List<Coverage> rows = new ArrayList<>();
        for (AbiFunction f : AbiFunction.values()) {
            rows.add(
                    new Coverage(
                            f.wasmName(),
                            f.signature(),
                            f.versions().stream().map(AbiVersion::label).toList(),
                            f.area().name(),
                            isImplemented(f),
                            f.inSpec()));
        }
        return rows;
    }

    /**
     * The coverage table as JSON, one object per host function, in {@link AbiFunction} order
     * (checked in as {@code docs/reference-host-coverage.json}; a test keeps the two equal).
     */
    public String coverageJson() {
        StringBuilder out = new StringBuilder("[\n");
        List<Coverage> rows = coverage();
        for (int i = 0; i < rows.size(); i++) {
            Coverage c = rows.get(i);
            out.append("  {\"name\": \"")
                    .append(c.name())
                    .append("\", \"signature\": \"")
                    .append(c.signature())
                    .append("\", \"versions\": [")
                    .append(
                            String.join(
                                    ", ", c.versions().stream().map(v -> "\"" + v + "\"").toList()))
                    .append("], \"area\": \"")
                    .append(c.area())
                    .append("\", \"inSpec\": ")
                    .append(c.inSpec())
                    .append(", \"implemented\": ")
                    .append(c.implemented())
                    .append(i + 1 < rows.size() ? "},\n" : "}\n");
        }
        return out.append("]\n").toString();
    }

    /** The {@code env} functions a module of this ABI version is linked with, by qualified name. */
    public Map<String, ImportBinding> bindings(
            AbiVersion version, Supplier<HostEnvironment> environment) {
        Map<String, ImportBinding> out = new LinkedHashMap<>();
        for (AbiFunction f : AbiFunction.values()) {
            if (!f.availableIn(version)) {
                continue;
            }
            HostCallHandler handler = handlers.get(f);
            boolean atStart =
                    f == AbiFunction.PROXY_LOG || f == AbiFunction.EMSCRIPTEN_NOTIFY_MEMORY_GROWTH;
            boolean inAllocator = f == AbiFunction.PROXY_LOG;
            ImportBinding binding =
                    new ImportBinding(
                            AbiFunction.MODULE,
                            f.wasmName(),
                            f.params(),
                            f.results(),
                            args -> invoke(f, handler, environment.get(), args),
                            atStart,
                            inAllocator);
            out.put(binding.qualifiedName(), binding);
        }
        return out;
    }

    private static long[] invoke(
            AbiFunction function, HostCallHandler handler, HostEnvironment env, long[] args) {
        int status;
        if (handler == null) {
            LOG.warn("{} is not implemented by this host", function.wasmName());
            status = Status.UNIMPLEMENTED.code();
        } else {
            try {
                status = handler.call(env, args);
            } catch (AbiException e) {
                LOG.debug("{} -> {}: {}", function.wasmName(), e.status(), e.getMessage());
                status = e.status().code();
            } catch (GuestTrapException | com.dylibso.chicory.wasm.ChicoryException e) {
                throw e;
            } catch (RuntimeException e) {
                LOG.error("{} failed inside the host", function.wasmName(), e);
                status = Status.INTERNAL_FAILURE.code();
            }
        }
        return function.results().isEmpty() ? NO_RESULTS : new long[] {status};
    }
}
