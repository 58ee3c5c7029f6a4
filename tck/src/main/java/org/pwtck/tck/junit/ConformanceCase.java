package org.pwtck.tck.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;
import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.Profile;

/**
 * Marks a conformance case: a small method that deploys a filter and checks one behaviour. The TCK
 * runs it once per language in {@link #languages} (as {@code [go]}, {@code [rust]}, …), gates it on
 * {@link #features}, and records its outcome in the report. A case never checks what the host
 * supports itself: gating is the extension's job.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(TckExtension.class)
@Tag("pwtck")
public @interface ConformanceCase {
    /** Stable id used in reports and expectation files. */
    String id();

    String description();

    Feature[] features();

    /** The host functions and callbacks the case exercises, as the spec names them. */
    String[] hostCalls() default {};

    /** Where the behaviour is defined, e.g. {@code spec v0.2.1 "HTTP fields"} or ABI.md §2.4. */
    String spec() default "";

    Profile profile() default Profile.HTTP_FILTER;

    /**
     * The filter languages to run in: {@code go}, {@code rust}, {@code tinygo} (probe-driven
     * cases), or {@code wat} for cases that use raw WAT modules, where only the ABI matters.
     */
    String[] languages() default {"go", "rust", "tinygo"};

    /** Where the spec is unclear: the reading this case checks (shown in the report). */
    String reading() default "";
}
