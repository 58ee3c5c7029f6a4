//go:build wasm

package main

// Raw imports: one per host function, with exactly the wasm signature of ABI.md §2 / §3.4.
// Pointers and sizes are plain i32 values, so any argument (also a bad one) reaches the host.

import "unsafe"

//go:wasmimport env proxy_done
func raw_proxy_done() int32

//go:wasmimport env proxy_set_effective_context
func raw_proxy_set_effective_context(p0 uint32) int32

//go:wasmimport env proxy_log
func raw_proxy_log(p0 uint32, p1 uint32, p2 uint32) int32

//go:wasmimport env proxy_get_current_time_nanoseconds
func raw_proxy_get_current_time_nanoseconds(p0 uint32) int32

//go:wasmimport env proxy_set_tick_period_milliseconds
func raw_proxy_set_tick_period_milliseconds(p0 uint32) int32

//go:wasmimport env proxy_get_buffer_bytes
func raw_proxy_get_buffer_bytes(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32) int32

//go:wasmimport env proxy_set_buffer_bytes
func raw_proxy_set_buffer_bytes(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32) int32

//go:wasmimport env proxy_get_buffer_status
func raw_proxy_get_buffer_status(p0 uint32, p1 uint32, p2 uint32) int32

//go:wasmimport env proxy_get_header_map_size
func raw_proxy_get_header_map_size(p0 uint32, p1 uint32) int32

//go:wasmimport env proxy_get_header_map_pairs
func raw_proxy_get_header_map_pairs(p0 uint32, p1 uint32, p2 uint32) int32

//go:wasmimport env proxy_set_header_map_pairs
func raw_proxy_set_header_map_pairs(p0 uint32, p1 uint32, p2 uint32) int32

//go:wasmimport env proxy_get_header_map_value
func raw_proxy_get_header_map_value(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32) int32

//go:wasmimport env proxy_add_header_map_value
func raw_proxy_add_header_map_value(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32) int32

//go:wasmimport env proxy_replace_header_map_value
func raw_proxy_replace_header_map_value(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32) int32

//go:wasmimport env proxy_remove_header_map_value
func raw_proxy_remove_header_map_value(p0 uint32, p1 uint32, p2 uint32) int32

//go:wasmimport env proxy_continue_stream
func raw_proxy_continue_stream(p0 uint32) int32

//go:wasmimport env proxy_close_stream
func raw_proxy_close_stream(p0 uint32) int32

//go:wasmimport env proxy_get_status
func raw_proxy_get_status(p0 uint32, p1 uint32, p2 uint32) int32

//go:wasmimport env proxy_send_local_response
func raw_proxy_send_local_response(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32, p5 uint32, p6 uint32, p7 uint32) int32

//go:wasmimport env proxy_http_call
func raw_proxy_http_call(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32, p5 uint32, p6 uint32, p7 uint32, p8 uint32, p9 uint32) int32

//go:wasmimport env proxy_grpc_call
func raw_proxy_grpc_call(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32, p5 uint32, p6 uint32, p7 uint32, p8 uint32, p9 uint32, p10 uint32, p11 uint32) int32

//go:wasmimport env proxy_grpc_stream
func raw_proxy_grpc_stream(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32, p5 uint32, p6 uint32, p7 uint32, p8 uint32) int32

//go:wasmimport env proxy_grpc_send
func raw_proxy_grpc_send(p0 uint32, p1 uint32, p2 uint32, p3 uint32) int32

//go:wasmimport env proxy_grpc_cancel
func raw_proxy_grpc_cancel(p0 uint32) int32

//go:wasmimport env proxy_grpc_close
func raw_proxy_grpc_close(p0 uint32) int32

//go:wasmimport env proxy_get_shared_data
func raw_proxy_get_shared_data(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32) int32

//go:wasmimport env proxy_set_shared_data
func raw_proxy_set_shared_data(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32) int32

//go:wasmimport env proxy_register_shared_queue
func raw_proxy_register_shared_queue(p0 uint32, p1 uint32, p2 uint32) int32

//go:wasmimport env proxy_resolve_shared_queue
func raw_proxy_resolve_shared_queue(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32) int32

//go:wasmimport env proxy_enqueue_shared_queue
func raw_proxy_enqueue_shared_queue(p0 uint32, p1 uint32, p2 uint32) int32

//go:wasmimport env proxy_dequeue_shared_queue
func raw_proxy_dequeue_shared_queue(p0 uint32, p1 uint32, p2 uint32) int32

