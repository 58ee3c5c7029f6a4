package main

// The probe at run time: exported callbacks, allocator, per-context state and the step
// runner. No SDK is used: the callbacks are exported with //export (TinyGo 0.33 has no //go:wasmexport) and every host call
// goes through a raw import (hostcalls_wasm.go), so statuses come back unchanged.

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"runtime"
	"strconv"
)

const (
	resultsKey  = "pwtck.probe.results"
	traceKey    = "pwtck.probe.trace"
	dumpHeader  = "x-pwtck-probe-dump"
	casAttempts = 100 // attempts to append to a shared-data array before giving up

	logInfo  = 2
	logError = 4

	slotSize = 16
	sentinel = 0xA5
)

type contextState struct {
	id      uint32
	root    uint32 // own id for root contexts
	isRoot  bool
	records []*record
	trace   []traceEntry
}

var (
	contexts = map[uint32]*contextState{}
	// rootConfigs holds each root context's plugin configuration (nil until on_configure).
	rootConfigs = map[uint32]*config{}
	// vmConfig is the VM configuration; only its on_vm_start entry is used.
	vmConfig *config
	lastRoot uint32
	saved    = map[string]uint64{}
	onceRan  = map[string]bool{}
	// tokens maps an http/grpc call token to the stream context that made the call (0 = root).
	tokens = map[uint32]uint32{}
	// pinned keeps the buffers the host allocated through proxy_on_memory_allocate alive
	// until the probe has read them.
	pinned [][]byte
	// oomHold keeps the allocations of {"trap": "oom"}.
	oomHold [][]byte
)

func main() {}

//export proxy_abi_version_0_2_0
func proxyABIVersion() {}

//export proxy_on_memory_allocate
func proxyOnMemoryAllocate(size uint32) uint32 {
	n := size
	if n == 0 {
		n = 1
	}
	buf := make([]byte, n)
	pinned = append(pinned, buf)
	return addr(buf)
}

func unpin() { pinned = nil }

func contextFor(id uint32) *contextState {
	if c, ok := contexts[id]; ok {
		return c
	}
	// A context the host never created: attach it to the most recent root.
	c := &contextState{id: id, root: lastRoot}
	contexts[id] = c
	return c
}

func configFor(c *contextState) *config {
	if cfg := rootConfigs[c.root]; cfg != nil {
		return cfg
	}
	return emptyConfig()
}

// invocation is one callback call in progress.
type invocation struct {
	name  string
	ctx   *contextState
	args  []uint32
	vars  map[string]uint64
	rec   *record
	entry *entry
}

func begin(name string, ctxID uint32, args ...uint32) *invocation {
	c := contextFor(ctxID)
	c.trace = append(c.trace, traceEntry{Callback: name, ContextID: ctxID, Args: args})
	inv := &invocation{name: name, ctx: c, args: args, vars: map[string]uint64{
		"context_id":      uint64(ctxID),
		"root_context_id": uint64(c.root),
	}}
	return inv
}

// run executes the configured steps of the callback (cfg may be nil: no steps).
func (inv *invocation) run(cfg *config) {
	defer unpin()
	if cfg == nil {
		return
	}
	e := cfg.callbacks[inv.name]
	inv.entry = e
	if e == nil {
		return
	}
	if e.once {
		if onceRan[inv.name] {
			return
		}
		onceRan[inv.name] = true
	}
	inv.rec = &record{Callback: inv.name, ContextID: inv.ctx.id, Args: inv.args, Results: []any{}}
	inv.ctx.records = append(inv.ctx.records, inv.rec)
	for i := range e.steps {
		inv.runStep(i, &e.steps[i])
		unpin()
	}
}

func (inv *invocation) action() uint32 {
	if inv.entry != nil {
		return inv.entry.action
	}
	return 0
}

func (inv *invocation) result() uint32 {
	if inv.entry != nil {
		return inv.entry.result
	}
	return 1
}

