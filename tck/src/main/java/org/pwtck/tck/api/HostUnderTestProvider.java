package org.pwtck.tck.api;

/**
 * Found with {@link java.util.ServiceLoader}: a host's id (what {@code pwtck.host} selects) and a
 * factory. Register an implementation in {@code
 * META-INF/services/org.pwtck.tck.api.HostUnderTestProvider}.
 */
public interface HostUnderTestProvider {

    String id();

    HostUnderTest create(TckConfig config) throws Exception;
}
