package org.pwtck.host.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.abi.Status;
import org.pwtck.host.testing.TestHost;

/** Bounds of the one view host functions have of guest memory. */
class GuestMemoryTest {
    private TestHost host;
    private GuestMemory memory;
    private long size;

    @BeforeEach
    void start() {
        host = TestHost.passthrough(AbiVersion.V0_2_1, AbiFunction.PROXY_LOG);
        memory = host.memory();
        size = 2L * 65536;
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private <T> T onVm(Callable<T> task) {
        return host.vm.executor().call(task);
    }

    private void assertInvalid(Runnable access) {
        AbiException e =
                assertThrows(
                        AbiException.class,
                        () ->
                                onVm(
                                        () -> {
                                            access.run();
                                            return null;
                                        }));
        assertEquals(Status.INVALID_MEMORY_ACCESS, e.status());
    }

    @Test
    void sizeIsTheModulesMemory() {
        assertEquals(size, memory.size());
    }

    @Test
    void accessUpToTheLastByteWorksAndOnePastIsInvalid() {
        onVm(
                () -> {
                    memory.write(size - 4, new byte[] {1, 2, 3, 4});
                    return null;
                });
        assertArrayEquals(new byte[] {1, 2, 3, 4}, onVm(() -> memory.read(size - 4, 4)));
        assertEquals(0, onVm(() -> memory.read(size, 0)).length);
        assertInvalid(() -> memory.read(size - 3, 4));
        assertInvalid(() -> memory.read(size + 1, 0));
        assertInvalid(() -> memory.write(size - 1, new byte[2]));
        assertInvalid(() -> memory.writeU32(size - 3, 7));
        assertInvalid(() -> memory.writeU64(size - 7, 7));
        assertInvalid(() -> memory.readU32(size - 2));
        assertArrayEquals(new byte[] {1, 2, 3, 4}, onVm(() -> memory.read(size - 4, 4)));
    }

    @Test
    void pointersAndLengthsAreUnsignedAndDoNotWrap() {
        assertInvalid(() -> memory.read(0xFFFFFFFFL, 2));
        assertInvalid(() -> memory.read(-1L, 1));
        assertInvalid(() -> memory.read(16, 0xFFFFFFF8L));
        assertInvalid(() -> memory.checkRange(0x80000000L, 0x80000000L));
    }

    @Test
    void failedWriteLeavesMemoryUntouched() {
        int slot = host.slot();
        assertInvalid(() -> memory.writeU64(size - 4, -1L));
        assertArrayEquals(new byte[] {0, 0, 0, 0}, onVm(() -> memory.read(size - 4, 4)));
        byte[] sentinel = new byte[16];
        Arrays.fill(sentinel, TestHost.SENTINEL);
        assertArrayEquals(sentinel, host.read(slot, 16));
    }

    @Test
    void copyOutChecksBothOutPointersBeforeWritingEither() {
        int slot = host.slot();
        assertInvalid(() -> memory.copyOut(slot, size - 2, new byte[] {9}));
        assertInvalid(() -> memory.copyOut(size, slot, new byte[] {9}));
        byte[] sentinel = new byte[16];
        Arrays.fill(sentinel, TestHost.SENTINEL);
        assertArrayEquals(sentinel, host.read(slot, 16));
    }

    @Test
    void copyOutOfEmptyDataWritesZeroesWithoutAllocating() {
        int slot = host.slot();
        onVm(
                () -> {
                    memory.copyOut(slot, slot + 4, new byte[0]);
                    return null;
                });
        assertEquals(0, host.u32(slot));
        assertEquals(0, host.u32(slot + 4));
        // The next allocation still gets the first heap address.
        onVm(
                () -> {
                    memory.copyOut(slot, slot + 4, new byte[] {1, 2, 3});
                    return null;
                });
        assertEquals(0x8000, host.u32(slot));
        assertEquals(3, host.u32(slot + 4));
        assertArrayEquals(new byte[] {1, 2, 3}, host.read(0x8000, 3));
    }
}
