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

func TestOps(t *testing.T) {
	for _, tc := range []struct{ op, value, in, want string }{
		{"replace", "hello", "abc", "hello"},
		{"append", "!", "abc", "abc!"},
		{"prepend", ">", "abc", ">abc"},
		{"upper", "", "abc-Déf", "ABC-DéF"},
	} {
		t.Run(tc.op, func(t *testing.T) {
			host, st := newHost(t, `{"request":{"op":"`+tc.op+`","value":"`+tc.value+`"},"response":{"op":"`+tc.op+`","value":"`+tc.value+`"}}`)
			require.Equal(t, types.OnPluginStartStatusOK, st)
			id := host.InitializeHttpContext()
			require.Equal(t, types.ActionContinue,
				host.CallOnRequestHeaders(id, [][2]string{{"content-length", "3"}, {"x", "y"}}, false))
			require.Equal(t, [][2]string{{"x", "y"}}, host.GetCurrentRequestHeaders(id))
			// Buffered until end_of_stream.
			require.Equal(t, types.ActionPause, host.CallOnRequestBody(id, []byte(tc.in[:1]), false))
			require.Equal(t, types.ActionContinue, host.CallOnRequestBody(id, []byte(tc.in[1:]), true))
			require.Equal(t, tc.want, string(host.GetCurrentRequestBody(id)))

			require.Equal(t, types.ActionContinue,
				host.CallOnResponseHeaders(id, [][2]string{{"content-length", "3"}}, false))
			require.Empty(t, host.GetCurrentResponseHeaders(id))
			require.Equal(t, types.ActionPause, host.CallOnResponseBody(id, []byte(tc.in[:1]), false))
			require.Equal(t, types.ActionContinue, host.CallOnResponseBody(id, []byte(tc.in[1:]), true))
			require.Equal(t, tc.want, string(host.GetCurrentResponseBody(id)))
		})
	}
}

func TestUnconfiguredSideStreams(t *testing.T) {
	host, st := newHost(t, `{"response":{"op":"append","value":"!"}}`)
	require.Equal(t, types.OnPluginStartStatusOK, st)
	id := host.InitializeHttpContext()
	host.CallOnRequestHeaders(id, [][2]string{{"content-length", "3"}}, false)
	require.Equal(t, [][2]string{{"content-length", "3"}}, host.GetCurrentRequestHeaders(id))
	// Each chunk streams through untouched (the emulator keeps only the last chunk).
	require.Equal(t, types.ActionContinue, host.CallOnRequestBody(id, []byte("a"), false))
	require.Equal(t, "a", string(host.GetCurrentRequestBody(id)))
	require.Equal(t, types.ActionContinue, host.CallOnRequestBody(id, []byte("bc"), true))
	require.Equal(t, "bc", string(host.GetCurrentRequestBody(id)))
}

func TestEmptyBodyAtEndOfStream(t *testing.T) {
	host, _ := newHost(t, `{"request":{"op":"prepend","value":"x"}}`)
	id := host.InitializeHttpContext()
	require.Equal(t, types.ActionContinue, host.CallOnRequestBody(id, nil, true))
	require.Equal(t, "x", string(host.GetCurrentRequestBody(id)))
}

func TestEmptyConfig(t *testing.T) {
	_, st := newHost(t, ``)
	require.Equal(t, types.OnPluginStartStatusOK, st)
}

func TestBadConfig(t *testing.T) {
	for cfg, want := range map[string]string{
		`{"request": {"op": "lower"}}`:               "body: bad config: request.op: must be one of replace, append, prepend, upper",
		`{"response": {}}`:                           "body: bad config: response.op: must be one of replace, append, prepend, upper",
		`{"request": {"op": "replace"}}`:             "body: bad config: request.value: must be a string",
		`{"response": {"op": "append", "value": 1}}`: "body: bad config: response.value: must be a string",
		`{"request": "upper"}`:                       "body: bad config: request: must be an object",
	} {
		t.Run(cfg, func(t *testing.T) {
			host, st := newHost(t, cfg)
			require.Equal(t, types.OnPluginStartStatusFailed, st)
			require.Equal(t, []string{want}, host.GetErrorLogs())
		})
	}
}
