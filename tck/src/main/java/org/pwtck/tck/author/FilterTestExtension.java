package org.pwtck.tck.author;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.AnnotatedElement;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.TestWatcher;
import org.pwtck.host.vm.LoadedModule;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.Evidence;
import org.pwtck.reports.model.FilterInfo;
import org.pwtck.reports.model.Outcome;
import org.pwtck.tck.api.FilterSpec;

/**
 * Runs every {@link HostTest} method once per host of its {@link FilterTest}: starts the hosts
 * through the TCK's SPI, deploys the filter once per host, injects a {@link FilterUnderTest}, and
 * records each invocation's outcome in the run's report (PASS, FAIL, or SKIPPED with the reason
 * when the host is not available).
 */
public final class FilterTestExtension implements TestTemplateInvocationContextProvider {
    /** Hosts when neither the annotation nor {@code pwtck.hosts} names any. */
    public static final List<String> DEFAULT_HOSTS = List.of("reference", "envoy");

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod()
                .map(m -> m.isAnnotationPresent(HostTest.class))
                .orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
            ExtensionContext context) {
        FilterTest filter = filterOf(context);
        AuthorSession session = AuthorSession.get(context);
        List<String> hosts =
                filter.hosts().length > 0
                        ? Arrays.asList(filter.hosts())
                        : session.config()
                                .get("pwtck.hosts")
                                .map(s -> List.of(s.split("\\s*,\\s*")))
                                .orElse(DEFAULT_HOSTS);
        List<TestTemplateInvocationContext> out = new ArrayList<>();
        for (String host : hosts) {
            out.add(new Invocation(host, filter, session));
        }
        return out.stream();
    }

    /** The method's {@link FilterTest}, else its class's (or an enclosing class's). */
    private static FilterTest filterOf(ExtensionContext context) {
        Optional<FilterTest> onMethod =
                context.getTestMethod().map(m -> m.getAnnotation(FilterTest.class));
        if (onMethod.isPresent()) {
            return onMethod.get();
        }
        for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getEnclosingClass()) {
            FilterTest f = ((AnnotatedElement) c).getAnnotation(FilterTest.class);
            if (f != null) {
                return f;
            }
        }
        throw new ExtensionConfigurationException(
                context.getRequiredTestMethod()
                        + " is a @HostTest but neither it nor its class has @FilterTest");
    }

    private record Invocation(String host, FilterTest filter, AuthorSession session)
            implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int index) {
            return "[" + host + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new Runner(host, filter, session));
        }
    }

    /** Host, deployment and parameter for one invocation, and its outcome for the report. */
    static final class Runner implements BeforeEachCallback, ParameterResolver, TestWatcher {
        private final String hostId;
        private final FilterTest filter;
        private final AuthorSession session;
        private HostPool.Slot slot;
        private FilterUnderTest under;
        private long startedNanos = System.nanoTime();

        Runner(String hostId, FilterTest filter, AuthorSession session) {
            this.hostId = hostId;
            this.filter = filter;
            this.session = session;
        }

        @Override
        public void beforeEach(ExtensionContext context) throws Exception {
            startedNanos = System.nanoTime();
            slot = session.hosts().get(hostId);
            Assumptions.assumeTrue(slot.unavailable().isEmpty(), () -> slot.unavailable().get());
            FilterSpec spec = spec(filter);
            session.report()
                    .addFilter(
                            new FilterInfo(
                                    "wasm",
                                    spec.name(),
                                    LoadedModule.sha256(spec.wasm()),
                                    "unknown",
                                    "unknown"));
            under = new FilterUnderTest(slot.info(), session.deployment(slot, key(filter), spec));
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
            return p.getParameter().getType() == FilterUnderTest.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext context) {
            return under;
        }

        @Override
        public void testSuccessful(ExtensionContext context) {
            record(context, Outcome.PASS, null);
        }

        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            record(context, Outcome.FAIL, message(cause));
        }

        @Override
        public void testAborted(ExtensionContext context, Throwable cause) {
            record(context, Outcome.SKIPPED, message(cause));
        }

        private void record(ExtensionContext context, Outcome outcome, String message) {
            HostPool.Slot s = slot != null ? slot : session.hosts().get(hostId);
            List<String> log = new ArrayList<>();
            if (under != null) {
                log.addAll(under.transcript());
                List<String> hostLog = under.logs();
                log.addAll(hostLog.subList(Math.max(0, hostLog.size() - 50), hostLog.size()));
            }
            String method = context.getRequiredTestMethod().getName();
            session.report()
                    .add(
                            s.info(),
                            new CaseResult(
                                    context.getRequiredTestClass().getSimpleName() + "." + method,
                                    context.getParent()
                                            .map(ExtensionContext::getDisplayName)
                                            .orElse(method),
                                    "FilterBehaviour",
                                    List.of(),
                                    List.of(),
                                    "",
                                    "FILTER_BEHAVIOUR",
                                    "wasm",
                                    outcome,
                                    (System.nanoTime() - startedNanos) / 1_000_000,
                                    new Evidence(null, null, message, null, List.copyOf(log))));
        }

        private static String message(Throwable cause) {
            return cause.getMessage() != null ? cause.getMessage() : cause.toString();
        }
    }

    private static String key(FilterTest f) {
        return String.join("\u0000", f.wasm(), f.config(), f.configFile(), f.vmConfig(), f.name());
    }

    /** Reads the module and configuration the annotation names; a missing file is a clear error. */
    static FilterSpec spec(FilterTest f) throws IOException {
        byte[] wasm = read(f.wasm(), "wasm");
        String config =
                f.configFile().isEmpty()
                        ? f.config()
                        : new String(read(f.configFile(), "configFile"), StandardCharsets.UTF_8);
        String name = f.name();
        if (name.isEmpty()) {
            String file = f.wasm().replaceFirst("^classpath:", "");
            name = file.substring(file.lastIndexOf('/') + 1).replaceFirst("\\.wasm$", "");
        }
        return FilterSpec.of(name, "wasm", wasm, config).withVmConfiguration(f.vmConfig());
    }

    private static byte[] read(String location, String attribute) throws IOException {
        if (location.startsWith("classpath:")) {
            String resource = location.substring("classpath:".length());
            try (InputStream in =
                    Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new ExtensionConfigurationException(
                            "@FilterTest " + attribute + ": no class-path resource " + resource);
                }
                return in.readAllBytes();
            }
        }
        Path path = Path.of(location);
        if (!Files.isRegularFile(path)) {
            throw new ExtensionConfigurationException(
                    "@FilterTest "
                            + attribute
                            + ": "
                            + path.toAbsolutePath()
                            + " is not a readable file");
        }
        return Files.readAllBytes(path);
    }
}
