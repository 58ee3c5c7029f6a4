package org.pwtck.host.abi;

/**
 * What a stream callback asked for. The spec defines 0 (Continue) and 1 (Pause); hosts built on
 * proxy-wasm-cpp-host read larger values with the C++ SDK's richer enums (ABI.md §3.3). The
 * reference host treats every non-zero value as a pause and keeps the raw value for those who care.
 */
public record Action(int raw) {
    public static final Action CONTINUE = new Action(0);
    public static final Action PAUSE = new Action(1);

    public static Action of(long raw) {
        int value = (int) raw;
        return value == 0 ? CONTINUE : value == 1 ? PAUSE : new Action(value);
    }

    public boolean isContinue() {
        return raw == 0;
    }

    public boolean isPause() {
        return raw != 0;
    }

    @Override
    public String toString() {
        return raw == 0 ? "CONTINUE" : raw == 1 ? "PAUSE" : "PAUSE(" + raw + ")";
    }
}
