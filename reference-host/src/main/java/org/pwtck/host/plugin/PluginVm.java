package org.pwtck.host.plugin;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.pwtck.host.abi.BufferType;
import org.pwtck.host.abi.Callback;
import org.pwtck.host.abi.Header;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.abi.MapType;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.CallbackScope;
import org.pwtck.host.context.FilterContext;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.HttpContext;
import org.pwtck.host.context.PluginInfo;
import org.pwtck.host.context.RootContext;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.context.TcpContext;
import org.pwtck.host.context.Upstreams;
import org.pwtck.host.imports.HostEnvironment;
import org.pwtck.host.vm.GuestMemory;
import org.pwtck.host.vm.GuestTrapException;
import org.pwtck.host.vm.WasiConfig;
import org.pwtck.host.vm.WasmInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running VM of a {@link Plugin}: a Chicory instance, its root context and its stream contexts,
 * confined to one {@link VmExecutor} thread. It calls the guest's callbacks, keeps the effective
 * context, runs what host calls deferred once a callback has returned, and delivers asynchronous
 * events (call responses, ticks, queue notifications) to the root context.
 */
public final class PluginVm implements HostEnvironment, HostEnvironment.Deliveries, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginVm.class);

    private final Plugin plugin;
    private final VmExecutor executor;
    private final WasmInstance instance;
    private final Map<Integer, FilterContext> contexts = new LinkedHashMap<>();
    private final List<Runnable> afterCallback = new ArrayList<>();
    private final Deque<CallbackScope> scopes = new ArrayDeque<>();
    private RootContext root;
    private int nextContextId = 1;
    private int nextToken = 1;
    private Integer effectiveOverride;
    private FilterContext lastLookup;
    private String failure;

    /** Set on the VM thread once close has torn everything down; read by any thread. */
    private volatile boolean closed;

    private PluginVm(Plugin plugin, VmExecutor executor) {
        this.plugin = plugin;
        this.executor = executor;
        PluginInfo info = plugin.info();
        WasiConfig wasi =
                new WasiConfig(
                        plugin.environment(),
                        line -> plugin.services().log().log(info.name(), LogLevel.INFO, line),
                        line -> plugin.services().log().log(info.name(), LogLevel.ERROR, line));
        List<org.pwtck.host.vm.ImportBinding> bindings =
                new ArrayList<>(
                        Plugin.hostFunctions().bindings(info.abiVersion(), () -> this).values());
        this.instance =
                WasmInstance.instantiate(plugin.module(), bindings, wasi, plugin.maxMemoryPages());
    }

    static PluginVm start(Plugin plugin, VmExecutor executor) {
        PluginVm vm = new PluginVm(plugin, executor);
        String name = plugin.module().name();
        try {
            vm.instance.start();
        } catch (GuestTrapException e) {
            throw new PluginStartException(name + ": start-up failed: " + e.getMessage(), e);
        }
        vm.root = new RootContext(vm.nextContextId++);
        vm.contexts.put(vm.root.id(), vm.root);
        PluginInfo info = plugin.info();
        try {
            vm.call(
                    Callback.PROXY_ON_CONTEXT_CREATE,
                    0,
                    new CallbackScope("proxy_on_context_create", vm.root.id()),
                    vm.root.id(),
                    0);
            long started =
                    vm.call(
                            Callback.PROXY_ON_VM_START,
                            1,
                            new CallbackScope("proxy_on_vm_start", vm.root.id())
                                    .withBuffer(
                                            BufferType.VM_CONFIGURATION, info.vmConfiguration()),
                            vm.root.id(),
                            info.vmConfiguration().length);
            if (started == 0) {
                throw new PluginStartException(name + ": proxy_on_vm_start returned false", null);
            }
            long configured =
                    vm.call(
                            Callback.PROXY_ON_CONFIGURE,
                            1,
                            new CallbackScope("proxy_on_configure", vm.root.id())
                                    .withBuffer(
                                            BufferType.PLUGIN_CONFIGURATION,
                                            info.pluginConfiguration()),
                            vm.root.id(),
                            info.pluginConfiguration().length);
            if (configured == 0) {
                throw new PluginStartException(
                        name
                                + ": proxy_on_configure returned false (the filter refused its"
                                + " configuration; see its log)",
                        null);
            }
        } catch (FilterFailedException e) {
            throw new PluginStartException(name + ": " + e.getMessage(), e);
        } catch (PluginStartException e) {
            vm.root.tick(0, null);
            throw e;
        }
        return vm;
    }

    public Plugin plugin() {
        return plugin;
    }

    public VmExecutor executor() {
        return executor;
    }

    public RootContext rootContext() {
        return root;
    }

    /** Which allocator export this VM uses (the spec's precedence, see {@link WasmInstance}). */
    public String allocatorExport() {
        return instance.allocatorExport();
    }

    public boolean isFailed() {
        return failure != null;
    }

    public Optional<String> failureReason() {
        return Optional.ofNullable(failure);
    }

    /** Ids of the contexts alive in this VM, root first. */
    public List<Integer> contextIds() {
        return executor.call(() -> List.copyOf(contexts.keySet()));
    }

    /** Opens an HTTP stream: creates its context and calls {@code proxy_on_context_create}. */
    public HttpStream newHttpStream(StreamListener listener, StreamInfo info) {
        return executor.call(
                () -> {
                    checkUsable();
                    HttpStream stream = new HttpStream(this, listener);
                    HttpContext ctx =
                            new HttpContext(nextContextId++, root.id(), stream.events(), info);
                    stream.bind(ctx);
                    contexts.put(ctx.id(), ctx);
                    // the stream's callbacks come next: their host calls find it at once
                    lastLookup = ctx;
                    call(
                            Callback.PROXY_ON_CONTEXT_CREATE,
                            0,
                            new CallbackScope("proxy_on_context_create", ctx.id()),
                            ctx.id(),
                            root.id());
                    return stream;
                });
    }

    /** Opens a TCP stream for a network filter. */
    public TcpStream newTcpStream(StreamListener listener, StreamInfo info) {
        return executor.call(
                () -> {
                    checkUsable();
                    TcpContext ctx = new TcpContext(nextContextId++, root.id(), listener, info);
                    contexts.put(ctx.id(), ctx);
                    call(
                            Callback.PROXY_ON_CONTEXT_CREATE,
                            0,
                            new CallbackScope("proxy_on_context_create", ctx.id()),
                            ctx.id(),
                            root.id());
                    return new TcpStream(this, ctx);
                });
    }

    /**
     * Host-initiated foreign function call: {@code proxy_on_foreign_function}. The callback exists
     * from 0.2.0 on; a 0.1.0 module's export of that name is not it (cpp-host never looks it up
     * there, and its signature was not checked at load), so nothing is called.
     */
    public void callForeignFunction(int functionId, byte[] arguments) {
        if (!Callback.PROXY_ON_FOREIGN_FUNCTION.availableIn(plugin.abiVersion())) {
            return;
        }
        executor.call(
                () ->
                        call(
                                Callback.PROXY_ON_FOREIGN_FUNCTION,
                                0,
                                new CallbackScope("proxy_on_foreign_function", root.id())
                                        .withBuffer(
                                                BufferType.FOREIGN_FUNCTION_ARGUMENTS, arguments),
                                root.id(),
                                functionId,
                                arguments.length));
    }

    /**
     * Calls any export of the module as if it were a callback of the given context, with the host
     * functions acting on that context. For conformance tests that drive raw modules; a missing
     * export is an {@link IllegalArgumentException}.
     */
    public long invokeAsCallback(String export, int contextId, long... args) {
        return executor.call(
                () -> {
                    if (!instance.exports(export)) {
                        throw new IllegalArgumentException(
                                plugin.module().name() + " does not export " + export);
                    }
                    return enter(null, export, new CallbackScope(export, contextId), args);
                });
    }

    /** Runs {@code proxy_on_tick} once now, as the timer would; nothing once closed. */
    public void tickNow() {
        if (closed) {
            return;
        }
        executor.call(
                () -> {
                    tick(root);
                    return null;
                });
    }

    /** Waits until every task queued on the VM thread so far has run. */
    public void drain() {
        if (closed) {
            return;
        }
        executor.call(() -> null);
        executor.call(() -> null);
    }

    /**
     * Stops the plugin: ticks stop, open streams are finished, the root context gets {@code
     * proxy_on_done} and, unless it defers with {@code proxy_done}, {@code on_log} and {@code
     * on_delete}; then the VM thread stops.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            executor.call(
                    () -> {
                        if (closed) {
                            return null;
                        }
                        // Closed only after the teardown callbacks, which must still run.
                        try {
                            root.tick(0, null);
                            if (!isFailed()) {
                                for (FilterContext ctx : List.copyOf(contexts.values())) {
                                    if (!ctx.isRoot()
                                            && ctx.lifecycle() == FilterContext.Lifecycle.ACTIVE) {
                                        teardown(ctx);
                                    }
                                }
                                teardown(root);
                            }
                        } finally {
                            closed = true;
                            instance.close();
                        }
                        return null;
                    });
        } catch (FilterFailedException e) {
            LOG.warn("{} failed while closing: {}", plugin.info().name(), e.getMessage());
        } catch (IllegalStateException e) {
            LOG.debug("{}: VM thread already stopped: {}", plugin.info().name(), e.getMessage());
        } finally {
            executor.shutdown();
        }
    }

    // ---- callback plumbing (VM thread only) ----

    /**
     * Calls a callback if the module exports it, else returns {@code absent}. A trap marks this VM
     * failed and becomes a {@link FilterFailedException}.
     */
    long call(Callback callback, long absent, CallbackScope scope, long... args) {
        checkUsable();
        if (!instance.exports(callback)) {
            return absent;
        }
        return enter(callback, null, scope, args);
    }

    /**
     * The one way into the guest: a fresh effective context, the callback's scope, deferred effects
     * run once the outermost callback has returned, and a trap turned into a failed VM. An ABI
     * callback is called by {@code callback} (its export found without a lookup by name), any other
     * export by {@code export}.
     */
    private long enter(Callback callback, String export, CallbackScope scope, long... args) {
        checkUsable();
        Integer savedOverride = effectiveOverride;
        effectiveOverride = null;
        scopes.push(scope);
        try {
            return callback != null
                    ? instance.callback(callback, args)
                    : instance.callback(export, args);
        } catch (GuestTrapException e) {
            failure = e.getMessage();
            LOG.error("{}: VM failed: {}", plugin.info().name(), failure);
            throw new FilterFailedException(failure, e);
        } finally {
            scopes.pop();
            effectiveOverride = savedOverride;
            if (scopes.isEmpty()) {
                runAfterCallback();
            }
        }
    }

    private void runAfterCallback() {
        while (!afterCallback.isEmpty()) {
            List<Runnable> actions = new ArrayList<>(afterCallback);
            afterCallback.clear();
            actions.forEach(Runnable::run);
        }
    }

    private void checkUsable() {
        if (closed) {
            throw new IllegalStateException(plugin.info().name() + ": the VM is closed");
        }
        if (failure != null) {
            throw new FilterFailedException(
                    plugin.info().name() + ": the VM failed earlier: " + failure, null);
        }
    }

    /** Spec order: on_done, then (at once, or after proxy_done) on_log and on_delete. */
    void teardown(FilterContext ctx) {
        if (ctx.lifecycle() != FilterContext.Lifecycle.ACTIVE) {
            return;
        }
        long done =
                call(
                        Callback.PROXY_ON_DONE,
                        1,
                        new CallbackScope("proxy_on_done", ctx.id()),
                        ctx.id());
        if (done == 0) {
            ctx.lifecycle(FilterContext.Lifecycle.PENDING_DONE);
            return;
        }
        finish(ctx);
    }

    private void finish(FilterContext ctx) {
        if (ctx instanceof HttpContext http) {
            http.phase(HttpContext.HttpPhase.LOG);
        }
        call(Callback.PROXY_ON_LOG, 0, new CallbackScope("proxy_on_log", ctx.id()), ctx.id());
        call(Callback.PROXY_ON_DELETE, 0, new CallbackScope("proxy_on_delete", ctx.id()), ctx.id());
        ctx.lifecycle(FilterContext.Lifecycle.DELETED);
        contexts.remove(ctx.id());
        if (lastLookup == ctx) {
            lastLookup = null;
        }
    }

    /**
     * The live context with that id, or null. Host calls ask for the effective context again and
     * again, nearly always the same one: the last one found is kept (and forgotten when its context
     * is removed, the one place that removes any) instead of boxing the id and hashing it each
     * time.
     */
    private FilterContext lookup(int id) {
        FilterContext last = lastLookup;
        if (last != null && last.id() == id) {
            return last;
        }
        FilterContext found = contexts.get(id);
        if (found != null) {
            lastLookup = found;
        }
        return found;
    }

    Optional<CallbackScope> currentScope() {
        return Optional.ofNullable(scopes.peek());
    }

    // ---- HostEnvironment ----

    @Override
    public GuestMemory memory() {
        return instance.memory();
    }

    @Override
    public CallbackScope scope() {
        CallbackScope scope = scopes.peek();
        return scope != null ? scope : new CallbackScope("(no callback)", root.id());
    }

    @Override
    public FilterContext effectiveContext() {
        if (effectiveOverride != null) {
            FilterContext override = lookup(effectiveOverride);
            if (override != null) {
                return override;
            }
        }
        FilterContext ctx = lookup(scope().contextId());
        return ctx != null ? ctx : root;
    }

    @Override
    public Optional<FilterContext> context(int id) {
        return Optional.ofNullable(lookup(id));
    }

    @Override
    public RootContext rootOf(FilterContext context) {
        return root;
    }

    @Override
    public boolean setEffectiveContext(int id) {
        if (lookup(id) == null) {
            return false;
        }
        effectiveOverride = id;
        return true;
    }

    @Override
    public PluginInfo pluginInfo() {
        return plugin.info();
    }

    @Override
    public HostServices services() {
        return plugin.services();
    }

    @Override
    public void afterCallback(Runnable action) {
        afterCallback.add(action);
    }

    @Override
    public Executor vmExecutor() {
        return executor::execute;
    }

    @Override
    public int nextToken() {
        return nextToken++;
    }

    @Override
    public void finishDeferredDone(FilterContext context) {
        // ACTIVE again so that a second proxy_done is NOT_FOUND; finished after this callback.
        context.lifecycle(FilterContext.Lifecycle.ACTIVE);
        afterCallback(() -> finish(context));
    }

    @Override
    public Deliveries deliveries() {
        return this;
    }

    // ---- Deliveries: asynchronous events for a root context (VM thread) ----

    @Override
    public void httpCallResponse(RootContext target, int token, Upstreams.HttpCallResult result) {
        deliver(
                () -> {
                    if (!target.isCallPending(token)) {
                        return; // a second result for one call
                    }
                    if (result.isFailure()) {
                        target.lastCallStatus(
                                new RootContext.CallStatus(
                                        Status.BROKEN_CONNECTION.code(),
                                        switch (result.failure()) {
                                            case TIMEOUT -> "timeout";
                                            case CONNECT_FAILURE -> "connect failure";
                                            case RESET -> "reset";
                                        }));
                    } else {
                        target.lastCallStatus(new RootContext.CallStatus(0, ""));
                    }
                    CallbackScope scope =
                            new CallbackScope("proxy_on_http_call_response", target.id())
                                    .withMap(
                                            MapType.HTTP_CALL_RESPONSE_HEADERS,
                                            HeaderMap.of(result.headers()))
                                    .withMap(
                                            MapType.HTTP_CALL_RESPONSE_TRAILERS,
                                            HeaderMap.of(result.trailers()))
                                    .withBuffer(BufferType.HTTP_CALL_RESPONSE_BODY, result.body());
                    try {
                        call(
                                Callback.PROXY_ON_HTTP_CALL_RESPONSE,
                                0,
                                scope,
                                target.id(),
                                token,
                                result.headers().size(),
                                result.body().length,
                                result.trailers().size());
                    } finally {
                        target.callFinished(token);
                    }
                });
    }

    @Override
    public void grpcInitialMetadata(RootContext target, int token, List<Header> metadata) {
        if (!target.isCallPending(token)) {
            return; // cancelled or closed: nothing more for the guest
        }
        deliver(
                () ->
                        call(
                                Callback.PROXY_ON_GRPC_RECEIVE_INITIAL_METADATA,
                                0,
                                new CallbackScope(
                                                "proxy_on_grpc_receive_initial_metadata",
                                                target.id())
                                        .withMap(
                                                MapType.GRPC_RECEIVE_INITIAL_METADATA,
                                                HeaderMap.of(metadata)),
                                target.id(),
                                token,
                                metadata.size()));
    }

    @Override
    public void grpcMessage(RootContext target, int token, byte[] message) {
        if (!target.isCallPending(token)) {
            return; // cancelled or closed: nothing more for the guest
        }
        deliver(
                () ->
                        call(
                                Callback.PROXY_ON_GRPC_RECEIVE,
                                0,
                                new CallbackScope("proxy_on_grpc_receive", target.id())
                                        .withBuffer(BufferType.GRPC_RECEIVE_BUFFER, message),
                                target.id(),
                                token,
                                message.length));
    }

    @Override
    public void grpcTrailingMetadata(RootContext target, int token, List<Header> metadata) {
        if (!target.isCallPending(token)) {
            return; // cancelled or closed: nothing more for the guest
        }
        deliver(
                () ->
                        call(
                                Callback.PROXY_ON_GRPC_RECEIVE_TRAILING_METADATA,
                                0,
                                new CallbackScope(
                                                "proxy_on_grpc_receive_trailing_metadata",
                                                target.id())
                                        .withMap(
                                                MapType.GRPC_RECEIVE_TRAILING_METADATA,
                                                HeaderMap.of(metadata)),
                                target.id(),
                                token,
                                metadata.size()));
    }

    @Override
    public void grpcClose(RootContext target, int token, int status, String message) {
        deliver(
                () -> {
                    if (!target.isCallPending(token)) {
                        return;
                    }
                    target.lastCallStatus(new RootContext.CallStatus(status, message));
                    try {
                        call(
                                Callback.PROXY_ON_GRPC_CLOSE,
                                0,
                                new CallbackScope("proxy_on_grpc_close", target.id()),
                                target.id(),
                                token,
                                status);
                    } finally {
                        target.callFinished(token);
                    }
                });
    }

    @Override
    public void tick(RootContext target) {
        deliver(
                () ->
                        call(
                                Callback.PROXY_ON_TICK,
                                0,
                                new CallbackScope("proxy_on_tick", target.id()),
                                target.id()));
    }

    @Override
    public void queueReady(RootContext target, int queueId) {
        deliver(
                () ->
                        call(
                                Callback.PROXY_ON_QUEUE_READY,
                                0,
                                new CallbackScope("proxy_on_queue_ready", target.id()),
                                target.id(),
                                queueId));
    }

    /** Runs an asynchronous delivery unless the VM is gone; a trap is logged, not thrown. */
    private void deliver(Runnable delivery) {
        if (closed || failure != null) {
            return;
        }
        try {
            delivery.run();
        } catch (FilterFailedException e) {
            LOG.warn("{}: asynchronous callback failed: {}", plugin.info().name(), e.getMessage());
        }
    }
}
