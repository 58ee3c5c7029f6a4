package org.pwtck.host.context;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.pwtck.host.abi.Status;

/**
 * Host functions a guest calls by name through {@code proxy_call_foreign_function}. An embedder
 * registers them; an unknown name is {@link Status#NOT_FOUND}.
 */
public final class ForeignFunctions {

    /** What a foreign function returns: a status and, when OK, the result bytes. */
    public record Result(Status status, byte[] value) {
        public static Result ok(byte[] value) {
            return new Result(Status.OK, value);
        }

        public static Result error(Status status) {
            return new Result(status, new byte[0]);
        }
    }

    /** One foreign function. */
    @FunctionalInterface
    public interface ForeignFunction {
        Result call(byte[] arguments);
    }

    private final Map<String, ForeignFunction> functions = new ConcurrentHashMap<>();

    public ForeignFunctions register(String name, ForeignFunction function) {
        functions.put(name, function);
        return this;
    }

    public Optional<ForeignFunction> lookup(String name) {
        return Optional.ofNullable(functions.get(name));
    }

    /** The functions every reference host has: {@code echo} returns its arguments unchanged. */
    public static ForeignFunctions withDefaults() {
        return new ForeignFunctions().register("echo", Result::ok);
    }
}
