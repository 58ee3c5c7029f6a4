package org.pwtck.host.context;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A proxy-wasm context: the root context of a plugin, an HTTP stream or a TCP connection. Ids are
 * unique within a VM; root and stream contexts share one counter, as in cpp-host.
 */
public abstract sealed class FilterContext permits RootContext, HttpContext, TcpContext {

    /** Where a context is in its teardown (spec order: on_done, on_log, on_delete). */
    public enum Lifecycle {
        ACTIVE,
        /** {@code proxy_on_done} returned false: waiting for {@code proxy_done}. */
        PENDING_DONE,
        DELETED
    }

    private final int id;
    private final int rootId;
    private Lifecycle lifecycle = Lifecycle.ACTIVE;
    private final Map<String, byte[]> filterState = new LinkedHashMap<>();

    FilterContext(int id, int rootId) {
        this.id = id;
        this.rootId = rootId;
    }

    public int id() {
        return id;
    }

    /** The root context's id; for a root context, its own id. */
    public int rootId() {
        return rootId;
    }

    public boolean isRoot() {
        return id == rootId;
    }

    public Lifecycle lifecycle() {
        return lifecycle;
    }

    public void lifecycle(Lifecycle next) {
        this.lifecycle = next;
    }

    /** Values set with {@code proxy_set_property}, readable back with {@code get_property}. */
    public Map<String, byte[]> filterState() {
        return filterState;
    }
}
