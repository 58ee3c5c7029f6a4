package main

import (
	"github.com/pwtck/pwtck/filters-tinygo/internal/common"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/proxytest"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"
)

func newHost(t *testing.T, cfg string, opts ...func(*proxytest.EmulatorOption)) (proxytest.HostEmulator, types.OnPluginStartStatus) {
	t.Helper()
	opt := proxytest.NewEmulatorOption().
		WithVMContext(common.VMContext(func(uint32) types.PluginContext { return &pluginContext{} })).
		WithPluginConfiguration([]byte(cfg))
	for _, o := range opts {
		o(opt)
	}
	host, reset := proxytest.NewHostEmulator(opt)
	t.Cleanup(reset)
	return host, host.StartPlugin()
}

func TestApply(t *testing.T) {
	cfg := `{"request":  {"add": {"X-A": "1", "x-a2": "2"}, "replace": {"x-b": "2"}, "remove": ["X-C"]},
	         "response": {"add": {"x-d": "3"}, "replace": {"x-e": "4"}, "remove": ["server"]},
	         "properties": {"x-pwtck-path": ["request", "path"], "x-pwtck-plugin": ["plugin_name"],
	                        "x-absent": ["nope"], "x-binary": ["bin"]},
	         "unknown": true}`
	host, st := newHost(t, cfg, func(o *proxytest.EmulatorOption) {
		o.WithProperty([]string{"request", "path"}, []byte("/p")).
			WithProperty([]string{"plugin_name"}, []byte("pw")).
			WithProperty([]string{"bin"}, []byte{0xff, 0xfe})
	})
	require.Equal(t, types.OnPluginStartStatusOK, st)
	id := host.InitializeHttpContext()
	require.Equal(t, types.ActionContinue,
		host.CallOnRequestHeaders(id, [][2]string{{"x-b", "old"}, {"x-c", "gone"}, {"x-keep", "k"}}, true))
	require.Equal(t, [][2]string{{"x-b", "2"}, {"x-keep", "k"}, {"x-a", "1"}, {"x-a2", "2"}},
		host.GetCurrentRequestHeaders(id))

	require.Equal(t, types.ActionContinue,
		host.CallOnResponseHeaders(id, [][2]string{{"server", "s"}, {"x-e", "old"}, {"x-z", "0"}}, false))
	require.Equal(t, [][2]string{{"x-e", "4"}, {"x-z", "0"}, {"x-d", "3"}, {"x-pwtck-path", "/p"}, {"x-pwtck-plugin", "pw"}},
		host.GetCurrentResponseHeaders(id))
}

func TestEmptyConfig(t *testing.T) {
	for _, cfg := range []string{``, `{}`} {
		t.Run(cfg, func(t *testing.T) { testEmpty(t, cfg) })
	}
}

func testEmpty(t *testing.T, cfg string) {
	{
		host, st := newHost(t, cfg)
		require.Equal(t, types.OnPluginStartStatusOK, st)
		id := host.InitializeHttpContext()
		in := [][2]string{{"a", "1"}}
		require.Equal(t, types.ActionContinue, host.CallOnRequestHeaders(id, in, false))
		require.Equal(t, in, host.GetCurrentRequestHeaders(id))
		require.Equal(t, types.ActionContinue, host.CallOnResponseHeaders(id, in, false))
		require.Equal(t, in, host.GetCurrentResponseHeaders(id))
	}
}

func TestBadConfig(t *testing.T) {
	for cfg, want := range map[string]string{
		`{"request": 1}`:                        "headers: bad config: request: must be an object",
		`{"request": {"add": {"x": 1}}}`:        "headers: bad config: request.add: must be an object of strings",
		`{"response": {"replace": []}}`:         "headers: bad config: response.replace: must be an object of strings",
		`{"response": {"remove": "server"}}`:    "headers: bad config: response.remove: must be an array of strings",
		`{"properties": {"x": "request.path"}}`: "headers: bad config: properties.x: must be a non-empty array of strings",
		`{"properties": {"x": []}}`:             "headers: bad config: properties.x: must be a non-empty array of strings",
		`"x"`:                                   "headers: bad config: config: must be a JSON object",
	} {
		t.Run(cfg, func(t *testing.T) {
			host, st := newHost(t, cfg)
			require.Equal(t, types.OnPluginStartStatusFailed, st)
			require.Equal(t, []string{want}, host.GetErrorLogs())
		})
	}
}