func (inv *invocation) runStep(i int, st *step) {
	switch st.kind {
	case stepCall:
		inv.rec.Results = append(inv.rec.Results, inv.call(i, st))
	case stepReport:
		inv.report(st)
	case stepTrap:
		if st.trap == "oom" {
			for {
				oomHold = append(oomHold, make([]byte, 1<<20))
			}
		}
		panic("probe: trap unreachable")
	case stepSpin:
		spin(st.spin)
	}
}

func spin(ms int64) {
	start := monotonicNanos()
	for ms < 0 || monotonicNanos()-start < uint64(ms)*1_000_000 {
	}
}

func newSlot() []byte {
	s := make([]byte, slotSize)
	for i := range s {
		s[i] = sentinel
	}
	return s
}

func u32At(b []byte) uint32 { return binary.LittleEndian.Uint32(b) }

func dataOut(ptrSlot, sizeSlot []byte) (uint32, uint32, *string) {
	ptr, size := u32At(ptrSlot), u32At(sizeSlot)
	if b, ok := readMemory(ptr, size); ok {
		h := hex.EncodeToString(b)
		return ptr, size, &h
	}
	return ptr, size, nil
}

func isTokenCall(name string) bool {
	return name == "proxy_http_call" || name == "proxy_grpc_call" || name == "proxy_grpc_stream"
}

func (inv *invocation) call(i int, st *step) any {
	name := st.fn.name
	if !st.fn.imported {
		return errorResult{Step: i, Call: name, Error: "not imported by this probe"}
	}
	var wasm []uint64
	var keep [][]byte // every buffer handed to the host, alive until after the call
	var slots [][][]byte
	for _, a := range st.args {
		switch a.kind {
		case argInt:
			wasm = append(wasm, a.num)
		case argBytes:
			buf := make([]byte, len(a.bytes)+1) // never empty, so it has an address
			copy(buf, a.bytes)
			keep = append(keep, buf)
			wasm = append(wasm, uint64(addr(buf)), uint64(len(a.bytes)))
		case argVar:
			v, ok := saved[a.name]
			if !ok {
				v, ok = inv.vars[a.name]
			}
			if !ok {
				return errorResult{Step: i, Call: name, Error: "unknown var " + a.name}
			}
			wasm = append(wasm, v)
		default:
			n := map[argKind]int{argOutU32: 1, argOutU64: 1, argOutData: 2, argOutU32Flags: 2, argOutCodeData: 3}[a.kind]
			group := make([][]byte, n)
			for j := range group {
				group[j] = newSlot()
				keep = append(keep, group[j])
				wasm = append(wasm, uint64(addr(group[j])))
			}
			slots = append(slots, group)
		}
	}
	status := callHost(name, wasm)
	runtime.KeepAlive(keep)

	outs := []any{}
	k := 0
	for _, a := range st.args {
		if !a.isOut() {
			continue
		}
		g := slots[k]
		k++
		switch a.kind {
		case argOutU32:
			outs = append(outs, outU32{Kind: "u32", Value: u32At(g[0]), Slot: hex.EncodeToString(g[0])})
		case argOutU64:
			v := binary.LittleEndian.Uint64(g[0])
			outs = append(outs, outU64{Kind: "u64", Value: strconv.FormatUint(v, 10), Slot: hex.EncodeToString(g[0])})
		case argOutData:
			ptr, size, h := dataOut(g[0], g[1])
			outs = append(outs, outData{Kind: "data", Ptr: ptr, Size: size, Hex: h,
				Slot: hex.EncodeToString(g[0]), SizeSlot: hex.EncodeToString(g[1])})
		case argOutU32Flags:
			outs = append(outs, outU32Flags{Kind: "u32+flags", Value: u32At(g[0]), Flags: u32At(g[1]),
				Slot: hex.EncodeToString(g[0]), FlagsSlot: hex.EncodeToString(g[1])})
		case argOutCodeData:
			ptr, size, h := dataOut(g[1], g[2])
			outs = append(outs, outCodeData{Kind: "code+data", Code: u32At(g[0]), Ptr: ptr, Size: size, Hex: h,
				Slot: hex.EncodeToString(g[0]), PtrSlot: hex.EncodeToString(g[1]), SizeSlot: hex.EncodeToString(g[2])})
		}
	}

	// save: the first u32 or u64 out in argument order, skipping data outs
	// (docs/filters/PROBE.md); u32+flags and code+data save their first 4-byte value.
	if st.save != "" {
		k := 0
	saving:
		for _, a := range st.args {
			if !a.isOut() {
				continue
			}
			g := slots[k]
			k++
			switch a.kind {
			case argOutU32, argOutU32Flags, argOutCodeData:
				saved[st.save] = uint64(u32At(g[0]))
				break saving
			case argOutU64:
				saved[st.save] = binary.LittleEndian.Uint64(g[0])
				break saving
			}
		}
	}
	// Remember call tokens so that origin_context_id works in the response callbacks.
	if isTokenCall(name) && status == 0 {
		k := 0
		for _, a := range st.args {
			if !a.isOut() {
				continue
			}
			if a.kind == argOutU32 {
				origin := inv.ctx.id
				if inv.ctx.isRoot {
					origin = 0
				}
				tokens[u32At(slots[k][0])] = origin
				break
			}
			k++
		}
	}
	return callResult{Step: i, Call: name, Status: status, Outs: outs}
}

