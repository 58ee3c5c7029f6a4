package common

import (
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"
)

// vmContext adapts a plugin-context factory to the tetratelabs SDK, which (unlike
// github.com/proxy-wasm/proxy-wasm-go-sdk) has no proxywasm.SetPluginContext.
type vmContext struct {
	types.DefaultVMContext
	newPlugin func(contextID uint32) types.PluginContext
}

func (v *vmContext) NewPluginContext(contextID uint32) types.PluginContext {
	return v.newPlugin(contextID)
}

// VMContext wraps a plugin-context factory in a VM context (for proxytest's WithVMContext).
func VMContext(newPlugin func(contextID uint32) types.PluginContext) types.VMContext {
	return &vmContext{newPlugin: newPlugin}
}

// SetPluginContext is the tetratelabs-SDK counterpart of proxywasm.SetPluginContext.
func SetPluginContext(newPlugin func(contextID uint32) types.PluginContext) {
	proxywasm.SetVMContext(VMContext(newPlugin))
}
