package org.pwtck.host.context;

import java.util.Optional;
import org.pwtck.host.abi.BufferType;

/**
 * The host's side of one TCP connection through a network filter: the downstream and upstream data
 * buffers, readable and writable in their own data callbacks.
 */
public final class TcpContext extends FilterContext {
    private final StreamListener listener;
    private final StreamInfo info;
    private Buffer downstream;
    private Buffer upstream;
    private BufferType current;

    public TcpContext(int id, int rootId, StreamListener listener, StreamInfo info) {
        super(id, rootId);
        this.listener = listener;
        this.info = info;
    }

    public StreamListener listener() {
        return listener;
    }

    public StreamInfo info() {
        return info;
    }

    /** Sets the data of the callback about to run; the other direction is not visible. */
    public void data(BufferType type, Buffer buffer) {
        current = type;
        if (type == BufferType.DOWNSTREAM_DATA) {
            downstream = buffer;
        } else {
            upstream = buffer;
        }
    }

    public void endData() {
        current = null;
    }

    public Optional<Buffer> body(BufferType type) {
        if (type != current) {
            return Optional.empty();
        }
        return Optional.ofNullable(type == BufferType.DOWNSTREAM_DATA ? downstream : upstream);
    }
}
