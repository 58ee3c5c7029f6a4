package org.pwtck.host.abi;

/** The areas the ABI is split into; one import class per area implements its host functions. */
public enum AbiArea {
    CONTEXT,
    LOGGING,
    TIME,
    BUFFERS,
    HEADER_MAPS,
    STREAM_CONTROL,
    HTTP_CALL,
    GRPC,
    SHARED_DATA,
    SHARED_QUEUE,
    METRICS,
    PROPERTIES,
    FOREIGN_FUNCTION,
    LEGACY,
    COMPAT
}
