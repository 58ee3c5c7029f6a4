// Command grpc-callout is the pwtck gRPC callout filter (docs/filters/FILTERS.md).
//
// For every request it sends a unary gRPC call (by default grpc.health.v1.Health/Check with
// an empty HealthCheckRequest), pauses the request and, when the call completes, adds the
// gRPC status (and the response message as hex) as request headers before resuming.
//
// The Go SDK has no gRPC support: the call is made through a raw proxy_grpc_call import and
// the proxy_on_grpc_* callbacks are exported here; everything else goes through the SDK.
package main

import (
	"encoding/binary"
	"encoding/hex"
	"strconv"

	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"

	"github.com/pwtck/pwtck/filters-tinygo/internal/common"
)

const filterName = "grpc-callout"

const bufferTypeGrpcMessage = 5

const (
	statusHeader  = "x-pwtck-grpc-status"
	messageHeader = "x-pwtck-grpc-message"
)

func main() {}

func init() {
	common.SetPluginContext(func(contextID uint32) types.PluginContext {
		return &pluginContext{}
	})
}

type config struct {
	cluster, service, method string
	timeout                  uint32
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
	if c.service, err = common.String(obj, "service", "service", "grpc.health.v1.Health", true); err != nil {
		return nil, err
	}
	if c.method, err = common.String(obj, "method", "method", "Check", true); err != nil {
		return nil, err
	}
	t, err := common.Int(obj, "timeoutMillis", "timeoutMillis", 5000, 0, 1<<31-1)
	if err != nil {
		return nil, err
	}
	c.timeout = uint32(t)
	return c, nil
}

// serializePairs encodes a header map in the proxy-wasm pairs format (ABI.md §1.4).
func serializePairs(pairs [][2]string) []byte {
	size := 4
	for _, p := range pairs {
		size += 8 + len(p[0]) + len(p[1]) + 2
	}
	out := make([]byte, 4, size)
	binary.LittleEndian.PutUint32(out, uint32(len(pairs)))
	for _, p := range pairs {
		out = binary.LittleEndian.AppendUint32(out, uint32(len(p[0])))
		out = binary.LittleEndian.AppendUint32(out, uint32(len(p[1])))
	}
	for _, p := range pairs {
		out = append(out, p[0]...)
		out = append(out, 0)
		out = append(out, p[1]...)
		out = append(out, 0)
	}
	return out
}

var initialMetadata = serializePairs([][2]string{{"x-pwtck-from", "grpc-callout"}})

// pending maps a call token to the HTTP context that made the call. It is VM-wide
// because the host delivers the gRPC callbacks on the root context.
var pending = map[uint32]*httpContext{}

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
	return &httpContext{cfg: p.cfg, id: contextID}
}

type httpContext struct {
	types.DefaultHttpContext
	cfg   *config
	id    uint32
	done  bool   // the stream finished (on_log); a late gRPC answer is dropped
	token uint32 // token of the call in flight, when waiting
	wait  bool
}

func (h *httpContext) OnHttpRequestHeaders(int, bool) types.Action {
	// An empty HealthCheckRequest serializes to zero protobuf bytes.
	st, token := grpcCall(h.cfg.cluster, h.cfg.service, h.cfg.method, initialMetadata, nil, h.cfg.timeout)
	if st != 0 {
		proxywasm.LogWarnf("%s: dispatch failed: %d", filterName, st)
		if err := proxywasm.AddHttpRequestHeader(statusHeader, "dispatch-failed"); err != nil {
			proxywasm.LogWarnf("%s: add %s failed: %v", filterName, statusHeader, err)
		}
		return types.ActionContinue
	}
	pending[token] = h
	h.token, h.wait = token, true
	return types.ActionPause
}

func (h *httpContext) OnHttpStreamDone() {
	h.done = true
	if h.wait {
		delete(pending, h.token)
		h.wait = false
	}
}

// complete reports the outcome on the originating request and resumes it.
func complete(token uint32, grpcStatus uint32, message []byte, haveMessage bool) {
	h, ok := pending[token]
	if !ok {
		return
	}
	delete(pending, token)
	h.wait = false
	if h.done {
		return
	}
	if err := proxywasm.SetEffectiveContext(h.id); err != nil {
		proxywasm.LogWarnf("%s: set effective context %d failed: %v", filterName, h.id, err)
		return
	}
	if err := proxywasm.AddHttpRequestHeader(statusHeader, strconv.FormatUint(uint64(grpcStatus), 10)); err != nil {
		proxywasm.LogWarnf("%s: add %s failed: %v", filterName, statusHeader, err)
	}
	if haveMessage {
		if err := proxywasm.AddHttpRequestHeader(messageHeader, hex.EncodeToString(message)); err != nil {
			proxywasm.LogWarnf("%s: add %s failed: %v", filterName, messageHeader, err)
		}
	}
	if err := proxywasm.ResumeHttpRequest(); err != nil {
		proxywasm.LogWarnf("%s: resume failed: %v", filterName, err)
	}
}

// onGrpcReceive handles the response message of a unary call: the call succeeded (status 0).
func onGrpcReceive(token, messageSize uint32) {
	if _, ok := pending[token]; !ok {
		return
	}
	var message []byte
	if messageSize > 0 {
		m, st := grpcMessage(messageSize)
		if st != 0 {
			proxywasm.LogWarnf("%s: reading the gRPC message failed: %d", filterName, st)
		}
		message = m
	}
	complete(token, 0, message, len(message) > 0)
}

// onGrpcClose handles a call that ended without a message (a failure, or a host that
// closes after the message: then the token is already gone and nothing happens).
func onGrpcClose(token, grpcStatus uint32) {
	complete(token, grpcStatus, nil, false)
}

//export proxy_on_grpc_receive_initial_metadata
func proxyOnGrpcReceiveInitialMetadata(rootContextID, token, numElements uint32) {}

//export proxy_on_grpc_receive
func proxyOnGrpcReceive(rootContextID, token, messageSize uint32) {
	onGrpcReceive(token, messageSize)
}

//export proxy_on_grpc_receive_trailing_metadata
func proxyOnGrpcReceiveTrailingMetadata(rootContextID, token, numElements uint32) {}

//export proxy_on_grpc_close
func proxyOnGrpcClose(rootContextID, token, grpcStatus uint32) {
	onGrpcClose(token, grpcStatus)
}