//go:wasmimport env proxy_define_metric
func raw_proxy_define_metric(p0 uint32, p1 uint32, p2 uint32, p3 uint32) int32

//go:wasmimport env proxy_record_metric
func raw_proxy_record_metric(p0 uint32, p1 uint64) int32

//go:wasmimport env proxy_increment_metric
func raw_proxy_increment_metric(p0 uint32, p1 uint64) int32

//go:wasmimport env proxy_get_metric
func raw_proxy_get_metric(p0 uint32, p1 uint32) int32

//go:wasmimport env proxy_get_property
func raw_proxy_get_property(p0 uint32, p1 uint32, p2 uint32, p3 uint32) int32

//go:wasmimport env proxy_set_property
func raw_proxy_set_property(p0 uint32, p1 uint32, p2 uint32, p3 uint32) int32

//go:wasmimport env proxy_call_foreign_function
func raw_proxy_call_foreign_function(p0 uint32, p1 uint32, p2 uint32, p3 uint32, p4 uint32, p5 uint32) int32

//go:wasmimport wasi_snapshot_preview1 fd_write
func raw_fd_write(p0 uint32, p1 uint32, p2 uint32, p3 uint32) int32

//go:wasmimport wasi_snapshot_preview1 clock_time_get
func raw_clock_time_get(p0 uint32, p1 uint64, p2 uint32) int32

//go:wasmimport wasi_snapshot_preview1 random_get
func raw_random_get(p0 uint32, p1 uint32) int32

//go:wasmimport wasi_snapshot_preview1 environ_sizes_get
func raw_environ_sizes_get(p0 uint32, p1 uint32) int32

//go:wasmimport wasi_snapshot_preview1 environ_get
func raw_environ_get(p0 uint32, p1 uint32) int32

//go:wasmimport wasi_snapshot_preview1 args_sizes_get
func raw_args_sizes_get(p0 uint32, p1 uint32) int32

//go:wasmimport wasi_snapshot_preview1 args_get
func raw_args_get(p0 uint32, p1 uint32) int32

//go:wasmimport wasi_snapshot_preview1 proc_exit
func raw_proc_exit(p0 uint32)

