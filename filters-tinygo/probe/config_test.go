package main

import (
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

func mustParse(t *testing.T, s string) *config {
	t.Helper()
	cfg, err := parseConfig([]byte(s))
	if err != nil {
		t.Fatalf("parseConfig(%s): %v", s, err)
	}
	return cfg
}

func parseErr(t *testing.T, s string) string {
	t.Helper()
	_, err := parseConfig([]byte(s))
	if err == nil {
		t.Fatalf("parseConfig(%s): no error", s)
	}
	return err.Error()
}

func TestEmptyConfigs(t *testing.T) {
	for _, s := range []string{"", "  \n", "{}", `{"callbacks":{}}`} {
		cfg := mustParse(t, s)
		if len(cfg.callbacks) != 0 || cfg.trace {
			t.Errorf("%q: %+v", s, cfg)
		}
	}
	cfg := mustParse(t, `{"callbacks":{"on_configure":{}},"trace":true}`)
	e := cfg.callbacks["on_configure"]
	if e == nil || e.result != 1 || e.action != 0 || e.once || len(e.steps) != 0 || !cfg.trace {
		t.Errorf("defaults: %+v", e)
	}
}

func TestFullScenario(t *testing.T) {
	cfg := mustParse(t, `{"callbacks": {"on_request_headers": {"steps": [
		{"call": "proxy_get_header_map_value", "args": [0, {"str": ":path"}, {"out": "data"}]},
		{"call": "proxy_get_current_time_nanoseconds", "args": [{"out": "u64"}], "save": "now"},
		{"call": "wasi:clock_time_get", "args": [1, -1, {"out": "u64"}]},
		{"call": "proxy_increment_metric", "args": [{"var": "m"}, 18446744073709551615]},
		{"call": "proxy_get_property", "args": [{"path": ["request", "path"]}, {"out": "data"}]},
		{"call": "proxy_send_local_response", "args": [200, {"str": ""}, {"hex": "00ff"}, {"pairs": [["a", "b"]]}, 4294967295]},
		{"call": "proxy_get_buffer_status", "args": [0, {"out": "u32+flags"}]},
		{"call": "proxy_get_status", "args": [{"out": "code+data"}]},
		{"call": "proxy_get_log_level", "args": [{"out": "u32"}]},
		{"call": "proxy_done"},
		{"report": "local_response", "status": 503},
		{"report": "header"},
		{"report": "request_header", "name": "x-r"},
		{"report": "shared_data"}, {"report": "log"},
		{"trap": "unreachable"}, {"trap": "oom"},
		{"spin": 10}, {"spin": -1}
	], "action": 1, "once": true}}}`)
	e := cfg.callbacks["on_request_headers"]
	if e.action != 1 || !e.once || len(e.steps) != 19 {
		t.Fatalf("entry: %+v", e)
	}
	s0 := e.steps[0]
	if e.steps[1].save != "now" {
		t.Errorf("step 1 save: %+v", e.steps[1])
	}
	if s0.fn.name != "proxy_get_header_map_value" || s0.save != "" || len(s0.args) != 3 ||
		string(s0.args[1].bytes) != ":path" || s0.args[2].kind != argOutData {
		t.Errorf("step 0: %+v", s0)
	}
	if got := e.steps[2].args[1].num; got != ^uint64(0) {
		t.Errorf("-1 as i64: %x", got)
	}
	if got := e.steps[3].args[1].num; got != ^uint64(0) {
		t.Errorf("2^64-1: %x", got)
	}
	if got := string(e.steps[4].args[0].bytes); got != "request\x00path" {
		t.Errorf("path: %q", got)
	}
	if got := e.steps[5].args[3].bytes; !reflect.DeepEqual(got, []byte{1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 'a', 0, 'b', 0}) {
		t.Errorf("pairs: %v", got)
	}
	if got := e.steps[5].args[2].bytes; !reflect.DeepEqual(got, []byte{0, 0xff}) {
		t.Errorf("hex: %v", got)
	}
	if r := e.steps[10]; r.report != "local_response" || r.status != 503 {
		t.Errorf("report: %+v", r)
	}
	if r := e.steps[11]; r.status != 200 || r.name != "x-pwtck-probe" {
		t.Errorf("report defaults: %+v", r)
	}
	if e.steps[18].spin != -1 || e.steps[16].trap != "oom" {
		t.Errorf("trap/spin: %+v %+v", e.steps[16], e.steps[18])
	}
}

func TestStepErrors(t *testing.T) {
	cases := map[string]string{
		`{"callbacks": {"on_configure": {"steps": [{"report": "log"}, {"bogus": 1}]}}}`:                                                   "step 1 of on_configure: unknown step kind: want exactly one of call, report, trap, spin, got keys [bogus]",
		`{"callbacks": {"on_tick": {"steps": [{"call": "proxy_done", "trap": "oom"}]}}}`:                                                  "step 0 of on_tick: unknown step kind: want exactly one of call, report, trap, spin, got keys [call, trap]",
		`{"callbacks": {"on_tick": {"steps": [{}]}}}`:                                                                                     "step 0 of on_tick: unknown step kind: want exactly one of call, report, trap, spin, got keys []",
		`{"callbacks": {"on_tick": {"steps": [7]}}}`:                                                                                      "step 0 of on_tick: must be an object",
		`{"callbacks": {"on_tick": {"steps": [{"call": "proxy_done", "foo": 1}]}}}`:                                                       "step 0 of on_tick: unknown key foo in a call step",
		`{"callbacks": {"on_tick": {"steps": [{"report": "log", "save": "x"}]}}}`:                                                         "step 0 of on_tick: unknown key save in a report step",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_log", "args": [2, {"str": "x"}, 1]}]}}}`:                                     "step 0 of on_log: args do not match proxy_log (want 3 wasm args, got 4)",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_get_status", "args": [{"out": "data"}]}]}}}`:                                 "step 0 of on_log: args do not match proxy_get_status (want 3 wasm args, got 2)",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_record_metric", "args": [1, {"out": "u32"}]}]}}}`:                            "step 0 of on_log: args do not match proxy_record_metric (arg 1 expands to i32 pointers where the signature has i64)",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_nope"}]}}}`:                                                                  "step 0 of on_log: unknown call proxy_nope",
		`{"callbacks": {"on_log": {"steps": [{"call": "wasi:fd_read"}]}}}`:                                                                "step 0 of on_log: unknown call wasi:fd_read",
		`{"callbacks": {"on_log": {"steps": [{"call": 3}]}}}`:                                                                             "step 0 of on_log: call must be a string",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_done", "args": [{"out": "u16"}]}]}}}`:                                        "step 0 of on_log: arg 0: unknown out kind u16",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_done", "args": {}}]}}}`:                                                      "step 0 of on_log: args must be an array",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_grpc_cancel", "args": [1.5]}]}}}`:                                            "step 0 of on_log: arg 0: integer out of range (-2^63 .. 2^64-1)",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_grpc_cancel", "args": [18446744073709551616]}]}}}`:                           "step 0 of on_log: arg 0: integer out of range (-2^63 .. 2^64-1)",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_grpc_cancel", "args": ["x"]}]}}}`:                                            "step 0 of on_log: arg 0: " + argForms,
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_grpc_cancel", "args": [{"str": "a", "hex": "00"}]}]}}}`:                      "step 0 of on_log: arg 0: " + argForms,
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_log", "args": [1, {"hex": "0"}]}]}}}`:                                        "step 0 of on_log: arg 1: hex must be an even number of hex digits",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_log", "args": [1, {"pairs": [["a"]]}]}]}}}`:                                  "step 0 of on_log: arg 1: pairs must be an array of [key, value] strings",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_log", "args": [1, {"path": "a"}]}]}}}`:                                       "step 0 of on_log: arg 1: path must be an array of strings",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_grpc_cancel", "args": [{"var": 1}]}]}}}`:                                     "step 0 of on_log: arg 0: var must be a string",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_done", "save": 1}]}}}`:                                                       "step 0 of on_log: save must be a string",
		`{"callbacks": {"on_log": {"steps": [{"call": "proxy_get_property", "args": [{"path": ["a"]}, {"out": "data"}], "save": "x"}]}}}`: "step 0 of on_log: save needs a u32 or u64 out",
		`{"callbacks": {"on_log": {"steps": [{"report": "nope"}]}}}`:                                                                      "step 0 of on_log: unknown report nope",
		`{"callbacks": {"on_log": {"steps": [{"report": "log", "status": "x"}]}}}`:                                                        "step 0 of on_log: status must be an integer",
		`{"callbacks": {"on_log": {"steps": [{"trap": "segv"}]}}}`:                                                                        "step 0 of on_log: unknown trap segv",
		`{"callbacks": {"on_log": {"steps": [{"spin": -2}]}}}`:                                                                            "step 0 of on_log: spin must be an integer of milliseconds >= 0, or -1",
		`{"callbacks": {"on_bogus": {}}}`:                                                                                                 "callbacks: unknown callback on_bogus",
		`{"callbacks": []}`:                                                                                                               "callbacks: must be an object",
		`{"callbacks": {"on_log": {"steps": {}}}}`:                                                                                        "callbacks.on_log.steps: must be an array",
		`{"callbacks": {"on_log": {"action": "1"}}}`:                                                                                      "callbacks.on_log.action: must be an integer",
		`{"callbacks": {"on_done": {"result": 4294967296}}}`:                                                                              "callbacks.on_done.result: must be an integer",
		`{"callbacks": {"on_log": {"once": 1}}}`:                                                                                          "callbacks.on_log.once: must be a boolean",
		`{"trace": "yes"}`:                                                                                                                "trace: must be a boolean",
		`[]`:                                                                                                                              "must be a JSON object",
	}
	for in, want := range cases {
		if got := parseErr(t, in); got != want {
			t.Errorf("%s\n got: %s\nwant: %s", in, got, want)
		}
	}
	if got := parseErr(t, `{`); !strings.HasPrefix(got, "not valid JSON") {
		t.Errorf("bad JSON: %s", got)
	}
}

func TestErrorNamesFirstBadCallbackInCanonicalOrder(t *testing.T) {
	got := parseErr(t, `{"callbacks": {"on_delete": {"steps": [{"x": 1}]}, "on_vm_start": {"steps": [{"call": "p"}]}}}`)
	if want := "step 0 of on_vm_start: unknown call p"; got != want {
		t.Errorf("got %s want %s", got, want)
	}
}

func TestIntegerWidths(t *testing.T) {
	cfg := mustParse(t, `{"callbacks": {"on_done": {"result": -1}, "on_log": {"steps": [
		{"call": "proxy_set_tick_period_milliseconds", "args": [-1]},
		{"call": "proxy_set_tick_period_milliseconds", "args": [-9223372036854775808]}]}}}`)
	if cfg.callbacks["on_done"].result != 0xFFFFFFFF {
		t.Errorf("result -1: %x", cfg.callbacks["on_done"].result)
	}
	if got := cfg.callbacks["on_log"].steps[1].args[0].num; got != 1<<63 {
		t.Errorf("min int64: %x", got)
	}
}

func TestSignaturesCoverTheAbi(t *testing.T) {
	// 36 common functions + proxy_continue_stream + proxy_close_stream are imported;
	// proxy_get_log_level is known but not imported.
	proxy, imported := 0, 0
	for _, f := range hostFuncs {
		if strings.HasPrefix(f.name, "proxy_") {
			proxy++
			if f.imported {
				imported++
			}
		}
	}
	if proxy != 39 || imported != 38 || hostFuncByName["proxy_get_log_level"].imported {
		t.Errorf("proxy functions %d, imported %d", proxy, imported)
	}
}

func TestCapabilitiesFileMatchesCode(t *testing.T) {
	data, err := os.ReadFile("capabilities.json")
	if err != nil {
		t.Fatal(err)
	}
	var caps map[string][]string
	if err := json.Unmarshal(data, &caps); err != nil {
		t.Fatal(err)
	}
	var calls []string
	for _, f := range hostFuncs {
		if f.imported {
			calls = append(calls, f.name)
		}
	}
	want := map[string][]string{
		"calls": calls, "args": argKindNames, "reports": reportNames, "callbacks": callbackNames, "steps": stepNames,
	}
	if !reflect.DeepEqual(caps, want) {
		t.Errorf("capabilities.json differs from the code:\n got %v\nwant %v", caps, want)
	}
}

func TestResultsJSON(t *testing.T) {
	h := "2f"
	rec := &record{Callback: "on_request_headers", ContextID: 2, Args: []uint32{2, 5, 1}, Results: []any{
		callResult{Step: 0, Call: "proxy_get_header_map_value", Status: 0, Outs: []any{
			outData{Kind: "data", Ptr: 1234, Size: 1, Hex: &h, Slot: "d2040000a5a5a5a5a5a5a5a5a5a5a5a5", SizeSlot: "01000000a5a5a5a5a5a5a5a5a5a5a5a5"}}},
		callResult{Step: 1, Call: "proxy_done", Status: -1, Outs: []any{}},
		errorResult{Step: 2, Call: "proxy_log", Error: "unknown var <x>"},
	}}
	got := string(resultsJSON([]*record{rec}))
	want := `{"probe":"tinygo","records":[{"callback":"on_request_headers","context_id":2,"args":[2,5,1],"results":[` +
		`{"step":0,"call":"proxy_get_header_map_value","status":0,"outs":[{"kind":"data","ptr":1234,"size":1,"hex":"2f","slot":"d2040000a5a5a5a5a5a5a5a5a5a5a5a5","size_slot":"01000000a5a5a5a5a5a5a5a5a5a5a5a5"}]},` +
		`{"step":1,"call":"proxy_done","status":-1,"outs":[]},` +
		`{"step":2,"call":"proxy_log","error":"unknown var <x>"}]}]}`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := string(resultsJSON(nil)); got != `{"probe":"tinygo","records":[]}` {
		t.Errorf("empty: %s", got)
	}
	if got := string(marshal(outU64{Kind: "u64", Value: "18446744073709551615", Slot: "ff"})); got != `{"kind":"u64","value":"18446744073709551615","slot":"ff"}` {
		t.Errorf("u64: %s", got)
	}
}

func TestAppendToArray(t *testing.T) {
	item := map[string]int{"a": 1}
	for in, want := range map[string]string{
		"":          `[{"a":1}]`,
		"garbage":   `[{"a":1}]`,
		"[]":        `[{"a":1}]`,
		`[{"b":2}]`: `[{"b":2},{"a":1}]`,
	} {
		if got := string(appendToArray([]byte(in), []any{item})); got != want {
			t.Errorf("%q: got %s want %s", in, got, want)
		}
	}
}
