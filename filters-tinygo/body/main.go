// Command body is the pwtck body-rewriting filter (docs/filters/FILTERS.md).
//
// For each configured side it buffers the whole body and rewrites it once end_of_stream
// is reached: replace, append, prepend or upper (ASCII upper case).
package main

import (
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"

	"github.com/pwtck/pwtck/filters-tinygo/internal/common"
)

const filterName = "body"

func main() {}

func init() {
	common.SetPluginContext(func(contextID uint32) types.PluginContext {
		return &pluginContext{}
	})
}

type rewrite struct {
	op    string // replace, append, prepend, upper
	value []byte
}

func (r *rewrite) apply(body []byte) []byte {
	switch r.op {
	case "replace":
		return append([]byte{}, r.value...)
	case "append":
		return append(append([]byte{}, body...), r.value...)
	case "prepend":
		return append(append([]byte{}, r.value...), body...)
	default: // upper
		return upperASCII(body)
	}
}

// upperASCII upper-cases a-z only; every other byte (also non-ASCII UTF-8) is kept.
func upperASCII(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			c -= 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

type config struct {
	request, response *rewrite
}

func parseSide(obj map[string]any, field string) (*rewrite, error) {
	side, err := common.Object(obj, field, field)
	if err != nil || side == nil {
		return nil, err
	}
	op, err := common.String(side, "op", field+".op", "", true)
	if err != nil {
		return nil, common.Errf(field+".op", "must be one of replace, append, prepend, upper")
	}
	r := &rewrite{op: op}
	switch op {
	case "replace", "append", "prepend":
		v, ok := side["value"].(string)
		if !ok {
			return nil, common.Errf(field+".value", "must be a string")
		}
		r.value = []byte(v)
	case "upper":
	default:
		return nil, common.Errf(field+".op", "must be one of replace, append, prepend, upper")
	}
	return r, nil
}

func parseConfig(data []byte) (*config, error) {
	obj, err := common.ParseObject(data)
	if err != nil {
		return nil, err
	}
	c := &config{}
	if c.request, err = parseSide(obj, "request"); err != nil {
		return nil, err
	}
	if c.response, err = parseSide(obj, "response"); err != nil {
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
	if h.cfg.request != nil {
		warn("remove content-length", proxywasm.RemoveHttpRequestHeader("content-length"))
	}
	return types.ActionContinue
}

func (h *httpContext) OnHttpResponseHeaders(int, bool) types.Action {
	if h.cfg.response != nil {
		warn("remove content-length", proxywasm.RemoveHttpResponseHeader("content-length"))
	}
	return types.ActionContinue
}

func (h *httpContext) OnHttpRequestBody(bodySize int, endOfStream bool) types.Action {
	return rewriteBody(h.cfg.request, bodySize, endOfStream, proxywasm.GetHttpRequestBody, proxywasm.ReplaceHttpRequestBody)
}

func (h *httpContext) OnHttpResponseBody(bodySize int, endOfStream bool) types.Action {
	return rewriteBody(h.cfg.response, bodySize, endOfStream, proxywasm.GetHttpResponseBody, proxywasm.ReplaceHttpResponseBody)
}

func rewriteBody(r *rewrite, bodySize int, endOfStream bool,
	get func(int, int) ([]byte, error), replace func([]byte) error) types.Action {
	if r == nil {
		return types.ActionContinue
	}
	if !endOfStream {
		return types.ActionPause
	}
	var body []byte
	if bodySize > 0 {
		b, err := get(0, bodySize)
		if err != nil {
			warn("read body", err)
		} else {
			body = b
		}
	}
	warn("replace body", replace(r.apply(body)))
	return types.ActionContinue
}

func warn(what string, err error) {
	if err != nil {
		proxywasm.LogWarnf("%s: %s failed: %v", filterName, what, err)
	}
}
