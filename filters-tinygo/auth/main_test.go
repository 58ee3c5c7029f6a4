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

func TestAllow(t *testing.T) {
	host, st := newHost(t, `{"header":"X-Api-Key","values":["a","secret"]}`)
	require.Equal(t, types.OnPluginStartStatusOK, st)
	id := host.InitializeHttpContext()
	require.Equal(t, types.ActionContinue, host.CallOnRequestHeaders(id, [][2]string{{"x-api-key", "secret"}}, true))
	require.Nil(t, host.GetSentLocalResponse(id))
}

func TestDeny(t *testing.T) {
	for name, headers := range map[string][][2]string{
		"wrong value": {{"x-api-key", "nope"}},
		"missing":     {{"other", "secret"}},
	} {
		t.Run(name, func(t *testing.T) {
			host, _ := newHost(t, `{"header":"x-api-key","values":["secret"]}`)
			id := host.InitializeHttpContext()
			require.Equal(t, types.ActionPause, host.CallOnRequestHeaders(id, headers, true))
			r := host.GetSentLocalResponse(id)
			require.NotNil(t, r)
			require.Equal(t, uint32(403), r.StatusCode)
			require.Equal(t, "forbidden", string(r.Data))
			require.Equal(t, [][2]string{{"x-pwtck-auth", "denied"}}, r.Headers)
			require.Equal(t, int32(-1), r.GRPCStatus)
		})
	}
}

func TestDenyCustom(t *testing.T) {
	host, _ := newHost(t, `{"header":"x-api-key","values":["secret"],"status":401,"body":""}`)
	id := host.InitializeHttpContext()
	require.Equal(t, types.ActionPause, host.CallOnRequestHeaders(id, nil, true))
	r := host.GetSentLocalResponse(id)
	require.Equal(t, uint32(401), r.StatusCode)
	require.Empty(t, r.Data)
}

func TestBadConfig(t *testing.T) {
	for cfg, want := range map[string]string{
		``:                             "auth: bad config: header: must be a non-empty string",
		`{"header":"","values":["a"]}`: "auth: bad config: header: must be a non-empty string",
		`{"header":"h"}`:               "auth: bad config: values: must be a non-empty array of strings",
		`{"header":"h","values":[]}`:   "auth: bad config: values: must be a non-empty array of strings",
		`{"header":"h","values":[1]}`:  "auth: bad config: values: must be a non-empty array of strings",
		`{"header":"h","values":["a"],"status":99}`: "auth: bad config: status: must be an integer between 100 and 599",
		`{"header":"h","values":["a"],"body":{}}`:   "auth: bad config: body: must be a string",
	} {
		t.Run(cfg, func(t *testing.T) {
			host, st := newHost(t, cfg)
			require.Equal(t, types.OnPluginStartStatusFailed, st)
			require.Equal(t, []string{want}, host.GetErrorLogs())
		})
	}
}
