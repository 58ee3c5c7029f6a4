package org.pwtck.host.vm;

import com.dylibso.chicory.runtime.Memory;
import java.util.function.IntUnaryOperator;
import org.pwtck.host.abi.Status;

/**
 * The only view of guest memory host functions get. Pointers and sizes are unsigned 32-bit;
 * anything outside memory is an {@link AbiException} with {@link Status#INVALID_MEMORY_ACCESS},
 * checked before any byte is read or written.
 */
public final class GuestMemory {
    private final Memory memory;
    private final IntUnaryOperator allocator;

    GuestMemory(Memory memory, IntUnaryOperator allocator) {
        this.memory = memory;
        this.allocator = allocator;
    }

    /** Current memory size in bytes. */
    public long size() {
        return (long) memory.pages() * Memory.PAGE_SIZE;
    }

    public byte[] read(long ptr, long len) {
        int p = check(ptr, len, "read");
        return len == 0
                ? new byte[0]
                : memory.readBytes(p, (int) Integer.toUnsignedLong((int) len));
    }

    public void write(long ptr, byte[] data) {
        int p = check(ptr, data.length, "write");
        memory.write(p, data);
    }

    public void writeU32(long ptr, long value) {
        int p = check(ptr, 4, "write");
        memory.writeI32(p, (int) value);
    }

    public void writeU64(long ptr, long value) {
        int p = check(ptr, 8, "write");
        memory.writeLong(p, value);
    }

    public long readU32(long ptr) {
        int p = check(ptr, 4, "read");
        return Integer.toUnsignedLong(memory.readInt(p));
    }

    /** Fails with INVALID_MEMORY_ACCESS unless {@code [ptr, ptr+len)} lies inside memory. */
    public void checkRange(long ptr, long len) {
        check(ptr, len, "use");
    }

    /**
     * Returns data to the guest the way the ABI does: the bytes go into memory allocated with the
     * guest's own allocator, and its address and length are written to the two out pointers. Empty
     * data writes {@code 0, 0} and does not call the allocator (as cpp-host does).
     */
    public void copyOut(long retPtrPtr, long retSizePtr, byte[] data) {
        checkRange(retPtrPtr, 4);
        checkRange(retSizePtr, 4);
        if (data.length == 0) {
            writeU32(retPtrPtr, 0);
            writeU32(retSizePtr, 0);
            return;
        }
        int ptr = allocator.applyAsInt(data.length);
        if (ptr == 0) {
            throw new AbiException(
                    Status.INVALID_MEMORY_ACCESS,
                    "the guest allocator returned 0 for " + data.length + " bytes");
        }
        write(Integer.toUnsignedLong(ptr), data);
        writeU32(retPtrPtr, Integer.toUnsignedLong(ptr));
        writeU32(retSizePtr, data.length);
    }

    private int check(long ptr, long len, String what) {
        long p = ptr & 0xFFFFFFFFL;
        long l = len & 0xFFFFFFFFL;
        if (p + l > size()) {
            throw new AbiException(
                    Status.INVALID_MEMORY_ACCESS,
                    "cannot "
                            + what
                            + " "
                            + l
                            + " bytes at 0x"
                            + Long.toHexString(p)
                            + ": memory is "
                            + size()
                            + " bytes");
        }
        return (int) p;
    }
}
