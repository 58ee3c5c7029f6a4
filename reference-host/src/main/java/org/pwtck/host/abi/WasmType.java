package org.pwtck.host.abi;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The two wasm value types the proxy-wasm ABI uses. */
public enum WasmType {
    I32,
    I64;

    /** Parses a compact signature: one letter per parameter, {@code i} = i32, {@code I} = i64. */
    static List<WasmType> parse(String compact) {
        List<WasmType> types = new ArrayList<>();
        for (char c : compact.toCharArray()) {
            types.add(
                    switch (c) {
                        case 'i' -> I32;
                        case 'I' -> I64;
                        default -> throw new IllegalArgumentException("bad type letter " + c);
                    });
        }
        return List.copyOf(types);
    }

    public static String signature(List<WasmType> params, List<WasmType> results) {
        return "(" + names(params) + ") -> (" + names(results) + ")";
    }

    private static String names(List<WasmType> types) {
        return types.stream()
                .map(t -> t.name().toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining(" "));
    }
}
