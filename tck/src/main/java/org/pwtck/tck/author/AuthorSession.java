package org.pwtck.tck.author;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.api.DeploymentException;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.api.TckConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one JUnit run of {@link HostTest}s shares, in the root extension store so it lives exactly
 * as long as the run: the hosts, one deployment per filter and host (a filter that failed to load
 * stays failed with its reason instead of being retried for every test), and the results, written
 * as a report per host when the run ends ({@code pwtck.report.dir}, default {@code
 * target/pwtck-report}).
 */
final class AuthorSession implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorSession.class);
    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(AuthorSession.class);

    private final TckConfig config;
    private final HostPool hosts;
    private final FilterRunReport report = new FilterRunReport("JUnit: @HostTest behaviour tests");
    private final Map<String, Object> deployments = new LinkedHashMap<>();

    private AuthorSession(TckConfig config) {
        this.config = config;
        this.hosts = new HostPool(config);
    }

    static AuthorSession get(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        return root.getStore(NS)
                .getOrComputeIfAbsent(
                        AuthorSession.class,
                        k -> new AuthorSession(new TckConfig(root::getConfigurationParameter)),
                        AuthorSession.class);
    }

    TckConfig config() {
        return config;
    }

    HostPool hosts() {
        return hosts;
    }

    FilterRunReport report() {
        return report;
    }

    /**
     * The filter deployed on a started host, deployed on first use.
     *
     * @throws DeploymentException (every time) when the host refused the filter
     */
    synchronized Deployment deployment(HostPool.Slot slot, String key, FilterSpec spec)
            throws DeploymentException {
        String id = slot.id() + "\u0000" + key;
        Object known = deployments.get(id);
        if (known == null) {
            try {
                known = slot.host().orElseThrow().deploy(spec);
            } catch (DeploymentException e) {
                known =
                        new DeploymentException(
                                "filter "
                                        + spec.name()
                                        + " failed to load on host "
                                        + slot.id()
                                        + ": "
                                        + e.getMessage(),
                                e);
            }
            deployments.put(id, known);
        }
        if (known instanceof DeploymentException e) {
            throw e;
        }
        return (Deployment) known;
    }

    @Override
    public void close() throws Exception {
        List<Object> all;
        synchronized (this) {
            all = new ArrayList<>(deployments.values());
            deployments.clear();
        }
        for (Object d : all) {
            if (d instanceof Deployment deployment) {
                try {
                    deployment.close();
                } catch (Exception e) {
                    LOG.warn("pwtck: closing a deployment failed: {}", e.toString());
                }
            }
        }
        hosts.close();
        Path dir = Path.of(config.get("pwtck.report.dir").orElse("target/pwtck-report"));
        Map<String, Path> written = report.write(dir);
        written.forEach(
                (host, at) -> LOG.info("pwtck: {} report -> {}", host, at.resolve("report.html")));
    }
}
