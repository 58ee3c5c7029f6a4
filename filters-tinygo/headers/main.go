// Command headers is the pwtck header-manipulation filter (docs/filters/FILTERS.md).
//
// It removes, replaces and adds request and response headers from its configuration and
// copies host properties into response headers.
package main

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"

	"github.com/pwtck/pwtck/filters-tinygo/internal/common"
)

const filterName = "headers"

func main() {}

func init() {
	common.SetPluginContext(func(contextID uint32) types.PluginContext {
		return &pluginContext{}
	})
}

type kv struct{ name, value string }

type ops struct {
	remove  []string // in configuration order, lower case
	replace []kv     // sorted by name, lower case
	add     []kv     // sorted by name, lower case
}

type property struct {
	header string
	path   []string
}

type config struct {
	request, response ops
	properties        []property // sorted by header
}

func sortedPairs(m map[string]string) []kv {
	out := make([]kv, 0, len(m))
	for k, v := range m {
		out = append(out, kv{strings.ToLower(k), v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

func parseOps(obj map[string]any, field string) (ops, error) {
	var o ops
	side, err := common.Object(obj, field, field)
	if err != nil || side == nil {
		return o, err
	}
	add, err := common.StringMap(side, "add", field+".add")
	if err != nil {
		return o, err
	}
	replace, err := common.StringMap(side, "replace", field+".replace")
	if err != nil {
		return o, err
	}
	remove, err := common.StringList(side, "remove", field+".remove", false)
	if err != nil {
		return o, err
	}
	for _, r := range remove {
		if r == "" {
			return o, common.Errf(field+".remove", "must be an array of non-empty strings")
		}
		o.remove = append(o.remove, strings.ToLower(r))
	}
	o.add = sortedPairs(add)
	o.replace = sortedPairs(replace)
	return o, nil
}

func parseConfig(data []byte) (*config, error) {
	obj, err := common.ParseObject(data)
	if err != nil {
		return nil, err
	}
	c := &config{}
	if c.request, err = parseOps(obj, "request"); err != nil {
		return nil, err
	}
	if c.response, err = parseOps(obj, "response"); err != nil {
		return nil, err
	}
	props, err := common.Object(obj, "properties", "properties")
	if err != nil {
		return nil, err
	}
	for header := range props {
		field := "properties." + header
		path, err := common.StringList(props, header, field, true)
		if err != nil {
			return nil, err
		}
		if header == "" {
			return nil, common.Errf("properties", "header names must be non-empty")
		}
		c.properties = append(c.properties, property{header: strings.ToLower(header), path: path})
	}
	sort.Slice(c.properties, func(i, j int) bool { return c.properties[i].header < c.properties[j].header })
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

func (p *pluginContext) NewHttpContext(uint32) types.HttpContext {
	return &httpContext{cfg: p.cfg}
}

type httpContext struct {
	types.DefaultHttpContext
	cfg *config
}

type mapOps struct {
	remove  func(string) error
	replace func(string, string) error
	add     func(string, string) error
}

func apply(o ops, m mapOps) {
	for _, name := range o.remove {
		warn("remove", name, m.remove(name))
	}
	for _, p := range o.replace {
		warn("replace", p.name, m.replace(p.name, p.value))
	}
	for _, p := range o.add {
		warn("add", p.name, m.add(p.name, p.value))
	}
}

func warn(op, name string, err error) {
	if err != nil {
		proxywasm.LogWarnf("%s: %s %s failed: %v", filterName, op, name, err)
	}
}

func (h *httpContext) OnHttpRequestHeaders(int, bool) types.Action {
	apply(h.cfg.request, mapOps{proxywasm.RemoveHttpRequestHeader, proxywasm.ReplaceHttpRequestHeader, proxywasm.AddHttpRequestHeader})
	return types.ActionContinue
}

func (h *httpContext) OnHttpResponseHeaders(int, bool) types.Action {
	apply(h.cfg.response, mapOps{proxywasm.RemoveHttpResponseHeader, proxywasm.ReplaceHttpResponseHeader, proxywasm.AddHttpResponseHeader})
	for _, p := range h.cfg.properties {
		value, err := proxywasm.GetProperty(p.path)
		// A nil value means the host returned no data (pointer 0): treated as absent.
		if err != nil || value == nil || !utf8.Valid(value) {
			continue
		}
		warn("add", p.header, proxywasm.AddHttpResponseHeader(p.header, string(value)))
	}
	return types.ActionContinue
}
