package main

// The results JSON (PROBE.md "Results JSON") and the shared-data array helpers.

import (
	"bytes"
	"encoding/json"
)

const probeLanguage = "tinygo"

type record struct {
	Callback  string   `json:"callback"`
	ContextID uint32   `json:"context_id"`
	Args      []uint32 `json:"args"`
	Results   []any    `json:"results"`
}

type traceEntry struct {
	Callback  string   `json:"callback"`
	ContextID uint32   `json:"context_id"`
	Args      []uint32 `json:"args"`
}

type callResult struct {
	Step   int    `json:"step"`
	Call   string `json:"call"`
	Status int32  `json:"status"`
	Outs   []any  `json:"outs"`
}

type errorResult struct {
	Step  int    `json:"step"`
	Call  string `json:"call"`
	Error string `json:"error"`
}

type outU32 struct {
	Kind  string `json:"kind"`
	Value uint32 `json:"value"`
	Slot  string `json:"slot"`
}

type outU64 struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
	Slot  string `json:"slot"`
}

type outData struct {
	Kind     string  `json:"kind"`
	Ptr      uint32  `json:"ptr"`
	Size     uint32  `json:"size"`
	Hex      *string `json:"hex,omitempty"`
	Slot     string  `json:"slot"`
	SizeSlot string  `json:"size_slot"`
}

type outU32Flags struct {
	Kind      string `json:"kind"`
	Value     uint32 `json:"value"`
	Flags     uint32 `json:"flags"`
	Slot      string `json:"slot"`
	FlagsSlot string `json:"flags_slot"`
}

type outCodeData struct {
	Kind     string  `json:"kind"`
	Code     uint32  `json:"code"`
	Ptr      uint32  `json:"ptr"`
	Size     uint32  `json:"size"`
	Hex      *string `json:"hex,omitempty"`
	Slot     string  `json:"slot"`
	PtrSlot  string  `json:"ptr_slot"`
	SizeSlot string  `json:"size_slot"`
}

type resultsDoc struct {
	Probe   string    `json:"probe"`
	Records []*record `json:"records"`
}

// marshal encodes compactly without HTML escaping and without a trailing newline.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte("null")
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}

func resultsJSON(records []*record) []byte {
	if records == nil {
		records = []*record{}
	}
	return marshal(resultsDoc{Probe: probeLanguage, Records: records})
}

// appendToArray appends items to a JSON array held in shared data. An absent, empty or
// unparsable value counts as an empty array.
func appendToArray(existing []byte, items []any) []byte {
	var arr []json.RawMessage
	if err := json.Unmarshal(existing, &arr); err != nil {
		arr = nil
	}
	for _, it := range items {
		arr = append(arr, json.RawMessage(marshal(it)))
	}
	if arr == nil {
		arr = []json.RawMessage{}
	}
	return marshal(arr)
}
