package main

// Parsing and validation of the probe scenario (PROBE.md "Plugin configuration", "Steps").
// Pure Go: no host calls, so it is tested natively.

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

type argKind int

const (
	argInt argKind = iota
	argBytes
	argVar
	argOutU32
	argOutU64
	argOutData
	argOutU32Flags
	argOutCodeData
)

var outKinds = map[string]argKind{
	"u32": argOutU32, "u64": argOutU64, "data": argOutData, "u32+flags": argOutU32Flags, "code+data": argOutCodeData,
}

type arg struct {
	kind  argKind
	num   uint64 // argInt
	bytes []byte // argBytes: str, hex, pairs (serialized), path (joined)
	name  string // argVar
}

// wasmTypes is what the argument expands to; "v" means one integer of either width.
func (a *arg) width() int {
	switch a.kind {
	case argBytes, argOutData, argOutU32Flags:
		return 2
	case argOutCodeData:
		return 3
	default:
		return 1
	}
}

// pointerLike reports whether every wasm value of the argument is an i32 pointer or length.
func (a *arg) pointerLike() bool { return a.kind != argInt && a.kind != argVar }

func (a *arg) isOut() bool { return a.kind >= argOutU32 }

type stepKind int

const (
	stepCall stepKind = iota
	stepReport
	stepTrap
	stepSpin
)

type step struct {
	kind   stepKind
	fn     *hostFunc
	args   []arg
	save   string
	report string
	status uint32
	name   string
	trap   string
	spin   int64
}

type entry struct {
	steps  []step
	action uint32
	result uint32
	once   bool
}

type config struct {
	callbacks map[string]*entry
	trace     bool
}

func emptyConfig() *config { return &config{callbacks: map[string]*entry{}} }

func isCallback(name string) bool {
	for _, n := range callbackNames {
		if n == name {
			return true
		}
	}
	return false
}

// parseConfig parses a configuration. The error text is what follows "probe: bad config: ".
func parseConfig(data []byte) (*config, error) {
	cfg := emptyConfig()
	if len(bytes.TrimSpace(data)) == 0 {
		return cfg, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("not valid JSON: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("not valid JSON: trailing data")
	}
	root, ok := doc.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("must be a JSON object")
	}
	if v, ok := root["trace"]; ok {
		b, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("trace: must be a boolean")
		}
		cfg.trace = b
	}
	cbs, present := root["callbacks"]
	if !present {
		return cfg, nil
	}
	obj, ok := cbs.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("callbacks: must be an object")
	}
	names := make([]string, 0, len(obj))
	for name := range obj {
		if !isCallback(name) {
			return nil, fmt.Errorf("callbacks: unknown callback %s", name)
		}
		names = append(names, name)
	}
	// Validate in the canonical callback order so the reported error is deterministic.
	order := map[string]int{}
	for i, n := range callbackNames {
		order[n] = i
	}
	sort.Slice(names, func(i, j int) bool { return order[names[i]] < order[names[j]] })
	for _, name := range names {
		e, err := parseEntry(name, obj[name])
		if err != nil {
			return nil, err
		}
		cfg.callbacks[name] = e
	}
	return cfg, nil
}

func parseEntry(name string, v any) (*entry, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("callbacks.%s: must be an object", name)
	}
	e := &entry{action: 0, result: 1}
	if a, ok := obj["action"]; ok {
		n, ok := int32Value(a)
		if !ok {
			return nil, fmt.Errorf("callbacks.%s.action: must be an integer", name)
		}
		e.action = n
	}
	if r, ok := obj["result"]; ok {
		n, ok := int32Value(r)
		if !ok {
			return nil, fmt.Errorf("callbacks.%s.result: must be an integer", name)
		}
		e.result = n
	}
	if o, ok := obj["once"]; ok {
		b, ok := o.(bool)
		if !ok {
			return nil, fmt.Errorf("callbacks.%s.once: must be a boolean", name)
		}
		e.once = b
	}
	if s, ok := obj["steps"]; ok {
		arr, ok := s.([]any)
		if !ok {
			return nil, fmt.Errorf("callbacks.%s.steps: must be an array", name)
		}
		for n, sv := range arr {
			st, err := parseStep(sv)
			if err != nil {
				return nil, fmt.Errorf("step %d of %s: %v", n, name, err)
			}
			e.steps = append(e.steps, st)
		}
	}
	return e, nil
}

