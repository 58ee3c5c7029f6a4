package org.pwtck.tck.author;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A behaviour test of the {@link FilterTest filter}, run once per host: the method takes a {@link
 * FilterUnderTest} and sends exchanges through it. A host that is not available makes the
 * invocation SKIPPED (a JUnit assumption) with the reason; a filter that fails to load fails it
 * with the host's reason.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(FilterTestExtension.class)
public @interface HostTest {}
