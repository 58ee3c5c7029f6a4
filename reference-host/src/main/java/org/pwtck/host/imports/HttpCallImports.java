package org.pwtck.host.imports;

import java.time.Duration;
import java.util.List;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.Header;
import org.pwtck.host.abi.Status;
import org.pwtck.host.context.HeaderMap;
import org.pwtck.host.context.Upstreams;

/**
 * {@code proxy_http_call} (ABI.md §2.6): made on the root context of the caller, to a configured
 * cluster only, answered through {@code proxy_on_http_call_response} on that root context.
 */
final class HttpCallImports {
    private HttpCallImports() {}

    static void register(HostFunctionTable t) {
        t.put(AbiFunction.PROXY_HTTP_CALL, HttpCallImports::httpCall);
    }

    /**
     * BAD_ARGUMENT for an unknown cluster, for missing {@code :method}, {@code :path} or {@code
     * :authority}, or for a malformed header map; INTERNAL_FAILURE when the call cannot be sent.
     * The token pointer is checked first, so a bad one fails before anything is sent. A timeout of
     * 0 means none.
     */
    static int httpCall(HostEnvironment env, long[] args) {
        long tokenPtr = Args.u32(args[9]);
        env.memory().checkRange(tokenPtr, 4);
        String cluster = Args.string(env, args[0], args[1]);
        List<Header> headers = Args.pairs(env, args[2], args[3]);
        byte[] body = Args.bytes(env, args[4], args[5]);
        List<Header> trailers = Args.pairs(env, args[6], args[7]);
        long timeoutMs = Args.u32(args[8]);
        Upstreams upstreams = env.services().upstreams();
        if (!upstreams.hasCluster(cluster)) {
            return Status.BAD_ARGUMENT.code();
        }
        HeaderMap map = HeaderMap.of(headers);
        for (String required : List.of(":method", ":path", ":authority")) {
            if (map.get(required).isEmpty()) {
                return Status.BAD_ARGUMENT.code();
            }
        }
        HostEnvironment.Deliveries deliveries = env.deliveries();
        Upstreams.HttpCallRequest request =
                new Upstreams.HttpCallRequest(map.entries(), body, trailers);
        Duration timeout = timeoutMs == 0 ? Duration.ZERO : Duration.ofMillis(timeoutMs);
        return Callouts.dispatch(
                env,
                tokenPtr,
                (root, token) ->
                        upstreams.httpCall(
                                cluster,
                                request,
                                timeout,
                                result ->
                                        env.vmExecutor()
                                                .execute(
                                                        () ->
                                                                deliveries.httpCallResponse(
                                                                        root, token, result))));
    }
}
