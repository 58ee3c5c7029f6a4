package org.pwtck.tck.hosts.external;

import java.net.URI;
import java.nio.file.Path;
import org.pwtck.tck.api.HostUnderTest;
import org.pwtck.tck.api.HostUnderTestProvider;
import org.pwtck.tck.api.TckConfig;

/**
 * {@code pwtck.host=external}. Parameters: {@code pwtck.external.bundle} (default {@code
 * target/tck-bundle}), {@code pwtck.external.url} (the proxy, e.g. {@code http://10.0.0.5}; absent
 * = write the bundle), {@code pwtck.external.basePort} (first listener port, default 18100), {@code
 * pwtck.external.name} (shown in the report). The echo upstream must be reachable by the proxy at a
 * fixed address: {@code pwtck.echo.host} and {@code pwtck.echo.port} (default 18081 for this host).
 */
public final class ExternalHostProvider implements HostUnderTestProvider {
    @Override
    public String id() {
        return "external";
    }

    @Override
    public HostUnderTest create(TckConfig config) {
        Path bundle = Path.of(config.get("pwtck.external.bundle").orElse("target/tck-bundle"));
        var url = config.get("pwtck.external.url").map(URI::create);
        url.ifPresent(
                u -> {
                    if (u.getScheme() == null || u.getHost() == null) {
                        throw new IllegalArgumentException(
                                "pwtck.external.url="
                                        + u
                                        + ": needs a scheme and a host, e.g. http://10.0.0.5");
                    }
                });
        int basePort;
        String base = config.get("pwtck.external.basePort").orElse("18100");
        try {
            basePort = Integer.parseInt(base);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "pwtck.external.basePort=" + base + ": not a port number");
        }
        return new ExternalHostUnderTest(
                bundle,
                url,
                basePort,
                config.exchangeTimeout(),
                config.get("pwtck.external.name").orElse("external proxy"),
                Integer.parseInt(config.get("pwtck.echo.port").orElse("18081")));
    }
}