// ---------------------------------------------------------------------------------------
// Small host-call helpers for the probe's own calls (reports, configuration, dump).

func bytesArg(b []byte) (buf []byte, ptr, size uint64) {
	buf = make([]byte, len(b)+1)
	copy(buf, b)
	return buf, uint64(addr(buf)), uint64(len(b))
}

func hostLog(level uint32, msg string) {
	buf, p, n := bytesArg([]byte(msg))
	callHost("proxy_log", []uint64{uint64(level), p, n})
	runtime.KeepAlive(buf)
}

// getBytes calls a host function whose last two parameters are a data out; it returns the
// status and the data (nil when the host returned no readable data).
func getBytes(name string, lead []uint64) (int32, []byte) {
	ptrSlot, sizeSlot := newSlot(), newSlot()
	args := append(append([]uint64{}, lead...), uint64(addr(ptrSlot)), uint64(addr(sizeSlot)))
	st := callHost(name, args)
	runtime.KeepAlive(ptrSlot)
	runtime.KeepAlive(sizeSlot)
	if st != 0 {
		return st, nil
	}
	ptr, size := u32At(ptrSlot), u32At(sizeSlot)
	if ptr == 0 {
		return st, nil
	}
	b, _ := readMemory(ptr, size)
	return st, b
}

func readBuffer(bufferType, size uint32) (int32, []byte) {
	return getBytes("proxy_get_buffer_bytes", []uint64{uint64(bufferType), 0, uint64(size)})
}

func getSharedData(key string) (int32, []byte, uint32) {
	keyBuf, kp, kn := bytesArg([]byte(key))
	ptrSlot, sizeSlot, casSlot := newSlot(), newSlot(), newSlot()
	st := callHost("proxy_get_shared_data", []uint64{kp, kn, uint64(addr(ptrSlot)), uint64(addr(sizeSlot)), uint64(addr(casSlot))})
	runtime.KeepAlive(keyBuf)
	runtime.KeepAlive(ptrSlot)
	runtime.KeepAlive(sizeSlot)
	runtime.KeepAlive(casSlot)
	if st != 0 {
		return st, nil, 0
	}
	var value []byte
	if ptr := u32At(ptrSlot); ptr != 0 {
		value, _ = readMemory(ptr, u32At(sizeSlot))
	}
	return st, value, u32At(casSlot)
}

