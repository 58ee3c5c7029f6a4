package org.pwtck.tck.api;

import java.util.EnumSet;
import java.util.Set;
import org.pwtck.reports.model.HostInfo;
import org.pwtck.tck.http.EchoBackend;

/**
 * The SPI every host implements: the reference host in process, Envoy, or any other proxy. A host
 * is started once per run, then each case deploys filters and sends traffic through them.
 */
public interface HostUnderTest extends AutoCloseable {

    /** Name, version and wasm engine, for the report's provenance. */
    HostInfo info();

    /** The features this host supports; cases needing others are NOT_SUPPORTED. */
    default Set<Feature> supportedFeatures() {
        return EnumSet.allOf(Feature.class);
    }

    /**
     * The port the echo backend should listen on: 0 (any free port) unless the host is configured
     * with the echo's address ahead of time, as an external proxy is.
     */
    default int echoPort() {
        return 0;
    }

    /**
     * Starts the host. Upstream traffic and {@link FilterSpec#HTTPBIN_CLUSTER} calls go to the
     * given echo backend.
     */
    void start(EchoBackend echo) throws Exception;

    /**
     * Starts the host with every upstream of the session: besides the echo, the gRPC server as
     * cluster {@link FilterSpec#GRPC_CLUSTER} and the real httpbin as {@link
     * FilterSpec#REAL_HTTPBIN_CLUSTER} when present. The TCK calls this one; the default gives the
     * host only the echo (cases calling the other clusters then fail as unknown clusters).
     */
    default void start(Backends backends) throws Exception {
        start(backends.echo());
    }

    /** Loads a filter; a refusal (bad module, failed start) is a {@link DeploymentException}. */
    Deployment deploy(FilterSpec spec) throws DeploymentException;

    /**
     * Loads a network filter in front of the TCK's TCP echo ({@link Backends#tcpEcho()}). Hosts
     * that support {@link Feature#NETWORK_FILTER} implement it; the TCK only calls it then.
     */
    default NetworkDeployment deployNetwork(FilterSpec spec) throws DeploymentException {
        throw new DeploymentException(info().id() + " cannot deploy network filters");
    }

    @Override
    void close() throws Exception;
}
