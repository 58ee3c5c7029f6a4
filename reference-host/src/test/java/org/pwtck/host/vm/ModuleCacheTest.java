package org.pwtck.host.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiVersion;
import org.pwtck.host.testing.Wat;

class ModuleCacheTest {

    private static LoadedModule load(byte[] wasm, String name) {
        return LoadedModule.load(name, wasm, EngineMode.INTERPRETER, v -> java.util.Map.of());
    }

    @Test
    void sameContentFromAnotherPathIsParsedOnce() {
        ModuleCache cache = new ModuleCache();
        byte[] wasm = Wat.compile(Wat.module(AbiVersion.V0_2_1, ""));
        String sha = LoadedModule.sha256(wasm);
        AtomicInteger loads = new AtomicInteger();
        LoadedModule a =
                cache.get(
                        sha,
                        EngineMode.INTERPRETER,
                        "/tmp/a/filter.wasm",
                        () -> {
                            loads.incrementAndGet();
                            return load(wasm, "/tmp/a/filter.wasm");
                        });
        LoadedModule b =
                cache.get(
                        sha,
                        EngineMode.INTERPRETER,
                        "/tmp/b/filter.wasm",
                        () -> {
                            loads.incrementAndGet();
                            return load(wasm, "/tmp/b/filter.wasm");
                        });
        assertEquals(1, loads.get(), "parsed once");
        assertSame(a.module(), b.module(), "one parsed module behind both");
        assertEquals("/tmp/a/filter.wasm", a.name());
        assertEquals("/tmp/b/filter.wasm", b.name(), "each keeps its own display name for errors");
        assertEquals(1, cache.size());
    }

    @Test
    void keepsOnlyTheMostRecentlyUsedModules() {
        ModuleCache cache = new ModuleCache();
        byte[] wasm = Wat.compile(Wat.module(AbiVersion.V0_2_1, ""));
        LoadedModule first = cache.get("k0", EngineMode.INTERPRETER, "m0", () -> load(wasm, "m0"));
        for (int i = 1; i <= ModuleCache.MAX_ENTRIES; i++) {
            String n = "m" + i;
            cache.get("k" + i, EngineMode.INTERPRETER, n, () -> load(wasm, n));
        }
        assertEquals(ModuleCache.MAX_ENTRIES, cache.size());
        LoadedModule again = cache.get("k0", EngineMode.INTERPRETER, "m0", () -> load(wasm, "m0"));
        assertNotSame(
                first.module(),
                again.module(),
                "the least recently used entry was evicted and loaded again");
    }
}