func setSharedData(key string, value []byte, cas uint32) int32 {
	keyBuf, kp, kn := bytesArg([]byte(key))
	valBuf, vp, vn := bytesArg(value)
	st := callHost("proxy_set_shared_data", []uint64{kp, kn, vp, vn, uint64(cas)})
	runtime.KeepAlive(keyBuf)
	runtime.KeepAlive(valBuf)
	return st
}

// appendShared appends items to the JSON array under key, retrying on CAS mismatch.
func appendShared(key string, items []any) {
	for attempt := 0; attempt < casAttempts; attempt++ {
		st, existing, cas := getSharedData(key)
		switch st {
		case 0:
		case 1:
			existing, cas = nil, 0
		default:
			return
		}
		if setSharedData(key, appendToArray(existing, items), cas) != 8 {
			return
		}
		unpin()
	}
}

func sendLocalResponse(status uint32, body []byte) {
	details, dp, dn := bytesArg([]byte("pwtck_probe"))
	bodyBuf, bp, bn := bytesArg(body)
	headers, hp, hn := bytesArg(serializePairs([][2]string{{"content-type", "application/json"}}))
	callHost("proxy_send_local_response", []uint64{uint64(status), dp, dn, bp, bn, hp, hn, 0xFFFFFFFF})
	runtime.KeepAlive(details)
	runtime.KeepAlive(bodyBuf)
	runtime.KeepAlive(headers)
}

func addHeader(mapType uint32, name string, value []byte) {
	nameBuf, np, nn := bytesArg([]byte(name))
	valBuf, vp, vn := bytesArg(value)
	callHost("proxy_add_header_map_value", []uint64{uint64(mapType), np, nn, vp, vn})
	runtime.KeepAlive(nameBuf)
	runtime.KeepAlive(valBuf)
}

func (inv *invocation) report(st *step) {
	switch st.report {
	case "local_response":
		sendLocalResponse(st.status, resultsJSON(inv.ctx.records))
	case "header":
		addHeader(2, st.name, resultsJSON(inv.ctx.records))
	case "request_header":
		addHeader(0, st.name, resultsJSON(inv.ctx.records))
	case "shared_data":
		appendShared(resultsKey, []any{inv.rec})
	case "log":
		hostLog(logInfo, "probe: results "+string(resultsJSON(inv.ctx.records)))
	}
}

// dump answers x-pwtck-probe-dump requests; it reports whether it did.
func dump() bool {
	nameBuf, np, nn := bytesArg([]byte(dumpHeader))
	st, value := getBytes("proxy_get_header_map_value", []uint64{0, np, nn})
	runtime.KeepAlive(nameBuf)
	if st != 0 {
		return false
	}
	key := ""
	switch string(value) {
	case "1", "clear":
		key = resultsKey
	case "trace":
		key = traceKey
	default:
		return false
	}
	body := []byte("[]")
	if st, v, _ := getSharedData(key); st == 0 && len(v) > 0 {
		body = v
	}
	sendLocalResponse(200, body)
	if string(value) == "clear" {
		setSharedData(resultsKey, nil, 0)
	}
	return true
}

// flushTrace appends a context's trace to shared data when tracing is on, and empties it.
func flushTrace(c *contextState) {
	if configFor(c).trace && len(c.trace) > 0 {
		items := make([]any, len(c.trace))
		for i := range c.trace {
			items[i] = c.trace[i]
		}
		appendShared(traceKey, items)
	}
	c.trace = nil
}

// ---------------------------------------------------------------------------------------
// Exported callbacks.

//export proxy_on_context_create
func proxyOnContextCreate(contextID, parentID uint32) {
	c := contextFor(contextID)
	if parentID == 0 {
		c.root, c.isRoot = contextID, true
		lastRoot = contextID
	} else {
		c.root, c.isRoot = parentID, false
	}
	inv := begin("on_context_create", contextID, contextID, parentID)
	if parentID == 0 {
		unpin()
		return // steps run for stream contexts only
	}
	inv.run(configFor(c))
}

