// Command counter is the pwtck shared-data counter filter (docs/filters/FILTERS.md).
//
// Every request increments a decimal counter in shared data (CAS-guarded) and a counter
// metric; the response carries the new count in a header.
package main

import (
	"fmt"
	"strconv"

	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"

	"github.com/pwtck/pwtck/filters-tinygo/internal/common"
)

const filterName = "counter"

func main() {}

func init() {
	common.SetPluginContext(func(contextID uint32) types.PluginContext {
		return &pluginContext{}
	})
}

type config struct {
	key, metric, header string
}

func parseConfig(data []byte) (*config, error) {
	obj, err := common.ParseObject(data)
	if err != nil {
		return nil, err
	}
	c := &config{}
	if c.key, err = common.String(obj, "key", "key", "pwtck.counter", true); err != nil {
		return nil, err
	}
	if c.metric, err = common.String(obj, "metric", "metric", "pwtck_requests", true); err != nil {
		return nil, err
	}
	if c.header, err = common.String(obj, "header", "header", "x-pwtck-count", true); err != nil {
		return nil, err
	}
	return c, nil
}

type pluginContext struct {
	types.DefaultPluginContext
	cfg     *config
	metric  proxywasm.MetricCounter
	defined bool
}

func (p *pluginContext) OnPluginStart(int) types.OnPluginStartStatus {
	cfg, err := parseConfig(common.PluginConfiguration())
	if err != nil {
		common.LogBadConfig(filterName, err)
		return types.OnPluginStartStatusFailed
	}
	p.cfg = cfg
	// The SDK panics when the host refuses the metric; the filter only logs it.
	func() {
		defer func() {
			if r := recover(); r != nil {
				proxywasm.LogWarnf("%s: %v", filterName, r)
			}
		}()
		p.metric = proxywasm.DefineCounterMetric(cfg.metric)
		p.defined = true
	}()
	return types.OnPluginStartStatusOK
}

func (p *pluginContext) NewHttpContext(uint32) types.HttpContext {
	return &httpContext{plugin: p}
}

type httpContext struct {
	types.DefaultHttpContext
	plugin *pluginContext
	value  string // header value, "" until the request was counted
}

func (h *httpContext) OnHttpRequestHeaders(int, bool) types.Action {
	next, outcome, status := common.AddToSharedCounter(h.plugin.cfg.key, 1)
	switch outcome {
	case common.CasOK:
		h.value = strconv.FormatUint(next, 10)
	case common.CasExhausted:
		proxywasm.LogWarnf("%s: CAS retries exhausted on %s", filterName, h.plugin.cfg.key)
		h.value = "cas-exhausted"
	default:
		proxywasm.LogWarnf("%s: shared data %s failed with status %d", filterName, h.plugin.cfg.key, status)
		h.value = fmt.Sprintf("error %d", status)
	}
	if h.plugin.defined {
		func() {
			defer func() {
				if r := recover(); r != nil {
					proxywasm.LogWarnf("%s: %v", filterName, r)
				}
			}()
			h.plugin.metric.Increment(1)
		}()
	}
	return types.ActionContinue
}

func (h *httpContext) OnHttpResponseHeaders(int, bool) types.Action {
	if h.value != "" {
		if err := proxywasm.AddHttpResponseHeader(h.plugin.cfg.header, h.value); err != nil {
			proxywasm.LogWarnf("%s: add %s failed: %v", filterName, h.plugin.cfg.header, err)
		}
	}
	return types.ActionContinue
}
