package org.pwtck.tck.cases;

import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.pairs;
import static org.pwtck.tck.probe.ProbeArg.str;
import static org.pwtck.tck.probe.ProbeArg.var;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.pwtck.tck.api.Deployment;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.http.TckRequest;
import org.pwtck.tck.http.TckResponse;
import org.pwtck.tck.junit.TckCase;
import org.pwtck.tck.probe.ProbeReport;
import org.pwtck.tck.probe.ProbeScenario;

/**
 * One row of the host call × callback matrix (ABI.md §6.1 Kong's {@code hfuncs/contexts/}, §7 item
 * 3): the same host call made from every callback a probe can run it in, with the status the spec
 * and the readings give for each.
 *
 * <p>One deployment runs the whole row: {@code on_vm_start} (through the VM configuration), {@code
 * on_configure} (which sets a 20 ms tick and registers a queue), {@code on_tick} (which enqueues an
 * item and makes an HTTP call to the echo), {@code on_queue_ready}, {@code on_http_call_response}
 * (root context, effective context not changed), and one POST request for the stream callbacks.
 * Every callback puts the subject call first, then its plumbing, then reports to shared data. A
 * call that ends the stream when it succeeds (a local response) is made in those callbacks from a
 * deployment of its own, one per callback.
 */
final class HostCallMatrix {
    static final String OK = "OK";

    /** Every callback of a row, in the order of the evidence. */
    static final List<String> CALLBACKS =
            List.of(
                    "on_vm_start",
                    "on_configure",
                    "on_tick",
                    "on_queue_ready",
                    "on_http_call_response",
                    "on_request_headers",
                    "on_request_body",
                    "on_response_headers",
                    "on_response_body",
                    "on_log");

    static final Set<String> STREAM_CALLBACKS =
            Set.of(
                    "on_request_headers",
                    "on_request_body",
                    "on_response_headers",
                    "on_response_body",
                    "on_log");

    /** The request of every row. */
    static final String PATH = "/anything/matrix?x=1";

    static final String BODY = "matrix-body";

    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Checks an OK result: null when fine, else what is wrong. */
    interface OkCheck {
        String check(String callback, ProbeReport.Step step);
    }

    private final String function;
    private final BiConsumer<String, ProbeScenario.CallbackSteps> subject;
    private final int subjectStep;
    private final Map<String, Integer> expected = new LinkedHashMap<>();
    private final Set<String> ownDeployment = new LinkedHashSet<>();
    private OkCheck okCheck = (cb, step) -> null;
    private int clientStatus = -1;

    private HostCallMatrix(
            String function,
            int subjectStep,
            BiConsumer<String, ProbeScenario.CallbackSteps> subject,
            String row) {
        String[] statuses = row.replace("|", " ").trim().split("\\s+");
        if (statuses.length != CALLBACKS.size()) {
            throw new IllegalArgumentException(
                    "one status per callback of " + CALLBACKS + ": " + row);
        }
        this.function = function;
        this.subject = subject;
        this.subjectStep = subjectStep;
        for (int i = 0; i < statuses.length; i++) {
            expected.put(CALLBACKS.get(i), code(statuses[i]));
        }
    }

    /**
     * A row: the subject steps (the same in every callback, or depending on it), which of them is
     * checked, and the expected status per callback in the order of {@link #CALLBACKS}, as names
     * separated by spaces ({@code OK}, {@code NF} for NOT_FOUND, {@code BAD} for BAD_ARGUMENT, or
     * any status name); a {@code |} may separate the root callbacks from the stream callbacks.
     */
    static HostCallMatrix row(
            String function,
            int subjectStep,
            BiConsumer<String, ProbeScenario.CallbackSteps> subject,
            String row) {
        return new HostCallMatrix(function, subjectStep, subject, row);
    }

    static HostCallMatrix row(
            String function,
            java.util.function.Consumer<ProbeScenario.CallbackSteps> subject,
            String row) {
        return new HostCallMatrix(function, 0, (cb, steps) -> subject.accept(steps), row);
    }

    HostCallMatrix checkOk(OkCheck check) {
        this.okCheck = check;
        return this;
    }

    /** The first out as text must equal {@code text} where the call succeeds. */
    HostCallMatrix okText(String text) {
        return checkOk(
                (cb, step) -> {
                    String got = step.out(0).text();
                    return got.equals(text) ? null : "value '" + got + "', expected '" + text + "'";
                });
    }

    /** Stream callbacks in which a successful call ends the stream: each gets a deployment. */
    HostCallMatrix ownDeploymentIn(String... callbacks) {
        ownDeployment.addAll(List.of(callbacks));
        return this;
    }

    /** In the callbacks of {@link #ownDeploymentIn}, the status the client must get. */
    HostCallMatrix expectClientStatus(int status) {
        this.clientStatus = status;
        return this;
    }