// callHost makes the raw call; a holds one value per wasm parameter (already checked).
func callHost(name string, a []uint64) int32 {
	switch name {
	case "proxy_done":
		return raw_proxy_done()
	case "proxy_set_effective_context":
		return raw_proxy_set_effective_context(uint32(a[0]))
	case "proxy_log":
		return raw_proxy_log(uint32(a[0]), uint32(a[1]), uint32(a[2]))
	case "proxy_get_current_time_nanoseconds":
		return raw_proxy_get_current_time_nanoseconds(uint32(a[0]))
	case "proxy_set_tick_period_milliseconds":
		return raw_proxy_set_tick_period_milliseconds(uint32(a[0]))
	case "proxy_get_buffer_bytes":
		return raw_proxy_get_buffer_bytes(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]))
	case "proxy_set_buffer_bytes":
		return raw_proxy_set_buffer_bytes(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]))
	case "proxy_get_buffer_status":
		return raw_proxy_get_buffer_status(uint32(a[0]), uint32(a[1]), uint32(a[2]))
	case "proxy_get_header_map_size":
		return raw_proxy_get_header_map_size(uint32(a[0]), uint32(a[1]))
	case "proxy_get_header_map_pairs":
		return raw_proxy_get_header_map_pairs(uint32(a[0]), uint32(a[1]), uint32(a[2]))
	case "proxy_set_header_map_pairs":
		return raw_proxy_set_header_map_pairs(uint32(a[0]), uint32(a[1]), uint32(a[2]))
	case "proxy_get_header_map_value":
		return raw_proxy_get_header_map_value(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]))
	case "proxy_add_header_map_value":
		return raw_proxy_add_header_map_value(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]))
	case "proxy_replace_header_map_value":
		return raw_proxy_replace_header_map_value(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]))
	case "proxy_remove_header_map_value":
		return raw_proxy_remove_header_map_value(uint32(a[0]), uint32(a[1]), uint32(a[2]))
	case "proxy_continue_stream":
		return raw_proxy_continue_stream(uint32(a[0]))
	case "proxy_close_stream":
		return raw_proxy_close_stream(uint32(a[0]))
	case "proxy_get_status":
		return raw_proxy_get_status(uint32(a[0]), uint32(a[1]), uint32(a[2]))
	case "proxy_send_local_response":
		return raw_proxy_send_local_response(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]), uint32(a[5]), uint32(a[6]), uint32(a[7]))
	case "proxy_http_call":
		return raw_proxy_http_call(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]), uint32(a[5]), uint32(a[6]), uint32(a[7]), uint32(a[8]), uint32(a[9]))
	case "proxy_grpc_call":
		return raw_proxy_grpc_call(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]), uint32(a[5]), uint32(a[6]), uint32(a[7]), uint32(a[8]), uint32(a[9]), uint32(a[10]), uint32(a[11]))
	case "proxy_grpc_stream":
		return raw_proxy_grpc_stream(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]), uint32(a[5]), uint32(a[6]), uint32(a[7]), uint32(a[8]))
	case "proxy_grpc_send":
		return raw_proxy_grpc_send(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]))
	case "proxy_grpc_cancel":
		return raw_proxy_grpc_cancel(uint32(a[0]))
	case "proxy_grpc_close":
		return raw_proxy_grpc_close(uint32(a[0]))
	case "proxy_get_shared_data":
		return raw_proxy_get_shared_data(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]))
	case "proxy_set_shared_data":
		return raw_proxy_set_shared_data(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]))
	case "proxy_register_shared_queue":
		return raw_proxy_register_shared_queue(uint32(a[0]), uint32(a[1]), uint32(a[2]))
	case "proxy_resolve_shared_queue":
		return raw_proxy_resolve_shared_queue(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]))
	case "proxy_enqueue_shared_queue":
		return raw_proxy_enqueue_shared_queue(uint32(a[0]), uint32(a[1]), uint32(a[2]))
	case "proxy_dequeue_shared_queue":
		return raw_proxy_dequeue_shared_queue(uint32(a[0]), uint32(a[1]), uint32(a[2]))
	case "proxy_define_metric":
		return raw_proxy_define_metric(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]))
	case "proxy_record_metric":
		return raw_proxy_record_metric(uint32(a[0]), a[1])
	case "proxy_increment_metric":
		return raw_proxy_increment_metric(uint32(a[0]), a[1])
	case "proxy_get_metric":
		return raw_proxy_get_metric(uint32(a[0]), uint32(a[1]))
	case "proxy_get_property":
		return raw_proxy_get_property(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]))
	case "proxy_set_property":
		return raw_proxy_set_property(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]))
	case "proxy_call_foreign_function":
		return raw_proxy_call_foreign_function(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]), uint32(a[4]), uint32(a[5]))
	case "wasi:fd_write":
		return raw_fd_write(uint32(a[0]), uint32(a[1]), uint32(a[2]), uint32(a[3]))
	case "wasi:clock_time_get":
		return raw_clock_time_get(uint32(a[0]), a[1], uint32(a[2]))
	case "wasi:random_get":
		return raw_random_get(uint32(a[0]), uint32(a[1]))
	case "wasi:environ_sizes_get":
		return raw_environ_sizes_get(uint32(a[0]), uint32(a[1]))
	case "wasi:environ_get":
		return raw_environ_get(uint32(a[0]), uint32(a[1]))
	case "wasi:args_sizes_get":
		return raw_args_sizes_get(uint32(a[0]), uint32(a[1]))
	case "wasi:args_get":
		return raw_args_get(uint32(a[0]), uint32(a[1]))
	case "wasi:proc_exit":
		raw_proc_exit(uint32(a[0]))
		return 0
	}
	panic("probe: no import for " + name)
}

// addr is the linear-memory address of b's first byte (b must not be empty).
func addr(b []byte) uint32 { return uint32(uintptr(unsafe.Pointer(&b[0]))) }

// memoryPages is implemented in mem_tinygo.go (memory.size).

// readMemory returns a copy of [ptr, ptr+size) when it lies inside linear memory.
func readMemory(ptr, size uint32) ([]byte, bool) {
	limit := uint64(memoryPages()) * 65536
	if ptr == 0 || uint64(ptr)+uint64(size) > limit {
		return nil, false
	}
	if size == 0 {
		return []byte{}, true
	}
	src := unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(nil), uintptr(ptr))), size)
	return append([]byte(nil), src...), true
}

// monotonicNanos reads the WASI monotonic clock (0 on error).
func monotonicNanos() uint64 {
	slot := make([]byte, 8)
	if raw_clock_time_get(1, 1, addr(slot)) != 0 {
		return 0
	}
	return uint64(slot[0]) | uint64(slot[1])<<8 | uint64(slot[2])<<16 | uint64(slot[3])<<24 |
		uint64(slot[4])<<32 | uint64(slot[5])<<40 | uint64(slot[6])<<48 | uint64(slot[7])<<56
}
