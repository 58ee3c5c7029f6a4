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

func request(t *testing.T, host proxytest.HostEmulator) [][2]string {
	id := host.InitializeHttpContext()
	require.Equal(t, types.ActionContinue, host.CallOnRequestHeaders(id, nil, true))
	require.Equal(t, types.ActionContinue, host.CallOnResponseHeaders(id, nil, false))
	return host.GetCurrentResponseHeaders(id)
}

func TestDefaults(t *testing.T) {
	host, st := newHost(t, ``)
	require.Equal(t, types.OnPluginStartStatusOK, st)
	require.Equal(t, [][2]string{{"x-pwtck-count", "1"}}, request(t, host))
	require.Equal(t, [][2]string{{"x-pwtck-count", "2"}}, request(t, host))
	require.Equal(t, [][2]string{{"x-pwtck-count", "3"}}, request(t, host))
	v, err := host.GetCounterMetric("pwtck_requests")
	require.NoError(t, err)
	require.Equal(t, uint64(3), v)
}

func TestCustom(t *testing.T) {
	host, st := newHost(t, `{"key":"k","metric":"m","header":"X-Count"}`)
	require.Equal(t, types.OnPluginStartStatusOK, st)
	require.Equal(t, [][2]string{{"x-count", "1"}}, request(t, host))
	v, err := host.GetCounterMetric("m")
	require.NoError(t, err)
	require.Equal(t, uint64(1), v)
}

func TestNoHeaderWithoutRequestHeaders(t *testing.T) {
	host, _ := newHost(t, `{}`)
	id := host.InitializeHttpContext()
	host.CallOnResponseHeaders(id, nil, false)
	require.Empty(t, host.GetCurrentResponseHeaders(id))
}

func TestBadConfig(t *testing.T) {
	for cfg, want := range map[string]string{
		`{"key":""}`:      "counter: bad config: key: must be a non-empty string",
		`{"metric":1}`:    "counter: bad config: metric: must be a non-empty string",
		`{"header":null}`: "counter: bad config: header: must be a non-empty string",
		`[]`:              "counter: bad config: config: must be a JSON object",
	} {
		t.Run(cfg, func(t *testing.T) {
			host, st := newHost(t, cfg)
			require.Equal(t, types.OnPluginStartStatusFailed, st)
			require.Equal(t, []string{want}, host.GetErrorLogs())
		})
	}
}
