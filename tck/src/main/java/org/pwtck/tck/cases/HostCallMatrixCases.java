package org.pwtck.tck.cases;

import static org.pwtck.tck.probe.ProbeArg.num;
import static org.pwtck.tck.probe.ProbeArg.outData;
import static org.pwtck.tck.probe.ProbeArg.outU32;
import static org.pwtck.tck.probe.ProbeArg.pairs;
import static org.pwtck.tck.probe.ProbeArg.path;
import static org.pwtck.tck.probe.ProbeArg.str;

import org.pwtck.tck.api.Feature;
import org.pwtck.tck.api.FilterSpec;
import org.pwtck.tck.junit.ConformanceCase;
import org.pwtck.tck.junit.TckCase;

/**
 * The host call × callback matrix (ABI.md §6.1 Kong's {@code hfuncs/contexts/}, §7 item 3): one
 * case per host call, made from on_vm_start, on_configure, on_tick, on_queue_ready,
 * on_http_call_response, on_request_headers, on_request_body, on_response_headers, on_response_body
 * and on_log (see {@link HostCallMatrix}). Root callbacks have no stream: its maps and buffers are
 * not available there, and in on_http_call_response the effective context stays the root context
 * unless the filter changes it (ABI.md §1.6).
 *
 * <p>Each row is a table of expected statuses ({@code NF} NOT_FOUND, {@code BAD} BAD_ARGUMENT) in
 * this order: {@code vm_start configure tick queue_ready http_call_response | request_headers
 * request_body response_headers response_body log}.
 */
public class HostCallMatrixCases {
    private static final String SPEC = "ABI.md §6.1 (hfuncs/contexts), §7 item 3";

    private static final String MAPS =
            "a map not available → BAD_ARGUMENT (get_header_map_pairs: OK and empty); request"
                    + " headers writable only in on_request_headers (until passed on), read-only in"
                    + " on_log; root callbacks (on_http_call_response included, effective context not"
                    + " changed) have no stream maps";
    private static final String BUFFERS =
            "a body buffer outside its callbacks → NOT_FOUND; VM / plugin configuration outside"
                    + " on_vm_start / on_configure → NOT_FOUND (spec availability; Envoy returns the VM"
                    + " configuration anywhere)";

