package org.pwtck.host.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.pwtck.host.config.ConfigException;
import org.pwtck.host.config.ConfigLoader;
import org.pwtck.host.config.HostConfig;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.plugin.PluginStartException;
import org.pwtck.host.plugin.PluginVm;
import org.pwtck.host.server.ProxyServer;
import org.pwtck.host.vm.EngineMode;
import org.pwtck.host.vm.LoadedModule;
import org.pwtck.host.vm.ModuleLoadException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pwtck-host run --config host.yaml} starts the proxy; {@code pwtck-host check filter.wasm}
 * says whether the reference host would load a module and why not. Exit codes: 0 fine, 1 a filter
 * refused, 2 a config (or usage) error.
 */
@Command(
        name = "pwtck-host",
        mixinStandardHelpOptions = true,
        version = "pwtck-host 0.1.0",
        description = "The pwtck reference proxy-wasm host as an HTTP proxy.",
        subcommands = {Main.Run.class, Main.Check.class})
public final class Main implements Callable<Integer> {
    public static final int OK = 0;
    public static final int REFUSED = 1;
    public static final int CONFIG_ERROR = 2;

    @Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line; returns the exit code ({@code run} returns when stopped). */
    public static int execute(String... args) {
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CONFIG_ERROR;
    }

    @Command(name = "run", description = "Start the proxy with a config file.")
    static final class Run implements Callable<Integer> {
        @Option(
                names = {"-c", "--config"},
                required = true,
                description = "The YAML config file.")
        Path config;

        @Option(
                names = "--check-only",
                description = "Load the config and start every filter, then stop (exit 0 if fine).")
        boolean checkOnly;

        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            HostConfig cfg;
            ProxyServer server;
            try {
                cfg = ConfigLoader.load(config);
                server = ProxyServer.start(cfg);
            } catch (ConfigException e) {
                err.println("pwtck-host: config refused:");
                e.problems().forEach(p -> err.println("  " + p));
                err.flush();
                return CONFIG_ERROR;
            }
            for (Map.Entry<String, Integer> p : server.ports().entrySet()) {
                String address =
                        p.getKey().equals("admin")
                                ? cfg.admin().address()
                                : cfg.listeners().stream()
                                        .filter(l -> l.name().equals(p.getKey()))
                                        .findFirst()
                                        .map(HostConfig.Listener::address)
                                        .orElse("127.0.0.1");
                out.println(
                        "pwtck-host: " + p.getKey() + " http://" + address + ":" + p.getValue());
            }
            out.flush();
            if (checkOnly) {
                server.close();
                return OK;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        server.close();
                                        stopped.countDown();
                                    },
                                    "pwtck-host-shutdown"));
            stopped.await();
            return OK;
        }
    }

    @Command(
            name = "check",
            description =
                    "Load a .wasm as the reference host would (and optionally start it); print"
                            + " what it is or why it is refused.")
    static final class Check implements Callable<Integer> {
        @Parameters(index = "0", description = "The filter module.")
        Path wasm;

        @Option(names = "--engine", description = "interpreter or compiler (default interpreter).")
        String engine = "interpreter";

        @Option(
                names = "--start",
                description = "Also start a VM: run on_vm_start and on_configure.")
        boolean start;

        @Option(names = "--plugin-config", description = "Plugin configuration for --start.")
        String pluginConfig = "";

        @Spec CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!Files.isRegularFile(wasm)) {
                err.println("pwtck-host: " + wasm + ": no such file");
                err.flush();
                return CONFIG_ERROR;
            }
            EngineMode mode;
            try {
                mode = EngineMode.valueOf(engine.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                err.println(
                        "pwtck-host: --engine: \"" + engine + "\" is not interpreter or compiler");
                err.flush();
                return CONFIG_ERROR;
            }
            Plugin plugin;
            try {
                plugin =
                        Plugin.builder()
                                .withName(wasm.getFileName().toString())
                                .withWasm(wasm)
                                .withEngine(mode)
                                .withPluginConfiguration(pluginConfig)
                                .build();
            } catch (ModuleLoadException e) {
                err.println("refused: " + e.getMessage());
                err.flush();
                return REFUSED;
            }
            LoadedModule m = plugin.module();
            out.println("module:   " + m.name());
            out.println("sha256:   " + m.sha256());
            out.println("abi:      " + m.abiVersion().label());
            out.println("engine:   " + m.engine().name().toLowerCase());
            out.println("imports:  " + m.imports().size());
            m.imports()
                    .forEach(
                            i ->
                                    out.println(
                                            "  "
                                                    + i.module()
                                                    + "."
                                                    + i.name()
                                                    + " "
                                                    + i.signature()));
            out.println("exports:  " + String.join(", ", m.exportNames()));
            if (start) {
                try (PluginVm vm = plugin.startVm()) {
                    out.println("start:    ok (on_vm_start and on_configure returned true)");
                } catch (PluginStartException e) {
                    out.flush();
                    err.println("refused: " + e.getMessage());
                    err.flush();
                    return REFUSED;
                }
            }
            out.println("ok");
            out.flush();
            return OK;
        }
    }
}
