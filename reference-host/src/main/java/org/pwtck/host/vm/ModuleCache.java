package org.pwtck.host.vm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Loaded (and, in compiler mode, compiled) modules shared by every plugin and VM of a process, by
 * content and engine: a filter loaded again (another worker, a reload, another test, another path)
 * is not parsed or compiled again. Parsed modules are large (a 3.5 MB Go module takes hundreds of
 * MB in Chicory), so the cache keeps the {@link #MAX_ENTRIES} most recently used.
 */
public final class ModuleCache {
    /** How many distinct modules stay cached. */
    public static final int MAX_ENTRIES = 32;

    private static final ModuleCache SHARED = new ModuleCache();

    private record Key(String sha256, EngineMode engine) {}

    private final Map<Key, LoadedModule> modules =
            new LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<Key, LoadedModule> eldest) {
                    return size() > MAX_ENTRIES;
                }
            };

    public static ModuleCache shared() {
        return SHARED;
    }

    /**
     * The cached module for this content and engine, under the given display name, loading it on a
     * miss. Loading happens outside the lock, so two threads may load the same module once each.
     */
    public LoadedModule get(
            String sha256, EngineMode engine, String name, Supplier<LoadedModule> load) {
        Key key = new Key(sha256, engine);
        LoadedModule cached;
        synchronized (modules) {
            cached = modules.get(key);
        }
        if (cached == null) {
            cached = load.get();
            synchronized (modules) {
                modules.putIfAbsent(key, cached);
            }
        }
        return cached.named(name);
    }

    public int size() {
        synchronized (modules) {
            return modules.size();
        }
    }

    public void clear() {
        synchronized (modules) {
            modules.clear();
        }
    }
}