    @ConformanceCase(
            id = "MatrixGetRequestHeader",
            description =
                    "proxy_get_header_map_value(HTTP_REQUEST_HEADERS, :path) from every callback: the path in the stream callbacks (on_log included), BAD_ARGUMENT in root callbacks",
            features = {
                Feature.HTTP_HEADERS,
                Feature.TIMERS,
                Feature.SHARED_QUEUE,
                Feature.HTTP_CALL
            },
            hostCalls = {
                "proxy_get_header_map_value",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; spec v0.2.1 \"HTTP fields\"; ABI.md §2.4",
            reading = MAPS)
    void getRequestHeader(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_get_header_map_value(0, :path)",
                        cb ->
                                cb.call(
                                        "proxy_get_header_map_value",
                                        num(0),
                                        str(":path"),
                                        outData()),
                        "BAD BAD BAD BAD BAD | OK OK OK OK OK")
                .okText(HostCallMatrix.PATH)
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixGetRequestHeaderPairs",
            description =
                    "proxy_get_header_map_pairs(HTTP_REQUEST_HEADERS) from every callback: the request's pairs in stream callbacks, OK and an empty map in root callbacks",
            features = {
                Feature.HTTP_HEADERS,
                Feature.TIMERS,
                Feature.SHARED_QUEUE,
                Feature.HTTP_CALL
            },
            hostCalls = {
                "proxy_get_header_map_pairs",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; ABI.md §2.4, §4.2 item 2",
            reading = MAPS)
    void getRequestHeaderPairs(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_get_header_map_pairs(0)",
                        cb -> cb.call("proxy_get_header_map_pairs", num(0), outData()),
                        "OK OK OK OK OK | OK OK OK OK OK")
                .checkOk(
                        (cb, step) -> {
                            var pairs = PairsDecoder.decode(step.out(0).data());
                            boolean stream = HostCallMatrix.STREAM_CALLBACKS.contains(cb);
                            if (stream
                                    && !pairs.contains(
                                            java.util.List.of(":path", HostCallMatrix.PATH))) {
                                return "pairs without :path " + HostCallMatrix.PATH + ": " + pairs;
                            }
                            return !stream && !pairs.isEmpty()
                                    ? "pairs in a root callback: " + pairs
                                    : null;
                        })
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixAddRequestHeader",
            description =
                    "proxy_add_header_map_value(HTTP_REQUEST_HEADERS) from every callback: OK only in on_request_headers, BAD_ARGUMENT everywhere else",
            features = {
                Feature.HTTP_HEADERS,
                Feature.TIMERS,
                Feature.SHARED_QUEUE,
                Feature.HTTP_CALL
            },
            hostCalls = {
                "proxy_add_header_map_value",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; spec v0.2.1 \"HTTP fields\"; ABI.md §2.4",
            reading = MAPS)
    void addRequestHeader(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_add_header_map_value(0, x-pwtck-m, 1)",
                        cb ->
                                cb.call(
                                        "proxy_add_header_map_value",
                                        num(0),
                                        str("x-pwtck-m"),
                                        str("1")),
                        "BAD BAD BAD BAD BAD | OK BAD BAD BAD BAD")
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixGetResponseHeader",
            description =
                    "proxy_get_header_map_value(HTTP_RESPONSE_HEADERS, :status) from every callback: 200 from on_response_headers on (on_log included), BAD_ARGUMENT before the response and in root callbacks",
            features = {
                Feature.HTTP_HEADERS,
                Feature.TIMERS,
                Feature.SHARED_QUEUE,
                Feature.HTTP_CALL
            },
            hostCalls = {
                "proxy_get_header_map_value",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; spec v0.2.1 \"HTTP fields\"; ABI.md §2.4",
            reading = MAPS)
    void getResponseHeader(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_get_header_map_value(2, :status)",
                        cb ->
                                cb.call(
                                        "proxy_get_header_map_value",
                                        num(2),
                                        str(":status"),
                                        outData()),
                        "BAD BAD BAD BAD BAD | BAD BAD OK OK OK")
                .okText("200")
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixGetHttpCallResponseHeader",
            description =
                    "proxy_get_header_map_value(HTTP_CALL_RESPONSE_HEADERS, :status) from every callback: 200 in on_http_call_response, BAD_ARGUMENT everywhere else",
            features = {
                Feature.HTTP_CALL,
                Feature.HTTP_HEADERS,
                Feature.TIMERS,
                Feature.SHARED_QUEUE
            },
            hostCalls = {
                "proxy_get_header_map_value",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; spec v0.2.1 \"HTTP calls\"; ABI.md §2.4",
            reading = MAPS)
    void getCallResponseHeader(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_get_header_map_value(6, :status)",
                        cb ->
                                cb.call(
                                        "proxy_get_header_map_value",
                                        num(6),
                                        str(":status"),
                                        outData()),
                        "BAD BAD BAD BAD OK | BAD BAD BAD BAD BAD")
                .okText("200")
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixGetRequestBody",
            description =
                    "proxy_get_buffer_bytes(HTTP_REQUEST_BODY) from every callback: the body in on_request_body, NOT_FOUND everywhere else",
            features = {Feature.HTTP_BODY, Feature.TIMERS, Feature.SHARED_QUEUE, Feature.HTTP_CALL},
            hostCalls = {
                "proxy_get_buffer_bytes",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; spec v0.2.1 \"Buffers\"; ABI.md §2.3",
            reading = BUFFERS)
    void getRequestBody(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_get_buffer_bytes(0, 0, 100)",
                        cb ->
                                cb.call(
                                        "proxy_get_buffer_bytes",
                                        num(0),
                                        num(0),
                                        num(100),
                                        outData()),
                        "NF NF NF NF NF | NF OK NF NF NF")
                .okText(HostCallMatrix.BODY)
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixSetRequestBody",
            description =
                    "proxy_set_buffer_bytes(HTTP_REQUEST_BODY) from every callback: OK in on_request_body, NOT_FOUND everywhere else",
            features = {Feature.HTTP_BODY, Feature.TIMERS, Feature.SHARED_QUEUE, Feature.HTTP_CALL},
            hostCalls = {
                "proxy_set_buffer_bytes",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; spec v0.2.1 \"Buffers\"; ABI.md §2.3",
            reading = BUFFERS)
    void setRequestBody(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_set_buffer_bytes(0, 0, 0, pre-)",
                        cb ->
                                cb.call(
                                        "proxy_set_buffer_bytes",
                                        num(0),
                                        num(0),
                                        num(0),
                                        str("pre-")),
                        "NF NF NF NF NF | NF OK NF NF NF")
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixGetPluginConfiguration",
            description =
                    "proxy_get_buffer_bytes(PLUGIN_CONFIGURATION) from every callback: the configuration in on_configure, NOT_FOUND everywhere else (on_vm_start included)",
            features = {
                Feature.CONFIGURATION,
                Feature.BUFFERS,
                Feature.TIMERS,
                Feature.SHARED_QUEUE,
                Feature.HTTP_CALL
            },
            hostCalls = {
                "proxy_get_buffer_bytes",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; spec v0.2.1 \"Buffers\"; ABI.md §2.3",
            reading = BUFFERS)
    void getPluginConfiguration(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_get_buffer_bytes(7, 0, 1)",
                        cb -> cb.call("proxy_get_buffer_bytes", num(7), num(0), num(1), outData()),
                        "NF OK NF NF NF | NF NF NF NF NF")
                .okText("{")
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixGetVmConfiguration",
            description =
                    "proxy_get_buffer_bytes(VM_CONFIGURATION) from every callback: the VM configuration in on_vm_start, NOT_FOUND everywhere else",
            features = {
                Feature.CONFIGURATION,
                Feature.BUFFERS,
                Feature.TIMERS,
                Feature.SHARED_QUEUE,
                Feature.HTTP_CALL
            },
            hostCalls = {
                "proxy_get_buffer_bytes",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; spec v0.2.1 \"Buffers\"; ABI.md §2.3",
            reading = BUFFERS)
    void getVmConfiguration(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_get_buffer_bytes(6, 0, 1)",
                        cb -> cb.call("proxy_get_buffer_bytes", num(6), num(0), num(1), outData()),
                        "OK NF NF NF NF | NF NF NF NF NF")
                .okText("{")
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixGetHttpCallResponseBody",
            description =
                    "proxy_get_buffer_status(HTTP_CALL_RESPONSE_BODY) from every callback: OK in on_http_call_response, NOT_FOUND everywhere else",
            features = {Feature.HTTP_CALL, Feature.BUFFERS, Feature.TIMERS, Feature.SHARED_QUEUE},
            hostCalls = {
                "proxy_get_buffer_status",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; spec v0.2.1 \"HTTP calls\"; ABI.md §2.3, §8 erratum 2",
            reading = BUFFERS + "; the call's body is buffer type 4 (HTTP_CALL_RESPONSE_BODY)")
    void getCallResponseBody(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_get_buffer_status(4)",
                        cb ->
                                cb.call(
                                        "proxy_get_buffer_status",
                                        num(4),
                                        org.pwtck.tck.probe.ProbeArg.outSizeFlags()),
                        "NF NF NF NF OK | NF NF NF NF NF")
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixSendLocalResponse",
            description =
                    "proxy_send_local_response(418) from every callback: OK in on_request_headers, on_request_body and on_response_headers (the client gets 418); BAD_ARGUMENT after the response started, in on_log and in root callbacks",
            features = {
                Feature.LOCAL_RESPONSE,
                Feature.TIMERS,
                Feature.SHARED_QUEUE,
                Feature.HTTP_CALL
            },
            hostCalls = {
                "proxy_send_local_response",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; ABI.md §2.5, §4.2 item 1, §8 erratum 12",
            reading =
                    "send_local_response without an HTTP stream (root callbacks, on_http_call_response without"
                            + " proxy_set_effective_context) or after the response started → BAD_ARGUMENT, nothing sent;"
                            + " Envoy returns OK and does nothing in root contexts")
    void sendLocalResponse(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_send_local_response(418)",
                        cb ->
                                cb.call(
                                        "proxy_send_local_response",
                                        num(418),
                                        str("pwtck_matrix"),
                                        str("local"),
                                        pairs(),
                                        num(-1)),
                        "BAD BAD BAD BAD BAD | OK OK OK BAD BAD")
                .ownDeploymentIn("on_request_headers", "on_request_body", "on_response_headers")
                .expectClientStatus(418)
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixHttpCall",
            description =
                    "proxy_http_call to the echo cluster returns OK and a token from every callback (root and stream, on_log and on_http_call_response included)",
            features = {Feature.HTTP_CALL, Feature.TIMERS, Feature.SHARED_QUEUE},
            hostCalls = {
                "proxy_http_call",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; spec v0.2.1 \"HTTP calls\"; ABI.md §2.6, §1.6",
            reading =
                    "an HTTP call is made on the caller's root context, from any callback (cpp-host); ngx traps outside a few phases")
    void httpCall(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_http_call(httpbin, GET /status/200)",
                        cb ->
                                cb.call(
                                        "proxy_http_call",
                                        str(FilterSpec.HTTPBIN_CLUSTER),
                                        pairs(
                                                ":method",
                                                "GET",
                                                ":path",
                                                "/status/200",
                                                ":authority",
                                                "httpbin"),
                                        str(""),
                                        pairs(),
                                        num(5000),
                                        outU32()),
                        "OK OK OK OK OK | OK OK OK OK OK")
                .checkOk((cb, step) -> step.out(0).value() == 0 ? "token 0" : null)
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixSetTickPeriod",
            description =
                    "proxy_set_tick_period_milliseconds returns OK from every callback (it applies to the caller's root context)",
            features = {Feature.TIMERS, Feature.SHARED_QUEUE, Feature.HTTP_CALL},
            hostCalls = {
                "proxy_set_tick_period_milliseconds",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; ABI.md §2.2",
            reading =
                    "any context may set the tick period of its root context (cpp-host); ngx traps outside the root context")
    void setTickPeriod(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_set_tick_period_milliseconds(20)",
                        cb -> cb.call("proxy_set_tick_period_milliseconds", num(20)),
                        "OK OK OK OK OK | OK OK OK OK OK")
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixSharedData",
            description =
                    "proxy_set_shared_data then proxy_get_shared_data of a key named after the callback return OK and the value from every callback",
            features = {
                Feature.SHARED_DATA,
                Feature.TIMERS,
                Feature.SHARED_QUEUE,
                Feature.HTTP_CALL
            },
            hostCalls = {
                "proxy_get_shared_data",
                "proxy_set_shared_data",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; ABI.md §2.7")
    void sharedData(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_get_shared_data(pwtck.matrix.<callback>)",
                        1,
                        (callback, cb) ->
                                cb.call(
                                                "proxy_set_shared_data",
                                                str(
                                                        "pwtck.matrix."
                                                                + callback
                                                                + "."
                                                                + tck.language()),
                                                str(callback),
                                                num(0))
                                        .call(
                                                "proxy_get_shared_data",
                                                str(
                                                        "pwtck.matrix."
                                                                + callback
                                                                + "."
                                                                + tck.language()),
                                                outData(),
                                                outU32()),
                        "OK OK OK OK OK | OK OK OK OK OK")
                .checkOk(
                        (cb, step) ->
                                step.out(0).text().equals(cb)
                                        ? null
                                        : "value '" + step.out(0).text() + "'")
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixDefineMetric",
            description = "proxy_define_metric(COUNTER) returns OK and an id from every callback",
            features = {Feature.METRICS, Feature.TIMERS, Feature.SHARED_QUEUE, Feature.HTTP_CALL},
            hostCalls = {
                "proxy_define_metric",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; ABI.md §2.8")
    void defineMetric(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_define_metric(0, pwtck_matrix_<callback>)",
                        0,
                        (callback, cb) ->
                                cb.call(
                                        "proxy_define_metric",
                                        num(0),
                                        str("pwtck_matrix_" + callback + "_" + tck.language()),
                                        outU32()),
                        "OK OK OK OK OK | OK OK OK OK OK")
                .run(tck);
    }

    @ConformanceCase(
            id = "MatrixGetPropertyRequestPath",
            description =
                    "proxy_get_property(request.path) from every callback: the path in stream callbacks (on_log included), NOT_FOUND in root callbacks",
            features = {
                Feature.PROPERTIES,
                Feature.TIMERS,
                Feature.SHARED_QUEUE,
                Feature.HTTP_CALL
            },
            hostCalls = {
                "proxy_get_property",
                "proxy_on_vm_start",
                "proxy_on_configure",
                "proxy_on_tick",
                "proxy_on_queue_ready",
                "proxy_on_http_call_response",
                "proxy_on_request_headers",
                "proxy_on_request_body",
                "proxy_on_response_headers",
                "proxy_on_response_body",
                "proxy_on_log"
            },
            spec = SPEC + "; ABI.md §5.1 (stream attributes are absent in root contexts)")
    void getPropertyRequestPath(TckCase tck) {
        HostCallMatrix.row(
                        "proxy_get_property(request.path)",
                        cb -> cb.call("proxy_get_property", path("request", "path"), outData()),
                        "NF NF NF NF NF | OK OK OK OK OK")
                .okText(HostCallMatrix.PATH)
                .run(tck);
    }
}
