package org.pwtck.host.context;

import java.util.HashMap;
import java.util.Map;

/**
 * The root context of a plugin in one VM: receives {@code on_vm_start}, {@code on_configure},
 * ticks, queue notifications and the responses of calls made by any of its streams.
 */
public final class RootContext extends FilterContext {

    /** The status {@code proxy_get_status} reports: of the last HTTP or gRPC call delivered. */
    public record CallStatus(int code, String message) {}

    private Scheduler.Task tick;
    private long tickPeriodMillis;
    private CallStatus lastCallStatus = new CallStatus(0, "");
    private final Map<Integer, Integer> callOrigins = new HashMap<>();
    private final Map<Integer, Upstreams.Cancellable> grpcCalls = new HashMap<>();
    private final Map<Integer, Upstreams.GrpcStream> grpcStreams = new HashMap<>();

    public RootContext(int id) {
        super(id, id);
    }

    public long tickPeriodMillis() {
        return tickPeriodMillis;
    }

    /** The running tick task, or null. */
    public Scheduler.Task tickTask() {
        return tick;
    }

    /** Replaces the tick task; the old one is cancelled. */
    public void tick(long periodMillis, Scheduler.Task task) {
        if (tick != null) {
            tick.cancel();
        }
        tick = task;
        tickPeriodMillis = periodMillis;
    }

    public CallStatus lastCallStatus() {
        return lastCallStatus;
    }

    public void lastCallStatus(CallStatus status) {
        this.lastCallStatus = status;
    }

    /** Remembers which context made a call, so its response can be traced back. */
    public void callMadeBy(int token, int contextId) {
        callOrigins.put(token, contextId);
    }

    /**
     * True from the call until its end (response, close or cancel): events for a token that is not
     * pending are late and must not reach the guest.
     */
    public boolean isCallPending(int token) {
        return callOrigins.containsKey(token);
    }

    public int callOrigin(int token) {
        return callOrigins.getOrDefault(token, 0);
    }

    public void callFinished(int token) {
        callOrigins.remove(token);
        grpcCalls.remove(token);
        grpcStreams.remove(token);
    }

    /** Unary gRPC calls in flight, by token. */
    public Map<Integer, Upstreams.Cancellable> grpcCalls() {
        return grpcCalls;
    }

    /** gRPC streams open, by token. */
    public Map<Integer, Upstreams.GrpcStream> grpcStreams() {
        return grpcStreams;
    }
}
