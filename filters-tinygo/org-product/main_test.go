package main

import (
	"github.com/pwtck/pwtck/filters-tinygo/internal/common"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/proxytest"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"
)

func newHost(t *testing.T, cfg string) (proxytest.HostEmulator, uint32) {
	t.Helper()
	opt := proxytest.NewEmulatorOption().
		WithVMContext(common.VMContext(func(uint32) types.PluginContext { return &pluginContext{} })).
		WithPluginConfiguration([]byte(cfg))
	host, reset := proxytest.NewHostEmulator(opt)
	t.Cleanup(reset)
	require.Equal(t, types.OnPluginStartStatusOK, host.StartPlugin())
	return host, host.InitializeHttpContext()
}

var request = [][2]string{
	{":method", "POST"}, {":path", "/anything"}, {":authority", "front"}, {"Org", "Field"}, {"product", "umbrella"},
}

func TestSuccessMapping(t *testing.T) {
	host, id := newHost(t, `{"cluster":"httpbin"}`)
	require.Equal(t, types.ActionPause, host.CallOnRequestHeaders(id, request, false))

	callouts := host.GetCalloutAttributesFromContext(id)
	require.Len(t, callouts, 1)
	c := callouts[0]
	require.Equal(t, "httpbin", c.Upstream)
	require.Contains(t, c.Headers, [2]string{":method", "GET"})
	require.Contains(t, c.Headers, [2]string{":path", "/headers"})
	require.Contains(t, c.Headers, [2]string{":authority", "httpbin"})
	require.Contains(t, c.Headers, [2]string{"org", "Field"})
	require.Empty(t, c.Body)

	body := `{"headers":{"Org":"Field","Product":["umbrella","x"],"Host":"httpbin"}}`
	host.CallOnHttpCallResponse(c.CalloutID, [][2]string{{":status", "200"}}, nil, []byte(body))
	require.Equal(t, types.ActionContinue, host.GetCurrentHttpStreamAction(id))

	hs := host.GetCurrentRequestHeaders(id)
	require.Contains(t, hs, [2]string{"x-org", "Field"})
	require.Contains(t, hs, [2]string{"x-product", "umbrella"})
	for _, h := range hs {
		require.NotEqual(t, "org", h[0])
		require.NotEqual(t, "product", h[0])
	}
	require.Equal(t, types.ActionContinue, host.CallOnResponseHeaders(id, [][2]string{{":status", "200"}}, false))
	for _, h := range host.GetCurrentResponseHeaders(id) {
		require.NotEqual(t, errorHeader, h[0])
	}
}

func TestCustomConfig(t *testing.T) {
	host, id := newHost(t, `{"cluster":"echo","path":"/get","authority":"echo.local","timeoutMillis":100,
		"responseMapping":{"Tenant":"X-Tenant-Id"}}`)
	require.Equal(t, types.ActionPause, host.CallOnRequestHeaders(id, [][2]string{{"tenant", "t1"}}, true))
	c := host.GetCalloutAttributesFromContext(id)[0]
	require.Equal(t, "echo", c.Upstream)
	require.Contains(t, c.Headers, [2]string{":path", "/get"})
	require.Contains(t, c.Headers, [2]string{":authority", "echo.local"})
	require.Contains(t, c.Headers, [2]string{":method", "GET"})
	host.CallOnHttpCallResponse(c.CalloutID, [][2]string{{":status", "200"}}, nil, []byte(`{"headers":{"TENANT":"t1"}}`))
	require.Contains(t, host.GetCurrentRequestHeaders(id), [2]string{"x-tenant-id", "t1"})
}

func TestErrorPaths(t *testing.T) {
	cases := []struct {
		name    string
		headers [][2]string
		body    string
		want    string
	}{
		{"call failed", nil, "", "call failed"},
		{"status", [][2]string{{":status", "503"}}, `{"headers":{}}`, "status 503"},
		{"bad json", [][2]string{{":status", "200"}}, `not json`, "bad json"},
		{"no headers object", [][2]string{{":status", "200"}}, `{"args":{}}`, "no headers object"},
		{"headers not an object", [][2]string{{":status", "200"}}, `{"headers":[1]}`, "no headers object"},
		{"missing", [][2]string{{":status", "200"}}, `{"headers":{"Product":"p"}}`, "missing Org"},
		{"missing both", [][2]string{{":status", "200"}}, `{"headers":{}}`, "missing Org"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			host, id := newHost(t, `{"cluster":"httpbin"}`)
			require.Equal(t, types.ActionPause, host.CallOnRequestHeaders(id, request, false))
			c := host.GetCalloutAttributesFromContext(id)[0]
			host.CallOnHttpCallResponse(c.CalloutID, tc.headers, nil, []byte(tc.body))
			// The request is always resumed.
			require.Equal(t, types.ActionContinue, host.GetCurrentHttpStreamAction(id))
			require.NotEmpty(t, host.GetWarnLogs())
			host.CallOnResponseHeaders(id, [][2]string{{":status", "200"}}, false)
			require.Contains(t, host.GetCurrentResponseHeaders(id), [2]string{errorHeader, tc.want})
		})
	}
}

func TestMissingMapsTheOthers(t *testing.T) {
	host, id := newHost(t, `{"cluster":"httpbin"}`)
	host.CallOnRequestHeaders(id, request, false)
	c := host.GetCalloutAttributesFromContext(id)[0]
	host.CallOnHttpCallResponse(c.CalloutID, [][2]string{{":status", "200"}}, nil, []byte(`{"headers":{"Product":"p"}}`))
	require.Contains(t, host.GetCurrentRequestHeaders(id), [2]string{"x-product", "p"})
}

func TestBadConfig(t *testing.T) {
	for cfg, want := range map[string]string{
		``:                                    "org-product: bad config: cluster: must be a non-empty string",
		`{}`:                                  "org-product: bad config: cluster: must be a non-empty string",
		`{"cluster":""}`:                      "org-product: bad config: cluster: must be a non-empty string",
		`[1]`:                                 "org-product: bad config: config: must be a JSON object",
		`{`:                                   "org-product: bad config: config: not valid JSON",
		`{"cluster":"c","timeoutMillis":"x"}`: "org-product: bad config: timeoutMillis: must be an integer between 0 and 2147483647",
		`{"cluster":"c","responseMapping":{"a":1}}`: "org-product: bad config: responseMapping: must be an object of strings",
		`{"cluster":"c","path":7}`:                  "org-product: bad config: path: must be a non-empty string",
	} {
		opt := proxytest.NewEmulatorOption().
			WithVMContext(common.VMContext(func(uint32) types.PluginContext { return &pluginContext{} })).
			WithPluginConfiguration([]byte(cfg))
		host, reset := proxytest.NewHostEmulator(opt)
		require.Equal(t, types.OnPluginStartStatusFailed, host.StartPlugin(), cfg)
		require.Equal(t, []string{want}, host.GetErrorLogs(), cfg)
		reset()
	}
}
