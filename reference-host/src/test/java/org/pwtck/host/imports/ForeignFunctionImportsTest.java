package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.pwtck.host.imports.SharedDataImportsTest.sentinel;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.BufferType;
import org.pwtck.host.abi.Callback;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.ForeignFunctions;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.testing.TestHost;
import org.pwtck.host.testing.Wat;

class ForeignFunctionImportsTest {
    private static final AbiFunction CALL = AbiFunction.PROXY_CALL_FOREIGN_FUNCTION;
    private static final long OUTSIDE = 0x1FFF0;

    private final List<byte[]> received = Collections.synchronizedList(new ArrayList<>());
    private TestHost host;

    @BeforeEach
    void start() {
        ForeignFunctions functions =
                ForeignFunctions.withDefaults()
                        .register(
                                "reverse",
                                args -> {
                                    received.add(args.clone());
                                    byte[] out = new byte[args.length];
                                    for (int i = 0; i < args.length; i++) {
                                        out[i] = args[args.length - 1 - i];
                                    }
                                    return ForeignFunctions.Result.ok(out);
                                })
                        .register(
                                "refuse",
                                args -> {
                                    received.add(args.clone());
                                    return ForeignFunctions.Result.error(
                                            Status.SERIALIZATION_FAILURE);
                                })
                        .register(
                                "explode",
                                args -> {
                                    throw new IllegalStateException("boom");
                                });
        byte[] wasm =
                RecordingModule.module(
                        List.of(CALL),
                        RecordingModule.callback(
                                Callback.PROXY_ON_FOREIGN_FUNCTION,
                                RecordingModule.buffer(BufferType.FOREIGN_FUNCTION_ARGUMENTS),
                                RecordingModule.buffer(BufferType.VM_CONFIGURATION)));
        host = TestHost.start(wasm, HostServices.inMemory().withForeignFunctions(functions));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    /** {status, ptrSlot, sizeSlot}. */
    private int[] call(String name, byte[] args) {
        int n = host.put(name);
        int a = args.length == 0 ? 0 : host.put(args);
        int p = host.slot();
        int s = host.slot();
        return new int[] {host.call(CALL, n, name.length(), a, args.length, p, s), p, s};
    }

    @Test
    void registeredFunctionGetsTheArgumentsAndItsResultIsCopiedOut() {
        int[] got = call("reverse", new byte[] {1, 2, 3, 0});
        assertEquals(0, got[0]);
        assertEquals(1, received.size());
        assertArrayEquals(new byte[] {1, 2, 3, 0}, received.get(0));
        assertArrayEquals(new byte[] {0, 3, 2, 1}, host.outData(got[1], got[2]));
        assertArrayEquals(sentinel(12), host.read(got[1] + 4, 12));
        assertArrayEquals(sentinel(12), host.read(got[2] + 4, 12));
    }

    @Test
    void defaultEchoReturnsItsArguments() {
        int[] got = call("echo", "ping".getBytes(StandardCharsets.UTF_8));
        assertEquals(0, got[0]);
        assertEquals("ping", host.outString(got[1], got[2]));
    }

    @Test
    void emptyResultWritesZeroPointerAndSize() {
        int[] got = call("echo", new byte[0]);
        assertEquals(0, got[0]);
        assertEquals(0, host.u32(got[1]));
        assertEquals(0, host.u32(got[2]));
    }

    @Test
    void unknownNameIsNotFoundAndWritesNothing() {
        int[] got = call("no-such-function", new byte[] {1});
        assertEquals(Status.NOT_FOUND.code(), got[0]);
        assertArrayEquals(sentinel(16), host.read(got[1], 16));
        assertArrayEquals(sentinel(16), host.read(got[2], 16));
    }

    @Test
    void errorStatusOfTheFunctionIsPassedThroughWithoutResult() {
        int[] got = call("refuse", new byte[] {9});
        assertEquals(Status.SERIALIZATION_FAILURE.code(), got[0]);
        assertEquals(1, received.size());
        assertArrayEquals(sentinel(16), host.read(got[1], 16));
        assertArrayEquals(sentinel(16), host.read(got[2], 16));
    }

    @Test
    void functionThrowingIsInternalFailure() {
        int[] got = call("explode", new byte[] {1});
        assertEquals(Status.INTERNAL_FAILURE.code(), got[0]);
        assertArrayEquals(sentinel(16), host.read(got[1], 16));
    }

    @Test
    void resultPointerZeroDiscardsTheResult() {
        int n = host.put("reverse");
        int a = host.put(new byte[] {5, 6});
        assertEquals(0, host.call(CALL, n, 7, a, 2, 0, 0));
        assertEquals(1, received.size(), "the function still runs");
    }

    @Test
    void badNameOrArgumentPointerIsInvalidMemoryAccessAndCallsNothing() {
        int n = host.put("reverse");
        int p = host.slot();
        int s = host.slot();
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(), host.call(CALL, OUTSIDE, 0x100, 0, 0, p, s));
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(), host.call(CALL, n, 7, OUTSIDE, 0x100, p, s));
        assertEquals(0, received.size());
    }

    @Test
    void badResultPointerIsInvalidMemoryAccessBeforeTheFunctionRuns() {
        int n = host.put("reverse");
        int a = host.put(new byte[] {5, 6});
        int p = host.slot();
        int s = host.slot();
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(), host.call(CALL, n, 7, a, 2, OUTSIDE + 14, s));
        assertEquals(
                Status.INVALID_MEMORY_ACCESS.code(), host.call(CALL, n, 7, a, 2, p, OUTSIDE + 14));
        assertArrayEquals(sentinel(16), host.read(p, 16));
        assertArrayEquals(sentinel(16), host.read(s, 16));
        assertEquals(0, received.size(), "a function with effects must not run for nothing");
    }

    @Test
    void hostInitiatedCallIsNotDeliveredToA010Module() {
        // proxy_on_foreign_function exists from 0.2.0 on; cpp-host never calls it for 0.1.0.
        String wat =
                Wat.module(
                        AbiVersion.V0_1_0,
                        "  (func (export \"proxy_on_foreign_function\") (param i32 i32 i32)\n"
                                + "    (i32.store (i32.const "
                                + RecordingModule.COUNT
                                + ") (i32.const 1)))\n");
        try (TestHost old = TestHost.start(Wat.compile(wat), HostServices.inMemory())) {
            old.vm.callForeignFunction(1, new byte[] {1});
            assertEquals(0, old.u32(RecordingModule.COUNT));
        }
    }

    @Test
    void hostInitiatedCallDeliversOnForeignFunctionWithArgumentsInBufferEight() {
        byte[] args = {10, 20, 30};
        host.vm.callForeignFunction(7, args);
        List<RecordingModule.Event> events = RecordingModule.events(host);
        assertEquals(1, events.size());
        RecordingModule.Event e = events.get(0);
        assertEquals(Callback.PROXY_ON_FOREIGN_FUNCTION, e.callback());
        assertArrayEquals(new int[] {host.root(), 7, 3}, e.args());
        assertEquals(0, e.probe(0, 0));
        assertArrayEquals(args, RecordingModule.probeData(host, e, 0));
        assertEquals(
                Status.NOT_FOUND.code(), e.probe(1, 0), "other callbacks' buffers are not there");
    }

    @Test
    void foreignFunctionArgumentsAreNotReadableOutsideTheirCallback() {
        host.vm.callForeignFunction(1, new byte[] {1});
        int p = host.slot();
        int s = host.slot();
        assertEquals(
                Status.NOT_FOUND.code(),
                host.call(
                        AbiFunction.PROXY_GET_BUFFER_BYTES,
                        BufferType.FOREIGN_FUNCTION_ARGUMENTS.code(),
                        0,
                        100,
                        p,
                        s));
        assertArrayEquals(sentinel(16), host.read(p, 16));
    }
}
