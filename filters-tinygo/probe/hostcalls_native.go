//go:build !wasm

package main

// Native stand-ins so that the probe's pure parts build and test with plain `go test`.
// Nothing here is used by the wasm module.

import "unsafe"

// callHost records nothing and answers UNIMPLEMENTED; tests may replace it.
var callHost = func(name string, a []uint64) int32 { return 12 }

func addr(b []byte) uint32 { return uint32(uintptr(unsafe.Pointer(&b[0]))) }

func readMemory(ptr, size uint32) ([]byte, bool) { return nil, false }

func monotonicNanos() uint64 { return 0 }
