package org.pwtck.host.context;

import java.util.Optional;
import org.pwtck.host.abi.Status;

/**
 * The process-wide key/value store of {@code proxy_get_shared_data}/{@code proxy_set_shared_data},
 * namespaced by vm id (ABI.md §2.7).
 */
public interface SharedDataStore {

    /** A stored value and the CAS token of its last write. */
    record Entry(byte[] value, int cas) {}

    Optional<Entry> get(String vmId, String key);

    /**
     * Writes a value. A non-zero {@code cas} must match the current entry's, else {@link
     * Status#CAS_MISMATCH}; a CAS on an absent key is ignored and the insert succeeds (cpp-host).
     */
    Status set(String vmId, String key, byte[] value, int cas);
}
