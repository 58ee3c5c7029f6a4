package org.pwtck.host.plugin;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.LogLevel;
import org.pwtck.host.context.FilterLog;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.testing.Wat;
import org.pwtck.host.vm.GuestMemory;

/**
 * WAT building blocks for the loading, start-up and lifecycle tests: a recorder that appends i32
 * values to guest memory (so a test can see which callbacks ran, in which order, with which
 * arguments), plus a log that captures what the filter logged.
 */
final class Guests {
    /** Address of the recorder's count; the values follow it. */
    static final int REC = 0x3000;

    /** Event codes the test modules record. */
    static final int INITIALIZE = 101;

    static final int MAIN = 102;
    static final int START = 103;
    static final int CREATE = 104;
    static final int VM_START = 105;
    static final int CONFIGURE = 106;
    static final int DONE = 107;
    static final int LOG = 108;
    static final int DELETE = 109;
    static final int TICK = 110;
    static final int ALLOC = 111;
    static final int MALLOC = 112;

    /** {@code $rec (v)}, {@code $rec2 (a b)}, {@code $rec3 (a b c)}: append values in order. */
    static final String RECORDER =
            """
              (func $rec (param $v i32)
                (local $n i32)
                (local.set $n (i32.load (i32.const 0x3000)))
                (i32.store
                  (i32.add (i32.const 0x3004) (i32.shl (local.get $n) (i32.const 2)))
                  (local.get $v))
                (i32.store (i32.const 0x3000) (i32.add (local.get $n) (i32.const 1))))
              (func $rec2 (param i32 i32) (call $rec (local.get 0)) (call $rec (local.get 1)))
              (func $rec3 (param i32 i32 i32)
                (call $rec (local.get 0)) (call $rec (local.get 1)) (call $rec (local.get 2)))
            """;

    /** Root callbacks that record (code, arg, arg) and accept start-up. */
    static final String ROOT_CALLBACKS =
            """
              (func (export "proxy_on_context_create") (param i32 i32)
                (call $rec3 (i32.const 104) (local.get 0) (local.get 1)))
              (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
                (call $rec3 (i32.const 105) (local.get 0) (local.get 1)) (i32.const 1))
              (func (export "proxy_on_configure") (param i32 i32) (result i32)
                (call $rec3 (i32.const 106) (local.get 0) (local.get 1)) (i32.const 1))
            """;

    /** Teardown callbacks that record (code, id); on_done returns {@code $done_result}. */
    static final String TEARDOWN_CALLBACKS =
            """
              (global $done_result (mut i32) (i32.const 1))
              (func (export "proxy_on_done") (param i32) (result i32)
                (call $rec2 (i32.const 107) (local.get 0)) (global.get $done_result))
              (func (export "proxy_on_log") (param i32) (call $rec2 (i32.const 108) (local.get 0)))
              (func (export "proxy_on_delete") (param i32)
                (call $rec2 (i32.const 109) (local.get 0)))
              (func (export "t_set_done_result") (param i32) (global.set $done_result (local.get 0)))
            """;

    private Guests() {}

    /** A module with the standard memory, bump allocator and marker (see {@link Wat#module}). */
    static byte[] module(AbiVersion version, String body) {
        return Wat.compile(Wat.module(version, body));
    }

    /** A whole module in WAT text, compiled. */
    static byte[] wat(String text) {
        return Wat.compile(text);
    }

    static Plugin.Builder builder(byte[] wasm) {
        return Plugin.builder().withName("test").withWasm(wasm, "test.wasm");
    }

    /** Everything recorded so far, read on the VM thread. */
    static List<Integer> recorded(PluginVm vm) {
        return vm.executor().call(() -> recorded(vm.memory()));
    }

    /** Everything recorded so far (for a VM whose thread has stopped, e.g. after close). */
    static List<Integer> recorded(GuestMemory memory) {
        int n = (int) memory.readU32(REC);
        ByteBuffer values =
                ByteBuffer.wrap(memory.read(REC + 4, n * 4L)).order(ByteOrder.LITTLE_ENDIAN);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(values.getInt());
        }
        return out;
    }

    static GuestMemory memoryOf(PluginVm vm) {
        return vm.executor().call(vm::memory);
    }

    /** Captures log lines; {@link #services()} wires it into fresh in-memory services. */
    static final class CapturingLog implements FilterLog {
        record Line(String plugin, LogLevel level, String message) {}

        final List<Line> lines = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void log(String pluginName, LogLevel level, String message) {
            lines.add(new Line(pluginName, level, message));
        }

        HostServices services() {
            return HostServices.inMemory().withLog(this);
        }

        List<String> messages(LogLevel level) {
            synchronized (lines) {
                return lines.stream().filter(l -> l.level() == level).map(Line::message).toList();
            }
        }
    }
}
