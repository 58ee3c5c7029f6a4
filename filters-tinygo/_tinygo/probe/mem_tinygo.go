//go:build tinygo.wasm

package main

// memoryPages returns the current size of linear memory in 64 KiB pages. TinyGo cannot
// assemble Go assembly (filters-go uses mem_wasm.s); a bodyless //export declaration names
// the LLVM intrinsic for memory.size instead, as TinyGo's own runtime does.

//export llvm.wasm.memory.size.i32
func wasmMemorySize(index int32) int32

func memoryPages() uint32 { return uint32(wasmMemorySize(0)) }
