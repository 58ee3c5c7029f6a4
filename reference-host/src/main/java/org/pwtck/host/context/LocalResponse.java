package org.pwtck.host.context;

import java.util.List;
import org.pwtck.host.abi.Header;

/**
 * What {@code proxy_send_local_response} asked for. {@code grpcStatus} is -1 when the filter passed
 * a value outside 0..16 (SDKs pass -1 for "none").
 */
public record LocalResponse(
        int statusCode, String details, byte[] body, List<Header> headers, int grpcStatus) {}
