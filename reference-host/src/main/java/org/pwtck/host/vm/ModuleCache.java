package org.pwtck.host.vm;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Loaded (and, in compiler mode, compiled) modules shared by every plugin and VM of a process, by
 * content and engine: a filter loaded again (another worker, a reload, another test) is not
 * parsed or compiled again.
 */
public final class ModuleCache {
    private static final ModuleCache SHARED = new ModuleCache();

    private record Key(String sha256, EngineMode engine, String name) {}

    private final Map<Key, LoadedModule> modules = new ConcurrentHashMap<>();

    public static ModuleCache shared() {
        return SHARED;
    }

    public LoadedModule get(
            String sha256, EngineMode engine, String name, Supplier<LoadedModule> load) {
        return modules.computeIfAbsent(new Key(sha256, engine, name), k -> load.get());
    }

    public int size() {
        return modules.size();
    }

    public void clear() {
        modules.clear();
    }
}
