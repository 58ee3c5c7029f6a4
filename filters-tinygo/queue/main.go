// Command queue is the pwtck shared-queue filter (docs/filters/FILTERS.md).
//
// On every tick it enqueues "tick-<n>" on its own queue; when the queue is ready it drains
// it and adds the number of messages received to a shared-data counter, which responses
// report in a header.
package main

import (
	"fmt"

	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"

	"github.com/pwtck/pwtck/filters-tinygo/internal/common"
)

const filterName = "queue"

// receivedKey is the shared-data key holding the number of dequeued messages.
const receivedKey = "pwtck.queue.received"

func main() {}

func init() {
	common.SetPluginContext(func(contextID uint32) types.PluginContext {
		return &pluginContext{}
	})
}

type config struct {
	queue  string
	tick   uint32
	header string
}

func parseConfig(data []byte) (*config, error) {
	obj, err := common.ParseObject(data)
	if err != nil {
		return nil, err
	}
	c := &config{}
	if c.queue, err = common.String(obj, "queue", "queue", "pwtck.queue", true); err != nil {
		return nil, err
	}
	tick, err := common.Int(obj, "tickMillis", "tickMillis", 50, 1, 1<<32-1)
	if err != nil {
		return nil, err
	}
	c.tick = uint32(tick)
	if c.header, err = common.String(obj, "header", "header", "x-pwtck-queue", true); err != nil {
		return nil, err
	}
	return c, nil
}

type pluginContext struct {
	types.DefaultPluginContext
	cfg     *config
	queueID uint32
	ticks   uint64
}

func (p *pluginContext) OnPluginStart(int) types.OnPluginStartStatus {
	cfg, err := parseConfig(common.PluginConfiguration())
	if err != nil {
		common.LogBadConfig(filterName, err)
		return types.OnPluginStartStatusFailed
	}
	p.cfg = cfg
	if p.queueID, err = proxywasm.RegisterSharedQueue(cfg.queue); err != nil {
		proxywasm.LogWarnf("%s: register queue %s failed: %v", filterName, cfg.queue, err)
	}
	if err := proxywasm.SetTickPeriodMilliSeconds(cfg.tick); err != nil {
		proxywasm.LogWarnf("%s: set tick period failed: %v", filterName, err)
	}
	return types.OnPluginStartStatusOK
}

func (p *pluginContext) OnTick() {
	p.ticks++
	msg := fmt.Sprintf("tick-%d", p.ticks)
	if err := proxywasm.EnqueueSharedQueue(p.queueID, []byte(msg)); err != nil {
		proxywasm.LogWarnf("%s: enqueue %s failed: %v", filterName, msg, err)
	}
}

func (p *pluginContext) OnQueueReady(queueID uint32) {
	var n uint64
	for {
		if _, err := proxywasm.DequeueSharedQueue(queueID); err != nil {
			break // EMPTY ends the drain; any other status too
		}
		n++
	}
	if _, outcome, status := common.AddToSharedCounter(receivedKey, n); outcome != common.CasOK {
		proxywasm.LogWarnf("%s: updating %s failed (status %d)", filterName, receivedKey, status)
	}
}

func (p *pluginContext) NewHttpContext(uint32) types.HttpContext {
	return &httpContext{cfg: p.cfg}
}

type httpContext struct {
	types.DefaultHttpContext
	cfg *config
}

func (h *httpContext) OnHttpResponseHeaders(int, bool) types.Action {
	value := "0"
	if data, _, err := proxywasm.GetSharedData(receivedKey); err == nil && len(data) > 0 {
		value = string(data)
	}
	if err := proxywasm.AddHttpResponseHeader(h.cfg.header, value); err != nil {
		proxywasm.LogWarnf("%s: add %s failed: %v", filterName, h.cfg.header, err)
	}
	return types.ActionContinue
}
