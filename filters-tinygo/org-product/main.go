// Command org-product is the pwtck Org/Product mapper filter (docs/filters/FILTERS.md).
//
// For every request it asks an httpbin-like cluster to echo the request headers, then maps
// the headers named in responseMapping (for example Org -> X-Org) from the echoed JSON onto
// the request. It always resumes the request; failures are reported in a response header.
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"

	"github.com/pwtck/pwtck/filters-tinygo/internal/common"
)

const filterName = "org-product"

const errorHeader = "x-pwtck-org-product-error"

func main() {}

func init() {
	common.SetPluginContext(func(contextID uint32) types.PluginContext {
		return &pluginContext{}
	})
}

type mapping struct {
	from string // header name as it appears in the echoed "headers" object (case-insensitive)
	to   string // request header to add, lower case
}

type config struct {
	cluster   string
	path      string
	authority string
	timeout   uint32
	mappings  []mapping // sorted by from
}

func parseConfig(data []byte) (*config, error) {
	obj, err := common.ParseObject(data)
	if err != nil {
		return nil, err
	}
	c := &config{}
	if c.cluster, err = common.String(obj, "cluster", "cluster", "", true); err != nil {
		return nil, err
	}
	if c.path, err = common.String(obj, "path", "path", "/headers", true); err != nil {
		return nil, err
	}
	if c.authority, err = common.String(obj, "authority", "authority", c.cluster, true); err != nil {
		return nil, err
	}
	t, err := common.Int(obj, "timeoutMillis", "timeoutMillis", 5000, 0, 1<<31-1)
	if err != nil {
		return nil, err
	}
	c.timeout = uint32(t)
	m, err := common.StringMap(obj, "responseMapping", "responseMapping")
	if err != nil {
		return nil, err
	}
	if _, present := obj["responseMapping"]; !present {
		m = map[string]string{"Org": "X-Org", "Product": "X-Product"}
	}
	for from, to := range m {
		if to == "" {
			return nil, common.Errf("responseMapping", "must be an object of non-empty strings")
		}
		c.mappings = append(c.mappings, mapping{from: from, to: strings.ToLower(to)})
	}
	sort.Slice(c.mappings, func(i, j int) bool { return c.mappings[i].from < c.mappings[j].from })
	return c, nil
}

type pluginContext struct {
	types.DefaultPluginContext
	cfg *config
}

func (p *pluginContext) OnPluginStart(int) types.OnPluginStartStatus {
	cfg, err := parseConfig(common.PluginConfiguration())
	if err != nil {
		common.LogBadConfig(filterName, err)
		return types.OnPluginStartStatusFailed
	}
	p.cfg = cfg
	return types.OnPluginStartStatusOK
}

func (p *pluginContext) NewHttpContext(contextID uint32) types.HttpContext {
	return &httpContext{cfg: p.cfg}
}

type httpContext struct {
	types.DefaultHttpContext
	cfg    *config
	reason string // first remembered failure, reported in the response
}

func (h *httpContext) fail(reason string) {
	proxywasm.LogWarnf("%s: %s", filterName, reason)
	if h.reason == "" {
		h.reason = reason
	}
}

// calloutHeaders returns the request headers with :method, :path and :authority
// replaced (in place) or appended when absent.
func (h *httpContext) calloutHeaders(reqHeaders [][2]string) [][2]string {
	want := [][2]string{{":method", "GET"}, {":path", h.cfg.path}, {":authority", h.cfg.authority}}
	out := make([][2]string, 0, len(reqHeaders)+len(want))
	seen := map[string]bool{}
	for _, kv := range reqHeaders {
		name := strings.ToLower(kv[0])
		replaced := false
		for _, w := range want {
			if name == w[0] {
				if !seen[name] {
					out = append(out, w)
					seen[name] = true
				}
				replaced = true
				break
			}
		}
		if !replaced {
			out = append(out, kv)
		}
	}
	for _, w := range want {
		if !seen[w[0]] {
			out = append(out, w)
		}
	}
	return out
}

func (h *httpContext) OnHttpRequestHeaders(int, bool) types.Action {
	reqHeaders, err := proxywasm.GetHttpRequestHeaders()
	if err != nil {
		reqHeaders = nil
	}
	_, err = proxywasm.DispatchHttpCall(h.cfg.cluster, h.calloutHeaders(reqHeaders), nil, nil,
		h.cfg.timeout, h.onCallResponse)
	if err != nil {
		h.fail(fmt.Sprintf("dispatch failed: %d", common.StatusOf(err)))
		return types.ActionContinue
	}
	return types.ActionPause
}

func (h *httpContext) onCallResponse(numHeaders, bodySize, _ int) {
	defer func() {
		if err := proxywasm.ResumeHttpRequest(); err != nil {
			proxywasm.LogWarnf("%s: resume failed: %v", filterName, err)
		}
	}()
	if numHeaders == 0 {
		h.fail("call failed")
		return
	}
	status := ""
	if hs, err := proxywasm.GetHttpCallResponseHeaders(); err == nil {
		for _, kv := range hs {
			if kv[0] == ":status" {
				status = kv[1]
				break
			}
		}
	}
	if status != "200" {
		h.fail("status " + status)
		return
	}
	var body []byte
	if bodySize > 0 {
		b, err := proxywasm.GetHttpCallResponseBody(0, bodySize)
		if err == nil {
			body = b
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var doc any
	if err := dec.Decode(&doc); err != nil || dec.More() {
		h.fail("bad json")
		return
	}
	root, ok := doc.(map[string]any)
	if !ok {
		h.fail("no headers object")
		return
	}
	echoed, ok := root["headers"].(map[string]any)
	if !ok {
		h.fail("no headers object")
		return
	}
	// Case-insensitive lookup; keys are visited in sorted order so a duplicate
	// (differently cased) key resolves deterministically.
	keys := make([]string, 0, len(echoed))
	for k := range echoed {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	missing := ""
	for _, m := range h.cfg.mappings {
		value, found := "", false
		for _, k := range keys {
			if strings.EqualFold(k, m.from) {
				value, found = headerValue(echoed[k])
				break
			}
		}
		if !found {
			if missing == "" {
				missing = m.from
			}
			continue
		}
		if err := proxywasm.RemoveHttpRequestHeader(m.from); err != nil {
			proxywasm.LogWarnf("%s: remove %s failed: %v", filterName, m.from, err)
		}
		if err := proxywasm.AddHttpRequestHeader(m.to, value); err != nil {
			proxywasm.LogWarnf("%s: add %s failed: %v", filterName, m.to, err)
		}
	}
	if missing != "" {
		h.fail("missing " + missing)
	}
}

// headerValue accepts a string or a list whose first element is a string.
func headerValue(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, true
	case []any:
		if len(t) > 0 {
			if s, ok := t[0].(string); ok {
				return s, true
			}
		}
	}
	return "", false
}

func (h *httpContext) OnHttpResponseHeaders(int, bool) types.Action {
	if h.reason != "" {
		if err := proxywasm.AddHttpResponseHeader(errorHeader, h.reason); err != nil {
			proxywasm.LogWarnf("%s: add %s failed: %v", filterName, errorHeader, err)
		}
	}
	return types.ActionContinue
}
