package org.pwtck.tck.hosts.envoy;

import java.time.Duration;
import org.pwtck.tck.api.HostUnderTest;
import org.pwtck.tck.api.HostUnderTestProvider;
import org.pwtck.tck.api.TckConfig;

/**
 * {@code pwtck.host=envoy}: Envoy as a local process. Without a binary, {@link #create} fails with
 * a message that ends in {@value EnvoyBinary#INSTALL}, and every case is SKIPPED with it.
 */
public final class EnvoyHostProvider implements HostUnderTestProvider {
    @Override
    public String id() {
        return "envoy";
    }

    @Override
    public HostUnderTest create(TckConfig config) throws Exception {
        EnvoyBinary.Found binary = EnvoyBinary.locate(config);
        String version =
                EnvoyBinary.versionLine(binary.path())
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                binary.path()
                                                        + " ("
                                                        + binary.source()
                                                        + ") did not answer --version; is it Envoy? "
                                                        + EnvoyBinary.INSTALL));
        return new EnvoyHostUnderTest(
                binary,
                version,
                config.exchangeTimeout(),
                Duration.ofSeconds(
                        Long.parseLong(config.get("pwtck.envoy.ready.seconds").orElse("30"))),
                config.get("pwtck.envoy.wasm.log.level").orElse("trace"),
                Boolean.parseBoolean(config.get("pwtck.envoy.keep").orElse("false")),
                Boolean.parseBoolean(config.get("pwtck.envoy.log.abi").orElse("false")));
    }
}
