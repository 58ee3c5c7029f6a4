package org.pwtck.host.imports;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.BufferType;
import org.pwtck.host.abi.Callback;
import org.pwtck.host.abi.MapType;
import org.pwtck.host.testing.TestHost;
import org.pwtck.host.testing.Wat;

/**
 * Test modules whose callbacks record what the host passed them, and what some host calls made
 * inside the callback returned, in guest memory: a counter at {@link #COUNT} and one 128-byte
 * record per callback from {@link #EVENTS}. A record holds the callback's code, its (up to five)
 * arguments, then four words per probe: the probe's status and what it wrote.
 */
final class RecordingModule {
    static final int COUNT = 0x3FF0;

    /** A word tests write a context id into, read by {@link #continueAs}. */
    static final int TARGET = 0x3FE0;

    static final int EVENTS = 0x4000;
    static final int RECORD = 128;

    private RecordingModule() {}

    /** A host call made inside a callback; {@code off} is its 16-byte area in the record. */
    interface Probe {
        String wat(int off);
    }

    /** {@code proxy_get_header_map_pairs(type)}: status, data ptr, data size. */
    static Probe map(MapType type) {
        return off ->
                store(
                        off,
                        "(call $proxy_get_header_map_pairs (i32.const "
                                + type.code()
                                + ") "
                                + at(off + 4)
                                + " "
                                + at(off + 8)
                                + ")");
    }

    /** {@code proxy_get_buffer_bytes(type, 0, 64 KiB)}: status, data ptr, data size. */
    static Probe buffer(BufferType type) {
        return off ->
                store(
                        off,
                        "(call $proxy_get_buffer_bytes (i32.const "
                                + type.code()
                                + ") (i32.const 0) (i32.const 65536) "
                                + at(off + 4)
                                + " "
                                + at(off + 8)
                                + ")");
    }

    /** {@code proxy_get_status}: status, code, message ptr, message size. */
    static Probe status() {
        return off ->
                store(
                        off,
                        "(call $proxy_get_status "
                                + at(off + 4)
                                + " "
                                + at(off + 8)
                                + " "
                                + at(off + 12)
                                + ")");
    }

    /**
     * {@code proxy_set_effective_context(*TARGET)} then {@code
     * proxy_continue_stream(HTTP_REQUEST)}: the two statuses.
     */
    static Probe continueAs() {
        return off ->
                store(
                                off,
                                "(call $proxy_set_effective_context (i32.load (i32.const "
                                        + TARGET
                                        + ")))")
                        + store(off + 4, "(call $proxy_continue_stream (i32.const 0))");
    }

    /** {@code proxy_dequeue_shared_queue(<2nd argument>)}: status, data ptr, data size. */
    static Probe dequeue() {
        return off ->
                store(
                        off,
                        "(call $proxy_dequeue_shared_queue (local.get 1) "
                                + at(off + 4)
                                + " "
                                + at(off + 8)
                                + ")");
    }

    /** The functions probes call; every recording module imports them. */
    static final List<AbiFunction> PROBE_FUNCTIONS =
            List.of(
                    AbiFunction.PROXY_GET_HEADER_MAP_PAIRS,
                    AbiFunction.PROXY_GET_BUFFER_BYTES,
                    AbiFunction.PROXY_GET_STATUS,
                    AbiFunction.PROXY_SET_EFFECTIVE_CONTEXT,
                    AbiFunction.PROXY_CONTINUE_STREAM,
                    AbiFunction.PROXY_DEQUEUE_SHARED_QUEUE);

    /** An exported callback that records its arguments, then runs the probes. */
    static String callback(Callback cb, Probe... probes) {
        int n = cb.params(AbiVersion.V0_2_1).size();
        StringBuilder out = new StringBuilder();
        out.append("  (func (export \"").append(cb.exportName()).append("\") (param");
        out.append(" i32".repeat(n)).append(")");
        if (!cb.results().isEmpty()) {
            out.append(" (result i32)");
        }
        out.append(" (local $r i32)\n");
        out.append("    (local.set $r (i32.add (i32.const ")
                .append(EVENTS)
                .append(") (i32.mul (i32.load (i32.const ")
                .append(COUNT)
                .append(")) (i32.const ")
                .append(RECORD)
                .append("))))\n");
        out.append("    (i32.store (i32.const ")
                .append(COUNT)
                .append(") (i32.add (i32.load (i32.const ")
                .append(COUNT)
                .append(")) (i32.const 1)))\n");
        out.append("    ").append(store(0, "(i32.const " + cb.ordinal() + ")")).append("\n");
        for (int i = 0; i < n; i++) {
            out.append("    ").append(store(4 + 4 * i, "(local.get " + i + ")")).append("\n");
        }
        for (int i = 0; i < probes.length; i++) {
            out.append("    ").append(probes[i].wat(32 + 16 * i)).append("\n");
        }
        if (!cb.results().isEmpty()) {
            out.append("    (i32.const 1)\n");
        }
        out.append("  )\n");
        return out.toString();
    }

    /** A 0.2.1 module: pass-through exports for the functions and the probes, plus callbacks. */
    static byte[] module(List<AbiFunction> functions, String... callbacks) {
        Set<AbiFunction> all = new LinkedHashSet<>(functions);
        all.addAll(PROBE_FUNCTIONS);
        AbiFunction[] fns = all.toArray(new AbiFunction[0]);
        return Wat.compile(
                Wat.module(
                        AbiVersion.V0_2_1,
                        Wat.imports(fns) + Wat.exports(fns) + String.join("", callbacks)));
    }

    /** One recorded callback. */
    record Event(Callback callback, int[] args, int[] words) {
        /** Word {@code i} of probe {@code p}. */
        int probe(int p, int i) {
            return words[8 + 4 * p + i];
        }

        @Override
        public String toString() {
            return callback + Arrays.toString(args);
        }
    }

    static List<Event> events(TestHost host) {
        int count = (int) host.u32(COUNT);
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ByteBuffer b =
                    ByteBuffer.wrap(host.read(EVENTS + (long) i * RECORD, RECORD))
                            .order(ByteOrder.LITTLE_ENDIAN);
            int[] words = new int[RECORD / 4];
            for (int w = 0; w < words.length; w++) {
                words[w] = b.getInt();
            }
            Callback cb = Callback.values()[words[0]];
            int n = cb.params(AbiVersion.V0_2_1).size();
            out.add(new Event(cb, Arrays.copyOfRange(words, 1, 1 + n), words));
        }
        return out;
    }

    /** The bytes a probe's (ptr, size) pair points at. */
    static byte[] probeData(TestHost host, Event e, int probe) {
        int ptr = e.probe(probe, 1);
        int size = e.probe(probe, 2);
        return size == 0 ? new byte[0] : host.read(Integer.toUnsignedLong(ptr), size);
    }

    /** Writes a context id to {@link #TARGET} for {@link #continueAs}. */
    static void target(TestHost host, int contextId) {
        host.vm
                .executor()
                .call(
                        () -> {
                            host.vm.memory().writeU32(TARGET, contextId);
                            return null;
                        });
    }

    private static String at(int off) {
        return "(i32.add (local.get $r) (i32.const " + off + "))";
    }

    private static String store(int off, String value) {
        return "(i32.store " + at(off) + " " + value + ")";
    }
}
