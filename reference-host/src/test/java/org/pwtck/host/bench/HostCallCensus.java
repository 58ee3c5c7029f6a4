package org.pwtck.host.bench;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.InterpreterMachine;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExportSection;
import com.dylibso.chicory.wasm.types.ExternalType;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.pwtck.host.vm.EngineMode;

/**
 * Counts, per request of {@link CallbackPathBenchmark}'s path, the host functions the guest calls
 * and the exports the host calls, in the reference host and in java-host, on the same module (in
 * the interpreter: the calls do not depend on the engine). Tells a host that does more per call
 * from an SDK that takes a longer way through one host than through the other.
 *
 * <p>Run: {@code java -cp <test classpath> org.pwtck.host.bench.HostCallCensus rust go [--trace]};
 * {@code --trace} also prints one request's calls in order, with arguments and results.
 */
public final class HostCallCensus {
    private static final int REQUESTS = 200;

    private final Map<String, Long> counts = new TreeMap<>();
    private boolean trace;

    public static void main(String[] args) throws Exception {
        boolean trace = Arrays.asList(args).contains("--trace");
        for (String module : args) {
            if (module.startsWith("--")) {
                continue;
            }
            byte[] wasm = wasm(module);
            HostCallCensus reference = new HostCallCensus();
            reference.trace = trace;
            System.out.println("== " + module + " / reference");
            ReferenceHostPath ref =
                    new ReferenceHostPath(
                            wasm,
                            module,
                            EngineMode.INTERPRETER,
                            CallbackPathBenchmark.HEADERS_CONFIG);
            reference.instrument(referenceInstance(ref));
            reference.run(ref);

            HostCallCensus javaHost = new HostCallCensus();
            javaHost.trace = trace;
            System.out.println("== " + module + " / java-host");
            Instance[] captured = new Instance[1];
            JavaHostPath jh =
                    new JavaHostPath(
                            wasm,
                            EngineMode.INTERPRETER,
                            CallbackPathBenchmark.HEADERS_CONFIG,
                            inst -> {
                                captured[0] = inst;
                                return new InterpreterMachine(inst);
                            });
            javaHost.instrument(captured[0]);
            javaHost.run(jh);
        }
    }

    private static byte[] wasm(String module) throws Exception {
        if (module.equals("wat")) {
            return org.pwtck.host.testing.Wat.compile(CallbackPathBenchmark.HEADERS_WAT);
        }
        Path p =
                Path.of("filters-" + module, "src/main/resources/pwtck/filters", module)
                        .resolve("headers.wasm");
        return Files.readAllBytes(Files.isRegularFile(p) ? p : Path.of("..").resolve(p));
    }

    private void run(CallbackPath path) {
        for (int i = 0; i < 20; i++) {
            path.request();
        }
        counts.clear();
        boolean wasTracing = trace;
        trace = false;
        for (int i = 0; i < REQUESTS; i++) {
            path.request();
        }
        counts.forEach(
                (name, n) -> System.out.printf("  %-45s %8.2f%n", name, n / (double) REQUESTS));
        if (wasTracing) {
            System.out.println("  -- one request, in order:");
            trace = true;
            path.request();
            trace = false;
        }
        path.close();
    }

    private void instrument(Instance instance) throws Exception {
        Field functionsField = ImportValues.class.getDeclaredField("functions");
        functionsField.setAccessible(true);
        ImportFunction[] functions = (ImportFunction[]) functionsField.get(instance.imports());
        for (int i = 0; i < functions.length; i++) {
            ImportFunction f = functions[i];
            String name = "host " + f.module() + "." + f.name();
            functions[i] =
                    new HostFunction(
                            f.module(),
                            f.name(),
                            f.functionType(),
                            (inst, args) -> {
                                counts.merge(name, 1L, Long::sum);
                                long[] result = f.handle().apply(inst, args);
                                if (trace) {
                                    System.out.println(
                                            "    "
                                                    + name
                                                    + Arrays.toString(args)
                                                    + " -> "
                                                    + Arrays.toString(result));
                                }
                                return result;
                            });
        }
        Map<Integer, String> exportNames = new HashMap<>();
        ExportSection exports = instance.module().exportSection();
        for (int i = 0; i < exports.exportCount(); i++) {
            Export e = exports.getExport(i);
            if (e.exportType() == ExternalType.FUNCTION) {
                exportNames.put(e.index(), e.name());
            }
        }
        Field machineField = Instance.class.getDeclaredField("machine");
        machineField.setAccessible(true);
        Machine machine = (Machine) machineField.get(instance);
        machineField.set(
                instance,
                (Machine)
                        (id, args) -> {
                            String name = "export " + exportNames.getOrDefault(id, "#" + id);
                            counts.merge(name, 1L, Long::sum);
                            if (trace) {
                                System.out.println("    > " + name + Arrays.toString(args));
                            }
                            long[] result = machine.call(id, args);
                            if (trace) {
                                System.out.println(
                                        "    < " + name + " -> " + Arrays.toString(result));
                            }
                            return result;
                        });
    }

    private static Instance referenceInstance(ReferenceHostPath path) throws Exception {
        Object vm = field(path, "vm");
        Object wasmInstance = field(vm, "instance");
        return (Instance) field(wasmInstance, "instance");
    }

    private static Object field(Object target, String name) throws Exception {
        Field f = target.getClass().getDeclaredField(name);
        f.setAccessible(true);
        return f.get(target);
    }
}
