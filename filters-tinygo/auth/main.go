// Command auth is the pwtck header-based access filter (docs/filters/FILTERS.md).
//
// A request passes when the configured header carries one of the configured values;
// otherwise the filter answers with a local response and pauses the request.
package main

import (
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"

	"github.com/pwtck/pwtck/filters-tinygo/internal/common"
)

const filterName = "auth"

func main() {}

func init() {
	common.SetPluginContext(func(contextID uint32) types.PluginContext {
		return &pluginContext{}
	})
}

type config struct {
	header string
	values map[string]bool
	status uint32
	body   string
}

func parseConfig(data []byte) (*config, error) {
	obj, err := common.ParseObject(data)
	if err != nil {
		return nil, err
	}
	c := &config{values: map[string]bool{}}
	if c.header, err = common.String(obj, "header", "header", "", true); err != nil {
		return nil, err
	}
	values, err := common.StringList(obj, "values", "values", true)
	if err != nil {
		return nil, err
	}
	for _, v := range values {
		c.values[v] = true
	}
	status, err := common.Int(obj, "status", "status", 403, 100, 599)
	if err != nil {
		return nil, err
	}
	c.status = uint32(status)
	if c.body, err = common.String(obj, "body", "body", "forbidden", false); err != nil {
		return nil, err
	}
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

func (h *httpContext) OnHttpRequestHeaders(int, bool) types.Action {
	if value, err := proxywasm.GetHttpRequestHeader(h.cfg.header); err == nil && h.cfg.values[value] {
		return types.ActionContinue
	}
	err := proxywasm.SendHttpResponse(h.cfg.status, [][2]string{{"x-pwtck-auth", "denied"}}, []byte(h.cfg.body), -1)
	if err != nil {
		proxywasm.LogWarnf("%s: send local response failed: %v", filterName, err)
	}
	return types.ActionPause
}
