package org.pwtck.tck.hosts.reference;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.plugin.PluginStartException;
import org.pwtck.host.vm.EngineMode;
import org.pwtck.host.vm.ModuleLoadException;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.tck.api.Backends;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.api.DeploymentException;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.HostUnderTest;
import org.pwtck.tck.api.NetworkDeployment;
import org.pwtck.tck.http.EchoBackend;
import org.pwtck.tck.http.TcpEchoBackend;

/**
 * The reference host in process: each deployment is a {@link Plugin} on its own VM thread, and each
 * exchange drives an {@code HttpStream} event by event, with the echo backend as upstream. No
 * sockets, so cases run fast and can run in parallel.
 */
public final class ReferenceHostUnderTest implements HostUnderTest {
    private final EngineMode engine;
    private EchoBackend echo;
    private NetworkClusters network;
    private TcpEchoBackend tcpEcho;
    private java.time.Duration timeout = java.time.Duration.ofSeconds(10);

    public ReferenceHostUnderTest(EngineMode engine) {
        this.engine = engine;
    }

    public ReferenceHostUnderTest withExchangeTimeout(java.time.Duration timeout) {
        this.timeout = timeout;
        return this;
    }

    @Override
    public HostInfo info() {
        return new HostInfo(
                "reference",
                "pwtck reference host (in process)",
                Plugin.class.getPackage().getImplementationVersion() != null
                        ? Plugin.class.getPackage().getImplementationVersion()
                        : "0.1.0-SNAPSHOT",
                "chicory 1.7.5 " + engine.name().toLowerCase(java.util.Locale.ROOT),
                Map.of("transport", "in-process (no sockets)"));
    }

    @Override
    public Set<Feature> supportedFeatures() {
        return EnumSet.allOf(Feature.class);
    }

    @Override
    public void start(EchoBackend echo) {
        start(Backends.echoOnly(echo));
    }

    @Override
    public void start(Backends backends) {
        this.echo = backends.echo();
        this.network = NetworkClusters.start(backends);
        this.tcpEcho = backends.tcpEcho().orElse(null);
    }

    @Override
    public Deployment deploy(FilterSpec spec) throws DeploymentException {
        InProcessDeployment.LogBuffer logs = new InProcessDeployment.LogBuffer();
        Plugin plugin = plugin(spec, logs);
        try {
            return new InProcessDeployment(plugin, plugin.startVm(), echo, logs, timeout);
        } catch (PluginStartException e) {
            throw refusedStart(e, logs);
        }
    }

    @Override
    public NetworkDeployment deployNetwork(FilterSpec spec) throws DeploymentException {
        if (tcpEcho == null) {
            throw new DeploymentException("no TCP echo in this session");
        }
        InProcessDeployment.LogBuffer logs = new InProcessDeployment.LogBuffer();
        Plugin plugin = plugin(spec, logs);
        try {
            return new InProcessTcpDeployment(plugin, plugin.startVm(), tcpEcho, logs);
        } catch (PluginStartException e) {
            throw refusedStart(e, logs);
        }
    }

    private Plugin plugin(FilterSpec spec, InProcessDeployment.LogBuffer logs)
            throws DeploymentException {
        HostServices services =
                HostServices.inMemory()
                        .withUpstreams(new EchoUpstreams(echo, network.upstreams()))
                        .withLog(logs);
        try {
            return Plugin.builder()
                    .withName(spec.name())
                    .withWasm(spec.wasm(), spec.name() + ".wasm")
                    .withPluginConfiguration(spec.pluginConfiguration())
                    .withVmConfiguration(spec.vmConfiguration())
                    .withRootId(spec.rootId())
                    .withVmId(spec.vmId())
                    .withEngine(engine)
                    .withLogLevel(LogLevel.TRACE)
                    .withServices(services)
                    .build();
        } catch (ModuleLoadException e) {
            throw new DeploymentException(
                    "reference host refused the module: " + e.getMessage(), e);
        }
    }

    private static DeploymentException refusedStart(
            PluginStartException e, InProcessDeployment.LogBuffer logs) {
        return new DeploymentException(
                "reference host could not start the filter: " + e.getMessage() + logs.tail(), e);
    }

    @Override
    public void close() {
        if (network != null) {
            network.close();
        }
    }
}