    /** Runs the row; fails with the whole row as evidence when any cell differs. */
    void run(TckCase tck) {
        Map<String, String> actual = new LinkedHashMap<>();
        List<String> wrong = new ArrayList<>();

        ProbeScenario vm =
                ProbeScenario.create()
                        .on(
                                "on_vm_start",
                                cb -> {
                                    subject.accept("on_vm_start", cb);
                                    cb.report("shared_data");
                                });
        ProbeScenario s = ProbeScenario.create();
        for (String callback : CALLBACKS) {
            if (callback.equals("on_vm_start")) {
                continue;
            }
            s.on(
                    callback,
                    cb -> {
                        if (!ownDeployment.contains(callback)) {
                            subject.accept(callback, cb);
                        }
                        plumbing(callback, cb);
                        cb.report("shared_data");
                    });
        }
        Deployment d = tck.deployProbe(s, spec -> spec.withVmConfiguration(vm.json()));
        TckResponse response = tck.exchange(d, request());
        ProbeReport r = tck.awaitRecords(d, WAIT, CALLBACKS.toArray(String[]::new));
        long stream = r.record("on_request_headers").contextId();
        for (String callback : CALLBACKS) {
            if (ownDeployment.contains(callback)) {
                continue;
            }
            ProbeReport.Record rec = record(r, callback, stream);
            judge(callback, rec.step(subjectStep), actual, wrong);
        }
        for (String callback : ownDeployment) {
            ProbeScenario own =
                    ProbeScenario.create()
                            .on(
                                    callback,
                                    cb -> {
                                        subject.accept(callback, cb);
                                        cb.report("shared_data");
                                    });
            Deployment od = tck.deployProbe(own);
            TckResponse or = tck.exchange(od, request());
            ProbeReport orr = tck.awaitRecords(od, WAIT, callback);
            judge(callback, orr.record(callback).step(subjectStep), actual, wrong);
            actual.compute(
                    callback, (k, v) -> v + " (own deployment; client got " + or.status() + ")");
            if (clientStatus >= 0 && or.status() != clientStatus && !wrong.contains(callback)) {
                wrong.add(callback);
            }
        }
        tck.evidence(
                function + " from each callback: " + expectedRow(),
                actual + "; stream request answered " + response.status());
        if (!wrong.isEmpty()) {
            throw new AssertionError(
                    function
                            + " differs in "
                            + wrong
                            + "; expected "
                            + expectedRow()
                            + ", got "
                            + actual);
        }
    }

    static TckRequest request() {
        return TckRequest.post(PATH, BODY).withHeader("x-pwtck-matrix", "1");
    }

    private void judge(
            String callback,
            ProbeReport.Step step,
            Map<String, String> actual,
            List<String> wrong) {
        int want = expected.get(callback);
        if (step.error().isPresent()) {
            actual.put(callback, "not made: " + step.error().get());
            wrong.add(callback);
            return;
        }
        int got = step.status();
        String note = null;
        if (got == 0 && want == 0) {
            note = okCheck.check(callback, step);
        }
        actual.put(callback, name(got) + (note == null ? "" : " but " + note));
        if (got != want || note != null) {
            wrong.add(callback);
        }
    }

    private String expectedRow() {
        Map<String, String> row = new LinkedHashMap<>();
        expected.forEach((k, v) -> row.put(k, name(v)));
        return row.toString();
    }

    static int code(String name) {
        switch (name) {
            case "NF":
                return 1;
            case "BAD":
                return 2;
            default:
                break;
        }
        for (int c = 0; c <= 12; c++) {
            if (name(c).equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown status " + name);
    }

    static String name(int status) {
        return switch (status) {
            case 0 -> "OK";
            case 1 -> "NOT_FOUND";
            case 2 -> "BAD_ARGUMENT";
            case 6 -> "INVALID_MEMORY_ACCESS";
            case 7 -> "EMPTY";
            case 8 -> "CAS_MISMATCH";
            case 10 -> "INTERNAL_FAILURE";
            case 12 -> "UNIMPLEMENTED";
            default -> Integer.toString(status);
        };
    }

    /**
     * The record of a callback: for stream callbacks the one of the row's stream (dump requests run
     * {@code on_log} too); for root callbacks the first.
     */
    private static ProbeReport.Record record(ProbeReport r, String callback, long stream) {
        if (STREAM_CALLBACKS.contains(callback)) {
            for (ProbeReport.Record rec : r.records(callback)) {
                if (rec.contextId() == stream) {
                    return rec;
                }
            }
            throw new AssertionError("no " + callback + " record of stream " + stream + ": " + r);
        }
        return r.record(callback);
    }

    /** What drives the root callbacks; after the subject, so the subject is step 0.. */
    private static void plumbing(String callback, ProbeScenario.CallbackSteps cb) {
        switch (callback) {
            case "on_configure" ->
                    cb.call("proxy_set_tick_period_milliseconds", num(20))
                            .callAndSave(
                                    "mq",
                                    "proxy_register_shared_queue",
                                    str("pwtck.matrix"),
                                    outU32());
            case "on_tick" ->
                    cb.call("proxy_enqueue_shared_queue", var("mq"), str("tick"))
                            .call(
                                    "proxy_http_call",
                                    str(FilterSpec.HTTPBIN_CLUSTER),
                                    pairs(
                                            ":method",
                                            "GET",
                                            ":path",
                                            "/status/200",
                                            ":authority",
                                            "httpbin"),
                                    str(""),
                                    pairs(),
                                    num(5000),
                                    outU32())
                            .once();
            case "on_queue_ready", "on_http_call_response" -> cb.once();
            default -> {}
        }
    }
}
