package org.pwtck.tck.hosts.reference;

import java.util.Locale;
import org.pwtck.host.vm.EngineMode;
import org.pwtck.tck.api.HostUnderTest;
import org.pwtck.tck.api.HostUnderTestProvider;
import org.pwtck.tck.api.TckConfig;

/**
 * {@code pwtck.host=reference}: the reference host in process. {@code pwtck.reference.engine} picks
 * Chicory's {@code interpreter} (default: fastest to start, which is what a TCK run does most) or
 * {@code compiler}.
 */
public final class ReferenceHostProvider implements HostUnderTestProvider {
    @Override
    public String id() {
        return "reference";
    }

    @Override
    public HostUnderTest create(TckConfig config) {
        return new ReferenceHostUnderTest(engine(config))
                .withExchangeTimeout(config.exchangeTimeout());
    }

    static EngineMode engine(TckConfig config) {
        String engine = config.get("pwtck.reference.engine").orElse("interpreter");
        EngineMode mode;
        try {
            mode = EngineMode.valueOf(engine.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "pwtck.reference.engine=" + engine + ": must be interpreter or compiler");
        }
        return mode;
    }

    /** {@code pwtck.host=reference-proxy}: the same host behind the Netty proxy, over sockets. */
    public static final class Proxy implements HostUnderTestProvider {
        @Override
        public String id() {
            return "reference-proxy";
        }

        @Override
        public HostUnderTest create(TckConfig config) {
            return new ReferenceProxyUnderTest(engine(config), config.exchangeTimeout());
        }
    }
}