var allowedKeys = map[string][]string{
	"call":   {"call", "args", "save"},
	"report": {"report", "status", "name"},
	"trap":   {"trap"},
	"spin":   {"spin"},
}

func parseStep(v any) (step, error) {
	var st step
	obj, ok := v.(map[string]any)
	if !ok {
		return st, fmt.Errorf("must be an object")
	}
	var kinds []string
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
		if _, isKind := allowedKeys[k]; isKind {
			kinds = append(kinds, k)
		}
	}
	sort.Strings(keys)
	if len(kinds) != 1 {
		return st, fmt.Errorf("unknown step kind: want exactly one of call, report, trap, spin, got keys [%s]",
			strings.Join(keys, ", "))
	}
	kind := kinds[0]
	for _, k := range keys {
		allowed := false
		for _, a := range allowedKeys[kind] {
			allowed = allowed || a == k
		}
		if !allowed {
			return st, fmt.Errorf("unknown key %s in a %s step", k, kind)
		}
	}
	switch kind {
	case "call":
		return parseCall(obj)
	case "report":
		st.kind = stepReport
		r, ok := obj["report"].(string)
		if !ok {
			return st, fmt.Errorf("report must be a string")
		}
		known := false
		for _, n := range reportNames {
			known = known || n == r
		}
		if !known {
			return st, fmt.Errorf("unknown report %s", r)
		}
		st.report = r
		st.status = 200
		if s, ok := obj["status"]; ok {
			n, ok := int32Value(s)
			if !ok {
				return st, fmt.Errorf("status must be an integer")
			}
			st.status = n
		}
		st.name = "x-pwtck-probe"
		if s, ok := obj["name"]; ok {
			name, ok := s.(string)
			if !ok {
				return st, fmt.Errorf("name must be a string")
			}
			st.name = name
		}
		return st, nil
	case "trap":
		st.kind = stepTrap
		t, ok := obj["trap"].(string)
		if !ok {
			return st, fmt.Errorf("trap must be a string")
		}
		if t != "unreachable" && t != "oom" {
			return st, fmt.Errorf("unknown trap %s", t)
		}
		st.trap = t
		return st, nil
	default: // spin
		st.kind = stepSpin
		n, ok := obj["spin"].(json.Number)
		var ms int64
		var err error
		if ok {
			ms, err = strconv.ParseInt(string(n), 10, 64)
		}
		if !ok || err != nil || ms < -1 {
			return st, fmt.Errorf("spin must be an integer of milliseconds >= 0, or -1")
		}
		st.spin = ms
		return st, nil
	}
}

func parseCall(obj map[string]any) (step, error) {
	st := step{kind: stepCall}
	name, ok := obj["call"].(string)
	if !ok {
		return st, fmt.Errorf("call must be a string")
	}
	fn, ok := hostFuncByName[name]
	if !ok {
		return st, fmt.Errorf("unknown call %s", name)
	}
	st.fn = fn
	if a, ok := obj["args"]; ok {
		arr, ok := a.([]any)
		if !ok {
			return st, fmt.Errorf("args must be an array")
		}
		for k, av := range arr {
			parsed, err := parseArg(av)
			if err != nil {
				return st, fmt.Errorf("arg %d: %v", k, err)
			}
			st.args = append(st.args, parsed)
		}
	}
	got := 0
	for _, a := range st.args {
		got += a.width()
	}
	if got != len(fn.params) {
		return st, fmt.Errorf("args do not match %s (want %d wasm args, got %d)", name, len(fn.params), got)
	}
	pos := 0
	for k := range st.args {
		a := &st.args[k]
		for j := 0; j < a.width(); j++ {
			if a.pointerLike() && fn.params[pos+j] == i64 {
				return st, fmt.Errorf("args do not match %s (arg %d expands to i32 pointers where the signature has i64)", name, k)
			}
		}
		pos += a.width()
	}
	if s, ok := obj["save"]; ok {
		name, ok := s.(string)
		if !ok {
			return st, fmt.Errorf("save must be a string")
		}
		st.save = name
		savable := false
		for _, a := range st.args {
			switch a.kind {
			case argOutU32, argOutU64, argOutU32Flags, argOutCodeData:
				savable = true
			}
		}
		if !savable {
			return st, fmt.Errorf("save needs a u32 or u64 out")
		}
	}
	return st, nil
}

