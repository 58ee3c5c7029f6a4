package main

// The host functions the probe knows, with their exact wasm signatures (ABI.md §2, §3.4).
// Every function returns an i32 status (WASI: errno), except wasi:proc_exit, which returns
// nothing (its status is recorded as 0 if it ever returns).

type wasmType byte

const (
	i32 wasmType = 'i'
	i64 wasmType = 'I'
)

type hostFunc struct {
	name     string
	params   []wasmType
	imported bool // false: known, but not imported by the Go probe
}

func sig(s string) []wasmType {
	out := make([]wasmType, len(s))
	for i := range s {
		out[i] = wasmType(s[i])
	}
	return out
}

// hostFuncs lists the calls in the order of capabilities.json.
var hostFuncs = []hostFunc{
	{"proxy_done", sig(""), true},
	{"proxy_set_effective_context", sig("i"), true},
	{"proxy_log", sig("iii"), true},
	{"proxy_get_log_level", sig("i"), false}, // 0.2.1 only: Envoy refuses 0.2.0 modules importing it
	{"proxy_get_current_time_nanoseconds", sig("i"), true},
	{"proxy_set_tick_period_milliseconds", sig("i"), true},
	{"proxy_get_buffer_bytes", sig("iiiii"), true},
	{"proxy_set_buffer_bytes", sig("iiiii"), true},
	{"proxy_get_buffer_status", sig("iii"), true},
	{"proxy_get_header_map_size", sig("ii"), true},
	{"proxy_get_header_map_pairs", sig("iii"), true},
	{"proxy_set_header_map_pairs", sig("iii"), true},
	{"proxy_get_header_map_value", sig("iiiii"), true},
	{"proxy_add_header_map_value", sig("iiiii"), true},
	{"proxy_replace_header_map_value", sig("iiiii"), true},
	{"proxy_remove_header_map_value", sig("iii"), true},
	{"proxy_continue_stream", sig("i"), true},
	{"proxy_close_stream", sig("i"), true},
	{"proxy_get_status", sig("iii"), true},
	{"proxy_send_local_response", sig("iiiiiiii"), true},
	{"proxy_http_call", sig("iiiiiiiiii"), true},
	{"proxy_grpc_call", sig("iiiiiiiiiiii"), true},
	{"proxy_grpc_stream", sig("iiiiiiiii"), true},
	{"proxy_grpc_send", sig("iiii"), true},
	{"proxy_grpc_cancel", sig("i"), true},
	{"proxy_grpc_close", sig("i"), true},
	{"proxy_get_shared_data", sig("iiiii"), true},
	{"proxy_set_shared_data", sig("iiiii"), true},
	{"proxy_register_shared_queue", sig("iii"), true},
	{"proxy_resolve_shared_queue", sig("iiiii"), true},
	{"proxy_enqueue_shared_queue", sig("iii"), true},
	{"proxy_dequeue_shared_queue", sig("iii"), true},
	{"proxy_define_metric", sig("iiii"), true},
	{"proxy_record_metric", sig("iI"), true},
	{"proxy_increment_metric", sig("iI"), true},
	{"proxy_get_metric", sig("ii"), true},
	{"proxy_get_property", sig("iiii"), true},
	{"proxy_set_property", sig("iiii"), true},
	{"proxy_call_foreign_function", sig("iiiiii"), true},
	{"wasi:fd_write", sig("iiii"), true},
	{"wasi:clock_time_get", sig("iIi"), true},
	{"wasi:random_get", sig("ii"), true},
	{"wasi:environ_sizes_get", sig("ii"), true},
	{"wasi:environ_get", sig("ii"), true},
	{"wasi:args_sizes_get", sig("ii"), true},
	{"wasi:args_get", sig("ii"), true},
	{"wasi:proc_exit", sig("i"), true},
}

var hostFuncByName = func() map[string]*hostFunc {
	m := make(map[string]*hostFunc, len(hostFuncs))
	for i := range hostFuncs {
		m[hostFuncs[i].name] = &hostFuncs[i]
	}
	return m
}()

// Callback names (PROBE.md "Callback names"), in the order of capabilities.json.
var callbackNames = []string{
	"on_vm_start", "on_configure", "on_tick", "on_context_create",
	"on_request_headers", "on_request_body", "on_request_trailers",
	"on_response_headers", "on_response_body", "on_response_trailers",
	"on_http_call_response",
	"on_grpc_receive_initial_metadata", "on_grpc_receive", "on_grpc_receive_trailing_metadata", "on_grpc_close",
	"on_queue_ready", "on_foreign_function",
	"on_new_connection", "on_downstream_data", "on_upstream_data",
	"on_downstream_connection_close", "on_upstream_connection_close",
	"on_log", "on_done", "on_delete",
}

var argKindNames = []string{"str", "hex", "pairs", "path", "var", "out:u32", "out:u64", "out:data", "out:u32+flags", "out:code+data"}

var reportNames = []string{"local_response", "header", "request_header", "shared_data", "log"}

var stepNames = []string{"call", "report", "trap", "spin"}
