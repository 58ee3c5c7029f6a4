package main

import (
	"github.com/pwtck/pwtck/filters-tinygo/internal/common"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/proxytest"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"
)

func newHost(t *testing.T, cfg string) (proxytest.HostEmulator, types.OnPluginStartStatus) {
	t.Helper()
	opt := proxytest.NewEmulatorOption().
		WithVMContext(common.VMContext(func(uint32) types.PluginContext { return &pluginContext{} })).
		WithPluginConfiguration([]byte(cfg))
	host, reset := proxytest.NewHostEmulator(opt)
	t.Cleanup(reset)
	return host, host.StartPlugin()
}

func responseHeaders(host proxytest.HostEmulator) [][2]string {
	id := host.InitializeHttpContext()
	host.CallOnResponseHeaders(id, nil, false)
	return host.GetCurrentResponseHeaders(id)
}

func TestTicksAreCounted(t *testing.T) {
	host, st := newHost(t, ``)
	require.Equal(t, types.OnPluginStartStatusOK, st)
	require.Equal(t, uint32(50), host.GetTickPeriod())
	require.Equal(t, [][2]string{{"x-pwtck-queue", "0"}}, responseHeaders(host))
	// The emulator delivers on_queue_ready from inside the enqueue call.
	host.Tick()
	host.Tick()
	host.Tick()
	require.Equal(t, [][2]string{{"x-pwtck-queue", "3"}}, responseHeaders(host))
	require.Equal(t, 0, host.GetQueueSize(0))
}

func TestCustom(t *testing.T) {
	host, st := newHost(t, `{"queue":"q","tickMillis":7,"header":"X-Q"}`)
	require.Equal(t, types.OnPluginStartStatusOK, st)
	require.Equal(t, uint32(7), host.GetTickPeriod())
	host.Tick()
	require.Equal(t, [][2]string{{"x-q", "1"}}, responseHeaders(host))
}

func TestBadConfig(t *testing.T) {
	for cfg, want := range map[string]string{
		`{"queue":""}`:       "queue: bad config: queue: must be a non-empty string",
		`{"tickMillis":0}`:   "queue: bad config: tickMillis: must be an integer between 1 and 4294967295",
		`{"tickMillis":1.5}`: "queue: bad config: tickMillis: must be an integer between 1 and 4294967295",
		`{"header":""}`:      "queue: bad config: header: must be a non-empty string",
	} {
		t.Run(cfg, func(t *testing.T) {
			host, st := newHost(t, cfg)
			require.Equal(t, types.OnPluginStartStatusFailed, st)
			require.Equal(t, []string{want}, host.GetErrorLogs())
		})
	}
}
