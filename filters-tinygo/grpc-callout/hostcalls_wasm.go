//go:build wasm

package main

import "unsafe"

// The Go SDK declares neither proxy_grpc_call nor a way to read the gRPC message buffer
// (buffer type 5), so this filter imports both itself. proxy_get_buffer_bytes is also
// imported by the SDK; the module therefore imports it twice, which wasm allows.

//go:wasmimport env proxy_grpc_call
func rawGrpcCall(upstreamPtr unsafe.Pointer, upstreamSize uint32,
	servicePtr unsafe.Pointer, serviceSize uint32,
	methodPtr unsafe.Pointer, methodSize uint32,
	metadataPtr unsafe.Pointer, metadataSize uint32,
	messagePtr unsafe.Pointer, messageSize uint32,
	timeoutMillis uint32, returnToken *uint32) uint32

//go:wasmimport env proxy_get_buffer_bytes
func rawGetBufferBytes(bufferType uint32, start uint32, maxSize uint32,
	returnData *uint32, returnSize *uint32) uint32

func grpcCall(cluster, service, method string, metadata, message []byte, timeout uint32) (uint32, uint32) {
	var token uint32
	st := rawGrpcCall(strPtr(cluster), uint32(len(cluster)),
		strPtr(service), uint32(len(service)),
		strPtr(method), uint32(len(method)),
		bytesPtr(metadata), uint32(len(metadata)),
		bytesPtr(message), uint32(len(message)),
		timeout, &token)
	return st, token
}

func grpcMessage(size uint32) ([]byte, uint32) {
	var data, n uint32 // the host writes a 32-bit address and a size
	st := rawGetBufferBytes(bufferTypeGrpcMessage, 0, size, &data, &n)
	if st != 0 || data == 0 {
		return nil, st
	}
	return unsafe.Slice((*byte)(unsafe.Add(unsafe.Pointer(nil), uintptr(data))), n), st
}

func strPtr(s string) unsafe.Pointer {
	if len(s) == 0 {
		return nil
	}
	return unsafe.Pointer(unsafe.StringData(s))
}

func bytesPtr(b []byte) unsafe.Pointer {
	if len(b) == 0 {
		return nil
	}
	return unsafe.Pointer(&b[0])
}
