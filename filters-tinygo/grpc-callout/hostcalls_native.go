//go:build !wasm

package main

// Native (go test) stand-ins for the raw imports; tests replace them.

var grpcCall = func(cluster, service, method string, metadata, message []byte, timeout uint32) (uint32, uint32) {
	return 12, 0 // UNIMPLEMENTED
}

var grpcMessage = func(size uint32) ([]byte, uint32) {
	return nil, 1
}
