package org.pwtck.tck.junit;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeTestExecutionCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.opentest4j.AssertionFailedError;
import org.pwtck.reports.model.CaseResult;
import org.pwtck.reports.model.Evidence;
import org.pwtck.reports.model.Outcome;
import org.pwtck.tck.api.Feature;

/**
 * The TCK's one extension: one invocation per filter language, central gating (a feature the host
 * lacks is NOT_SUPPORTED, a language without filters is SKIPPED), the expectation file (known
 * failures become XFAIL, unexpected passes XPASS and fail the build), and an outcome with evidence
 * for every invocation.
 */
public final class TckExtension implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod()
                .map(m -> m.isAnnotationPresent(ConformanceCase.class))
                .orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(
            ExtensionContext context) {
        ConformanceCase c = context.getRequiredTestMethod().getAnnotation(ConformanceCase.class);
        TckSession session = TckSession.get(context);
        List<TestTemplateInvocationContext> invocations = new ArrayList<>();
        if (!session.selects(c.id())) {
            return invocations.stream(); // left out by pwtck.cases: not run, not reported
        }
        for (String language : c.languages()) {
            if (language.equals("wat") || session.languages().contains(language)) {
                invocations.add(new Invocation(c, language, session));
            }
        }
        return invocations.stream();
    }

    @Override
    public boolean mayReturnZeroTestTemplateInvocationContexts(ExtensionContext context) {
        return true;
    }

    private record Invocation(ConformanceCase c, String language, TckSession session)
            implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int index) {
            return "[" + language + "] " + c.id();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new CaseRunner(c, language, session));
        }
    }

    /** Gating, parameter, outcome and evidence for one invocation. */
    static final class CaseRunner
            implements ExecutionCondition,
                    ParameterResolver,
                    BeforeTestExecutionCallback,
                    TestExecutionExceptionHandler,
                    AfterTestExecutionCallback {
        private static final ExtensionContext.Namespace NS =
                ExtensionContext.Namespace.create(CaseRunner.class);
        private final ConformanceCase c;
        private final String language;
        private final TckSession session;

        CaseRunner(ConformanceCase c, String language, TckSession session) {
            this.c = c;
            this.language = language;
            this.session = session;
        }

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            if (context.getTestMethod().isEmpty()) {
                return ConditionEvaluationResult.enabled("container");
            }
            Optional<String> reason = Optional.empty();
            Outcome outcome = Outcome.SKIPPED;
            if (session.setupError().isPresent()) {
                reason = session.setupError();
            } else {
                List<Feature> missing =
                        Arrays.stream(c.features())
                                .filter(
                                        f ->
                                                !session.host()
                                                        .orElseThrow()
                                                        .supportedFeatures()
                                                        .contains(f))
                                .toList();
                if (!missing.isEmpty()) {
                    outcome = Outcome.NOT_SUPPORTED;
                    reason =
                            Optional.of(
                                    "host "
                                            + session.hostInfo().id()
                                            + " does not support "
                                            + missing);
                } else if (!language.equals("wat")
                        && !session.catalog().languages().contains(language)) {
                    reason = Optional.of("no " + language + " filters on the classpath");
                }
            }
            if (reason.isEmpty()) {
                return ConditionEvaluationResult.enabled("runs");
            }
            record(
                    context,
                    outcome,
                    0,
                    new Evidence(null, null, reason.get(), nullIfEmpty(c.reading()), List.of()));
            return ConditionEvaluationResult.disabled(outcome + ": " + reason.get());
        }

        @Override
        public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
            return p.getParameter().getType() == TckCase.class;
        }

        @Override
        public Object resolveParameter(ParameterContext p, ExtensionContext e) {
            return tckCase(e);
        }

        private TckCase tckCase(ExtensionContext e) {
            return e.getStore(NS)
                    .getOrComputeIfAbsent(
                            TckCase.class, k -> new TckCase(session, language), TckCase.class);
        }

        @Override
        public void beforeTestExecution(ExtensionContext context) {
            context.getStore(NS).put("start", System.nanoTime());
        }

        @Override
        public void handleTestExecutionException(ExtensionContext context, Throwable thrown)
                throws Throwable {
            if (thrown instanceof org.opentest4j.TestAbortedException) {
                throw thrown;
            }
            var known = session.expectations().knownFailure(c.id(), language);
            if (known.isEmpty()) {
                throw thrown;
            }
            Evidence evidence = evidence(context, thrown, "known failure: " + known.get().reason());
            record(context, Outcome.XFAIL, elapsed(context), evidence);
        }

        @Override
        public void afterTestExecution(ExtensionContext context) {
            String id = context.getUniqueId();
            Optional<Throwable> failure = context.getExecutionException();
            if (failure.isPresent()
                    && failure.get() instanceof org.opentest4j.TestAbortedException) {
                record(
                        context,
                        Outcome.SKIPPED,
                        elapsed(context),
                        evidence(context, null, failure.get().getMessage()));
                return;
            }
            if (failure.isPresent()) {
                record(
                        context,
                        Outcome.FAIL,
                        elapsed(context),
                        evidence(context, failure.get(), null));
                return;
            }
            if (session.results().has(id)) {
                return; // XFAIL recorded by the exception handler
            }
            var known = session.expectations().knownFailure(c.id(), language);
            if (known.isPresent()) {
                String message =
                        "XPASS: listed as a known failure ("
                                + known.get().reason()
                                + ") in "
                                + session.expectations().source()
                                + " but it passed; remove the entry";
                record(context, Outcome.XPASS, elapsed(context), evidence(context, null, message));
                throw new AssertionError(message);
            }
            record(context, Outcome.PASS, elapsed(context), evidence(context, null, null));
        }

        private Evidence evidence(ExtensionContext context, Throwable thrown, String message) {
            TckCase tc = context.getStore(NS).get(TckCase.class, TckCase.class);
            String expected = tc == null ? null : tc.expected();
            String actual = tc == null ? null : tc.actual();
            if (thrown instanceof AssertionFailedError afe) {
                if (afe.isExpectedDefined()) {
                    expected = String.valueOf(afe.getExpected().getValue());
                }
                if (afe.isActualDefined()) {
                    actual = String.valueOf(afe.getActual().getValue());
                }
            }
            String text = message;
            if (thrown != null) {
                String m = thrown.getClass().getSimpleName() + ": " + thrown.getMessage();
                text = text == null ? m : text + " — " + m;
            }
            return new Evidence(
                    expected,
                    actual,
                    text,
                    nullIfEmpty(c.reading()),
                    tc == null ? List.of() : tc.log());
        }

        private long elapsed(ExtensionContext context) {
            Long start = context.getStore(NS).get("start", Long.class);
            return start == null ? 0 : (System.nanoTime() - start) / 1_000_000;
        }

        private void record(
                ExtensionContext context, Outcome outcome, long millis, Evidence evidence) {
            Method m = context.getRequiredTestMethod();
            String area = m.getDeclaringClass().getSimpleName().replaceAll("Cases$", "");
            session.results()
                    .record(
                            context.getUniqueId(),
                            new CaseResult(
                                    c.id(),
                                    c.description(),
                                    area,
                                    List.of(c.hostCalls()),
                                    Arrays.stream(c.features()).map(Enum::name).toList(),
                                    c.spec().isEmpty() ? specOf(c) : c.spec(),
                                    c.profile().name(),
                                    language,
                                    outcome,
                                    millis,
                                    evidence));
        }

        private static String specOf(ConformanceCase c) {
            return c.features().length == 0 ? "" : c.features()[0].specSection();
        }

        private static String nullIfEmpty(String s) {
            return s == null || s.isEmpty() ? null : s;
        }
    }
}
