package org.pwtck.host.plugin;

import org.pwtck.host.abi.Action;
import org.pwtck.host.abi.BufferType;
import org.pwtck.host.abi.Callback;
import org.pwtck.host.abi.PeerType;
import org.pwtck.host.context.Buffer;
import org.pwtck.host.context.CallbackScope;
import org.pwtck.host.context.TcpContext;

/**
 * Drives one TCP connection through a network filter: new connection, data in each direction (the
 * filter may rewrite it), the two close events, then {@link #complete()}.
 */
public final class TcpStream {
    private final PluginVm vm;
    private final TcpContext ctx;

    TcpStream(PluginVm vm, TcpContext ctx) {
        this.vm = vm;
        this.ctx = ctx;
    }

    public int contextId() {
        return ctx.id();
    }

    public Action newConnection() {
        return vm.executor()
                .call(
                        () ->
                                Action.of(
                                        vm.call(
                                                Callback.PROXY_ON_NEW_CONNECTION,
                                                0,
                                                new CallbackScope(
                                                        "proxy_on_new_connection", ctx.id()),
                                                ctx.id())));
    }

    /** Client-to-server data; returns the action and the (possibly rewritten) bytes. */
    public Result downstreamData(byte[] data, boolean endOfStream) {
        return data(
                Callback.PROXY_ON_DOWNSTREAM_DATA, BufferType.DOWNSTREAM_DATA, data, endOfStream);
    }

    /** Server-to-client data. */
    public Result upstreamData(byte[] data, boolean endOfStream) {
        return data(Callback.PROXY_ON_UPSTREAM_DATA, BufferType.UPSTREAM_DATA, data, endOfStream);
    }

    public void downstreamClose(PeerType peer) {
        close(Callback.PROXY_ON_DOWNSTREAM_CONNECTION_CLOSE, peer);
    }

    public void upstreamClose(PeerType peer) {
        close(Callback.PROXY_ON_UPSTREAM_CONNECTION_CLOSE, peer);
    }

    public void complete() {
        vm.executor()
                .call(
                        () -> {
                            vm.teardown(ctx);
                            return null;
                        });
    }

    /** What a data callback decided, and the data as the filter left it. */
    public record Result(Action action, byte[] data) {}

    private Result data(Callback callback, BufferType type, byte[] data, boolean endOfStream) {
        return vm.executor()
                .call(
                        () -> {
                            Buffer buffer = Buffer.writable(data);
                            ctx.data(type, buffer);
                            try {
                                long raw =
                                        vm.call(
                                                callback,
                                                0,
                                                new CallbackScope(callback.exportName(), ctx.id()),
                                                ctx.id(),
                                                data.length,
                                                endOfStream ? 1 : 0);
                                return new Result(Action.of(raw), buffer.bytes());
                            } finally {
                                ctx.endData();
                            }
                        });
    }

    private void close(Callback callback, PeerType peer) {
        vm.executor()
                .call(
                        () ->
                                vm.call(
                                        callback,
                                        0,
                                        new CallbackScope(callback.exportName(), ctx.id()),
                                        ctx.id(),
                                        peer.code()));
    }
}
