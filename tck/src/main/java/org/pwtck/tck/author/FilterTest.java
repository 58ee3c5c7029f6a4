package org.pwtck.tck.author;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The filter a test class (or one {@link HostTest} method) exercises: its module, its
 * configuration, and the hosts to run on. Every {@link HostTest} method runs once per host.
 *
 * <pre>{@code
 * @FilterTest(wasm = "target/classes/filter.wasm", config = "{\"header\": \"x-hello\"}")
 * class HelloFilterTest {
 *     @HostTest
 *     void addsTheHeader(FilterUnderTest filter) throws Exception {
 *         filter.check(ExpectedExchange.of(TckRequest.get("/headers"))
 *                 .expectStatus(200)
 *                 .expectUpstreamHeader("x-hello", "world"));
 *     }
 * }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
public @interface FilterTest {

    /**
     * The module: a file path (relative to the working directory, which Maven sets to the project's
     * directory) or {@code classpath:name} for a class-path resource.
     */
    String wasm();

    /** The plugin configuration, inline (default empty). */
    String config() default "";

    /** The plugin configuration from a file; overrides {@link #config()} when set. */
    String configFile() default "";

    /** The VM configuration (default empty). */
    String vmConfig() default "";

    /** The name the filter is deployed under (default: the module's file name without .wasm). */
    String name() default "";

    /**
     * Host ids to run on (see {@link HostPool#knownIds()}); empty means the {@code pwtck.hosts}
     * configuration parameter or system property, else {@code reference,envoy}. A host that is not
     * available here is SKIPPED with the reason.
     */
    String[] hosts() default {};
}
