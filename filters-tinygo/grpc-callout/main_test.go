package main

import (
	"github.com/pwtck/pwtck/filters-tinygo/internal/common"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/proxytest"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"
)

type call struct {
	cluster, service, method string
	metadata, message        []byte
	timeout                  uint32
}

// fakeGrpc replaces the raw imports for one test.
func fakeGrpc(t *testing.T, status uint32, message []byte) *[]call {
	var calls []call
	oldCall, oldMessage := grpcCall, grpcMessage
	grpcCall = func(cluster, service, method string, metadata, msg []byte, timeout uint32) (uint32, uint32) {
		calls = append(calls, call{cluster, service, method, metadata, msg, timeout})
		return status, uint32(100 + len(calls))
	}
	grpcMessage = func(size uint32) ([]byte, uint32) { return message[:size], 0 }
	t.Cleanup(func() { grpcCall, grpcMessage = oldCall, oldMessage; pending = map[uint32]*httpContext{} })
	return &calls
}

func newHost(t *testing.T, cfg string) (proxytest.HostEmulator, types.OnPluginStartStatus) {
	t.Helper()
	opt := proxytest.NewEmulatorOption().
		WithVMContext(common.VMContext(func(uint32) types.PluginContext { return &pluginContext{} })).
		WithPluginConfiguration([]byte(cfg))
	host, reset := proxytest.NewHostEmulator(opt)
	t.Cleanup(reset)
	return host, host.StartPlugin()
}

func TestReceive(t *testing.T) {
	calls := fakeGrpc(t, 0, []byte{0x08, 0x01})
	host, st := newHost(t, `{"cluster":"grpc"}`)
	require.Equal(t, types.OnPluginStartStatusOK, st)
	id := host.InitializeHttpContext()
	require.Equal(t, types.ActionPause, host.CallOnRequestHeaders(id, [][2]string{{"a", "b"}}, true))
	require.Len(t, *calls, 1)
	c := (*calls)[0]
	require.Equal(t, "grpc", c.cluster)
	require.Equal(t, "grpc.health.v1.Health", c.service)
	require.Equal(t, "Check", c.method)
	require.Empty(t, c.message)
	require.Equal(t, uint32(5000), c.timeout)
	require.Equal(t, serializePairs([][2]string{{"x-pwtck-from", "grpc-callout"}}), c.metadata)

	onGrpcReceive(101, 2)
	require.Equal(t, types.ActionContinue, host.GetCurrentHttpStreamAction(id))
	require.Equal(t, [][2]string{{"a", "b"}, {"x-pwtck-grpc-status", "0"}, {"x-pwtck-grpc-message", "0801"}},
		host.GetCurrentRequestHeaders(id))
	// A later close for the same token changes nothing.
	onGrpcClose(101, 14)
	require.Len(t, host.GetCurrentRequestHeaders(id), 3)
}

func TestClose(t *testing.T) {
	fakeGrpc(t, 0, nil)
	host, _ := newHost(t, `{"cluster":"grpc","service":"s.S","method":"M","timeoutMillis":9}`)
	id := host.InitializeHttpContext()
	require.Equal(t, types.ActionPause, host.CallOnRequestHeaders(id, nil, true))
	onGrpcClose(101, 14)
	require.Equal(t, types.ActionContinue, host.GetCurrentHttpStreamAction(id))
	require.Equal(t, [][2]string{{"x-pwtck-grpc-status", "14"}}, host.GetCurrentRequestHeaders(id))
}

func TestEmptyMessage(t *testing.T) {
	fakeGrpc(t, 0, nil)
	host, _ := newHost(t, `{"cluster":"grpc"}`)
	id := host.InitializeHttpContext()
	host.CallOnRequestHeaders(id, nil, true)
	onGrpcReceive(101, 0)
	require.Equal(t, [][2]string{{"x-pwtck-grpc-status", "0"}}, host.GetCurrentRequestHeaders(id))
}

func TestDispatchFailed(t *testing.T) {
	fakeGrpc(t, 4, nil)
	host, _ := newHost(t, `{"cluster":"nope"}`)
	id := host.InitializeHttpContext()
	require.Equal(t, types.ActionContinue, host.CallOnRequestHeaders(id, nil, true))
	require.Equal(t, [][2]string{{"x-pwtck-grpc-status", "dispatch-failed"}}, host.GetCurrentRequestHeaders(id))
}

func TestStreamDoneDropsLateAnswer(t *testing.T) {
	fakeGrpc(t, 0, nil)
	host, _ := newHost(t, `{"cluster":"grpc"}`)
	id := host.InitializeHttpContext()
	host.CallOnRequestHeaders(id, nil, true)
	host.CompleteHttpContext(id)
	require.Empty(t, pending)
	onGrpcClose(101, 0) // ignored, no panic
}

func TestBadConfig(t *testing.T) {
	for cfg, want := range map[string]string{
		``:                                   "grpc-callout: bad config: cluster: must be a non-empty string",
		`{"cluster":"c","service":""}`:       "grpc-callout: bad config: service: must be a non-empty string",
		`{"cluster":"c","method":3}`:         "grpc-callout: bad config: method: must be a non-empty string",
		`{"cluster":"c","timeoutMillis":-1}`: "grpc-callout: bad config: timeoutMillis: must be an integer between 0 and 2147483647",
	} {
		t.Run(cfg, func(t *testing.T) {
			host, st := newHost(t, cfg)
			require.Equal(t, types.OnPluginStartStatusFailed, st)
			require.Equal(t, []string{want}, host.GetErrorLogs())
		})
	}
}