const argForms = "must be an integer or an object with one key of str, hex, pairs, path, var, out"

func parseArg(v any) (arg, error) {
	if n, ok := v.(json.Number); ok {
		u, ok := uint64Value(n)
		if !ok {
			return arg{}, fmt.Errorf("integer out of range (-2^63 .. 2^64-1)")
		}
		return arg{kind: argInt, num: u}, nil
	}
	obj, ok := v.(map[string]any)
	if !ok || len(obj) != 1 {
		return arg{}, fmt.Errorf("%s", argForms)
	}
	for key, val := range obj {
		switch key {
		case "str":
			s, ok := val.(string)
			if !ok {
				return arg{}, fmt.Errorf("str must be a string")
			}
			return arg{kind: argBytes, bytes: []byte(s)}, nil
		case "hex":
			s, ok := val.(string)
			if !ok {
				return arg{}, fmt.Errorf("hex must be a string")
			}
			b, err := hex.DecodeString(s)
			if err != nil {
				return arg{}, fmt.Errorf("hex must be an even number of hex digits")
			}
			return arg{kind: argBytes, bytes: b}, nil
		case "pairs":
			const reason = "pairs must be an array of [key, value] strings"
			items, ok := val.([]any)
			if !ok {
				return arg{}, fmt.Errorf(reason)
			}
			pairs := make([][2]string, 0, len(items))
			for _, it := range items {
				p, ok := it.([]any)
				if !ok || len(p) != 2 {
					return arg{}, fmt.Errorf(reason)
				}
				k, ok1 := p[0].(string)
				v, ok2 := p[1].(string)
				if !ok1 || !ok2 {
					return arg{}, fmt.Errorf(reason)
				}
				pairs = append(pairs, [2]string{k, v})
			}
			return arg{kind: argBytes, bytes: serializePairs(pairs)}, nil
		case "path":
			items, ok := val.([]any)
			if !ok {
				return arg{}, fmt.Errorf("path must be an array of strings")
			}
			segs := make([]string, 0, len(items))
			for _, it := range items {
				s, ok := it.(string)
				if !ok {
					return arg{}, fmt.Errorf("path must be an array of strings")
				}
				segs = append(segs, s)
			}
			return arg{kind: argBytes, bytes: []byte(strings.Join(segs, "\x00"))}, nil
		case "var":
			s, ok := val.(string)
			if !ok {
				return arg{}, fmt.Errorf("var must be a string")
			}
			return arg{kind: argVar, name: s}, nil
		case "out":
			s, ok := val.(string)
			if !ok {
				return arg{}, fmt.Errorf("out must be a string")
			}
			k, ok := outKinds[s]
			if !ok {
				return arg{}, fmt.Errorf("unknown out kind %s", s)
			}
			return arg{kind: k}, nil
		}
	}
	return arg{}, fmt.Errorf("%s", argForms)
}

// uint64Value accepts integers from -2^63 to 2^64-1 (negatives as two's complement).
func uint64Value(n json.Number) (uint64, bool) {
	s := string(n)
	if strings.HasPrefix(s, "-") {
		i, err := strconv.ParseInt(s, 10, 64)
		return uint64(i), err == nil
	}
	u, err := strconv.ParseUint(s, 10, 64)
	return u, err == nil
}

// int32Value accepts an integer that fits in 32 bits, signed or unsigned (low 32 bits kept).
func int32Value(v any) (uint32, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	u, ok := uint64Value(n)
	if !ok {
		return 0, false
	}
	i := int64(u)
	if strings.HasPrefix(string(n), "-") {
		if i < -(1 << 31) {
			return 0, false
		}
	} else if u > 1<<32-1 {
		return 0, false
	}
	return uint32(u), true
}

// serializePairs encodes a map in the pairs format of ABI.md §1.4.
func serializePairs(pairs [][2]string) []byte {
	out := binary.LittleEndian.AppendUint32(nil, uint32(len(pairs)))
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