func configure(name string, ctxID uint32, bufferType, size uint32) (*config, bool) {
	if size == 0 {
		return emptyConfig(), true
	}
	st, data := readBuffer(bufferType, size)
	if st != 0 {
		hostLog(logError, fmt.Sprintf("probe: bad config: cannot read the %s (status %d)", name, st))
		return nil, false
	}
	cfg, err := parseConfig(data)
	if err != nil {
		hostLog(logError, "probe: bad config: "+err.Error())
		return nil, false
	}
	return cfg, true
}

//export proxy_on_vm_start
func proxyOnVMStart(rootID, vmConfigSize uint32) uint32 {
	inv := begin("on_vm_start", rootID, rootID, vmConfigSize)
	inv.vars["size"] = uint64(vmConfigSize)
	cfg, ok := configure("VM configuration", rootID, 6, vmConfigSize)
	if !ok {
		unpin()
		return 0
	}
	vmConfig = cfg
	inv.run(cfg)
	return inv.result()
}

//export proxy_on_configure
func proxyOnConfigure(rootID, configSize uint32) uint32 {
	inv := begin("on_configure", rootID, rootID, configSize)
	inv.vars["size"] = uint64(configSize)
	cfg, ok := configure("plugin configuration", rootID, 7, configSize)
	if !ok {
		rootConfigs[inv.ctx.root] = emptyConfig()
		unpin()
		return 0
	}
	rootConfigs[inv.ctx.root] = cfg
	inv.run(cfg)
	return inv.result()
}

//export proxy_on_tick
func proxyOnTick(rootID uint32) {
	inv := begin("on_tick", rootID, rootID)
	inv.run(configFor(inv.ctx))
	flushTrace(inv.ctx)
	unpin()
}

// stream runs a stream callback that returns an action.
func stream(name string, ctxID, size uint32, args ...uint32) uint32 {
	inv := begin(name, ctxID, append([]uint32{ctxID}, args...)...)
	inv.vars["size"] = uint64(size)
	inv.run(configFor(inv.ctx))
	return inv.action()
}

//export proxy_on_request_headers
func proxyOnRequestHeaders(ctxID, numHeaders, endOfStream uint32) uint32 {
	inv := begin("on_request_headers", ctxID, ctxID, numHeaders, endOfStream)
	inv.vars["size"] = uint64(numHeaders)
	if dump() {
		// Answered: the configured steps are skipped; the configured action still applies.
		unpin()
		inv.entry = configFor(inv.ctx).callbacks["on_request_headers"]
		return inv.action()
	}
	unpin()
	inv.run(configFor(inv.ctx))
	return inv.action()
}

//export proxy_on_request_body
func proxyOnRequestBody(ctxID, bodySize, endOfStream uint32) uint32 {
	return stream("on_request_body", ctxID, bodySize, bodySize, endOfStream)
}

//export proxy_on_request_trailers
func proxyOnRequestTrailers(ctxID, numTrailers uint32) uint32 {
	return stream("on_request_trailers", ctxID, numTrailers, numTrailers)
}

//export proxy_on_response_headers
func proxyOnResponseHeaders(ctxID, numHeaders, endOfStream uint32) uint32 {
	return stream("on_response_headers", ctxID, numHeaders, numHeaders, endOfStream)
}

//export proxy_on_response_body
func proxyOnResponseBody(ctxID, bodySize, endOfStream uint32) uint32 {
	return stream("on_response_body", ctxID, bodySize, bodySize, endOfStream)
}

//export proxy_on_response_trailers
func proxyOnResponseTrailers(ctxID, numTrailers uint32) uint32 {
	return stream("on_response_trailers", ctxID, numTrailers, numTrailers)
}

//export proxy_on_new_connection
func proxyOnNewConnection(ctxID uint32) uint32 {
	inv := begin("on_new_connection", ctxID, ctxID)
	inv.run(configFor(inv.ctx))
	return inv.action()
}

//export proxy_on_downstream_data
func proxyOnDownstreamData(ctxID, dataSize, endOfStream uint32) uint32 {
	return stream("on_downstream_data", ctxID, dataSize, dataSize, endOfStream)
}

