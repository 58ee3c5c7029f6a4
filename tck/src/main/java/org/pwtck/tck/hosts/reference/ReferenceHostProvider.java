package org.pwtck.tck.hosts.reference;

import java.util.Locale;
import org.pwtck.tck.api.HostUnderTest;
import org.pwtck.tck.api.HostUnderTestProvider;
import org.pwtck.tck.api.TckConfig;
import org.pwtck.host.vm.EngineMode;

/**
 * {@code pwtck.host=reference}: the reference host in process. {@code pwtck.reference.engine}
 * picks Chicory's {@code interpreter} (default: fastest to start, which is what a TCK run does
 * most) or {@code compiler}.
 */
public final class ReferenceHostProvider implements HostUnderTestProvider {
    @Override
    public String id() {
        return "reference";
    }

    @Override
    public HostUnderTest create(TckConfig config) {
        String engine = config.get("pwtck.reference.engine").orElse("interpreter");
        EngineMode mode;
        try {
            mode = EngineMode.valueOf(engine.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "pwtck.reference.engine=" + engine + ": must be interpreter or compiler");
        }
        return new ReferenceHostUnderTest(mode).withExchangeTimeout(config.exchangeTimeout());
    }
}
