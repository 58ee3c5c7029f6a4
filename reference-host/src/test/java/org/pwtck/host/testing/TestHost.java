package org.pwtck.host.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.plugin.Plugin;
import org.pwtck.host.plugin.PluginVm;
import org.pwtck.host.vm.GuestMemory;

/**
 * A started VM of a test module plus helpers to put arguments into guest memory and read results
 * back. Scratch data goes at {@link #SCRATCH} and up, below the allocator's heap.
 */
public final class TestHost implements AutoCloseable {
    /** Start of the scratch area tests write arguments into. */
    public static final int SCRATCH = 0x1000;

    /** A byte pattern out-slots are filled with, to see exactly how many bytes a host wrote. */
    public static final byte SENTINEL = (byte) 0xA5;

    /** One captured log line. */
    public record LogLine(String plugin, LogLevel level, String message) {}

    /** Every line the filter logged, start-up included. */
    public final List<LogLine> logs;

    public final PluginVm vm;
    private int next = SCRATCH;

    private TestHost(PluginVm vm, List<LogLine> logs) {
        this.vm = vm;
        this.logs = logs;
    }

    /** Starts a pass-through module for the given functions. */
    public static TestHost passthrough(AbiVersion version, AbiFunction... functions) {
        return start(Wat.compile(Wat.passthrough(version, functions)), HostServices.inMemory());
    }

    public static TestHost start(byte[] wasm, HostServices services) {
        return start(Plugin.builder().withName("test").withWasm(wasm, "test.wasm"), services);
    }

    public static TestHost start(Plugin.Builder builder, HostServices services) {
        List<LogLine> captured = Collections.synchronizedList(new ArrayList<>());
        Plugin plugin =
                builder.withServices(
                                services.withLog(
                                        (p, level, msg) ->
                                                captured.add(new LogLine(p, level, msg))))
                        .build();
        return new TestHost(plugin.startVm(), captured);
    }

    public GuestMemory memory() {
        return vm.executor().call(vm::memory);
    }

    public int root() {
        return vm.rootContext().id();
    }

    /** Calls {@code t_<function>} as a callback of the given context. */
    public int callIn(int contextId, AbiFunction function, long... args) {
        return (int) vm.invokeAsCallback("t_" + function.wasmName(), contextId, args);
    }

    /** Calls {@code t_<function>} as a callback of the root context. */
    public int call(AbiFunction function, long... args) {
        return callIn(root(), function, args);
    }

    /** Copies bytes into scratch memory; returns their address. */
    public int put(byte[] data) {
        int at = next;
        vm.executor()
                .call(
                        () -> {
                            vm.memory().write(at, data);
                            return null;
                        });
        next += Math.max(8, (data.length + 7) & ~7);
        return at;
    }

    public int put(String text) {
        return put(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A 16-byte out-slot filled with {@link #SENTINEL}; returns its address. */
    public int slot() {
        byte[] fill = new byte[16];
        java.util.Arrays.fill(fill, SENTINEL);
        return put(fill);
    }

    public byte[] read(long ptr, int len) {
        return vm.executor().call(() -> vm.memory().read(ptr, len));
    }

    public long u32(long ptr) {
        return ByteBuffer.wrap(read(ptr, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    }

    public long u64(long ptr) {
        return ByteBuffer.wrap(read(ptr, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** The data a host returned through a (ptr, size) out-pair. */
    public byte[] outData(int ptrSlot, int sizeSlot) {
        return read(u32(ptrSlot), (int) u32(sizeSlot));
    }

    public String outString(int ptrSlot, int sizeSlot) {
        return new String(outData(ptrSlot, sizeSlot), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        vm.close();
    }
}