//export proxy_on_upstream_data
func proxyOnUpstreamData(ctxID, dataSize, endOfStream uint32) uint32 {
	return stream("on_upstream_data", ctxID, dataSize, dataSize, endOfStream)
}

//export proxy_on_downstream_connection_close
func proxyOnDownstreamConnectionClose(ctxID, peerType uint32) {
	inv := begin("on_downstream_connection_close", ctxID, ctxID, peerType)
	inv.run(configFor(inv.ctx))
}

//export proxy_on_upstream_connection_close
func proxyOnUpstreamConnectionClose(ctxID, peerType uint32) {
	inv := begin("on_upstream_connection_close", ctxID, ctxID, peerType)
	inv.run(configFor(inv.ctx))
}

// callout runs on_http_call_response and the on_grpc_* callbacks (root context id first).
func callout(name string, rootID, token uint32, size *uint32, args ...uint32) {
	inv := begin(name, rootID, append([]uint32{rootID, token}, args...)...)
	inv.vars["token"] = uint64(token)
	inv.vars["origin_context_id"] = uint64(tokens[token])
	if size != nil {
		inv.vars["size"] = uint64(*size)
	}
	inv.run(configFor(inv.ctx))
}

//export proxy_on_http_call_response
func proxyOnHttpCallResponse(rootID, token, numHeaders, bodySize, numTrailers uint32) {
	callout("on_http_call_response", rootID, token, &bodySize, numHeaders, bodySize, numTrailers)
}

//export proxy_on_grpc_receive_initial_metadata
func proxyOnGrpcReceiveInitialMetadata(rootID, token, numElements uint32) {
	callout("on_grpc_receive_initial_metadata", rootID, token, &numElements, numElements)
}

//export proxy_on_grpc_receive
func proxyOnGrpcReceive(rootID, token, messageSize uint32) {
	callout("on_grpc_receive", rootID, token, &messageSize, messageSize)
}

//export proxy_on_grpc_receive_trailing_metadata
func proxyOnGrpcReceiveTrailingMetadata(rootID, token, numElements uint32) {
	callout("on_grpc_receive_trailing_metadata", rootID, token, &numElements, numElements)
}

//export proxy_on_grpc_close
func proxyOnGrpcClose(rootID, token, grpcStatus uint32) {
	callout("on_grpc_close", rootID, token, nil, grpcStatus)
}

//export proxy_on_queue_ready
func proxyOnQueueReady(rootID, queueID uint32) {
	inv := begin("on_queue_ready", rootID, rootID, queueID)
	inv.vars["queue_id"] = uint64(queueID)
	inv.run(configFor(inv.ctx))
	flushTrace(inv.ctx)
	unpin()
}

//export proxy_on_foreign_function
func proxyOnForeignFunction(rootID, functionID, argumentsSize uint32) {
	inv := begin("on_foreign_function", rootID, rootID, functionID, argumentsSize)
	inv.vars["function_id"] = uint64(functionID)
	inv.vars["size"] = uint64(argumentsSize)
	inv.run(configFor(inv.ctx))
}

//export proxy_on_log
func proxyOnLog(ctxID uint32) {
	inv := begin("on_log", ctxID, ctxID)
	inv.run(configFor(inv.ctx))
}

//export proxy_on_done
func proxyOnDone(ctxID uint32) uint32 {
	inv := begin("on_done", ctxID, ctxID)
	inv.run(configFor(inv.ctx))
	return inv.result()
}

//export proxy_on_delete
func proxyOnDelete(ctxID uint32) {
	inv := begin("on_delete", ctxID, ctxID)
	inv.run(configFor(inv.ctx))
	c := inv.ctx
	if !c.isRoot {
		flushTrace(c)
	}
	delete(contexts, ctxID)
	if c.isRoot {
		delete(rootConfigs, ctxID)
	}
	unpin()
}
