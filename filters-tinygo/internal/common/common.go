// Package common holds the small helpers shared by the SDK-based pwtck filters.
package common

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm"
	"github.com/tetratelabs/proxy-wasm-go-sdk/proxywasm/types"
)

// ConfigError is a validation error for one configuration field. Its text is
// "<field>: <reason>", the part after "<filter>: bad config: " in the log line.
type ConfigError struct {
	Field  string
	Reason string
}

func (e *ConfigError) Error() string { return e.Field + ": " + e.Reason }

// Errf builds a ConfigError.
func Errf(field, format string, args ...any) error {
	return &ConfigError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// ParseObject decodes a plugin configuration into a generic JSON object.
// Empty input (zero bytes or only white space) gives an empty object.
func ParseObject(data []byte) (map[string]any, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, Errf("config", "not valid JSON")
	}
	if dec.More() {
		return nil, Errf("config", "not valid JSON")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, Errf("config", "must be a JSON object")
	}
	return obj, nil
}

// String reads an optional string field; def is used when the field is absent.
// nonEmpty rejects "".
func String(obj map[string]any, field, path, def string, nonEmpty bool) (string, error) {
	v, ok := obj[field]
	if !ok {
		if nonEmpty && def == "" {
			return "", Errf(path, "must be a non-empty string")
		}
		return def, nil
	}
	s, ok := v.(string)
	if !ok || (nonEmpty && s == "") {
		if nonEmpty {
			return "", Errf(path, "must be a non-empty string")
		}
		return "", Errf(path, "must be a string")
	}
	return s, nil
}

// Int reads an optional integer field within [min, max].
func Int(obj map[string]any, field, path string, def, min, max int64) (int64, error) {
	v, ok := obj[field]
	if !ok {
		return def, nil
	}
	n, ok := v.(json.Number)
	if ok {
		if i, err := strconv.ParseInt(string(n), 10, 64); err == nil && i >= min && i <= max {
			return i, nil
		}
	}
	return 0, Errf(path, "must be an integer between %d and %d", min, max)
}

// Object reads an optional JSON object field (nil when absent).
func Object(obj map[string]any, field, path string) (map[string]any, error) {
	v, ok := obj[field]
	if !ok {
		return nil, nil
	}
	o, ok := v.(map[string]any)
	if !ok {
		return nil, Errf(path, "must be an object")
	}
	return o, nil
}

// StringMap reads an optional object whose values are all strings.
func StringMap(obj map[string]any, field, path string) (map[string]string, error) {
	o, err := Object(obj, field, path)
	if err != nil || o == nil {
		if err != nil {
			return nil, Errf(path, "must be an object of strings")
		}
		return nil, nil
	}
	out := make(map[string]string, len(o))
	for k, v := range o {
		s, ok := v.(string)
		if !ok || k == "" {
			return nil, Errf(path, "must be an object of strings")
		}
		out[k] = s
	}
	return out, nil
}

// StringList reads an optional array of strings.
func StringList(obj map[string]any, field, path string, nonEmpty bool) ([]string, error) {
	v, ok := obj[field]
	if !ok {
		if nonEmpty {
			return nil, Errf(path, "must be a non-empty array of strings")
		}
		return nil, nil
	}
	arr, ok := v.([]any)
	if !ok || (nonEmpty && len(arr) == 0) {
		if nonEmpty {
			return nil, Errf(path, "must be a non-empty array of strings")
		}
		return nil, Errf(path, "must be an array of strings")
	}
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		s, ok := e.(string)
		if !ok {
			if nonEmpty {
				return nil, Errf(path, "must be a non-empty array of strings")
			}
			return nil, Errf(path, "must be an array of strings")
		}
		out = append(out, s)
	}
	return out, nil
}

// PluginConfiguration returns the plugin configuration; a missing or empty
// configuration is returned as nil (the SDK reports it as NotFound).
func PluginConfiguration() []byte {
	data, err := proxywasm.GetPluginConfiguration()
	if err != nil {
		return nil
	}
	return data
}

// LogBadConfig logs the one ERROR line required by FILTERS.md.
func LogBadConfig(filter string, err error) {
	proxywasm.LogErrorf("%s: bad config: %s", filter, err.Error())
}

// StatusOf maps an SDK error back to the raw proxy-wasm status code.
func StatusOf(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, types.ErrorStatusNotFound):
		return 1
	case errors.Is(err, types.ErrorStatusBadArgument):
		return 2
	case errors.Is(err, types.ErrorStatusEmpty):
		return 7
	case errors.Is(err, types.ErrorStatusCasMismatch):
		return 8
	case errors.Is(err, types.ErrorInternalFailure):
		return 10
	case errors.Is(err, types.ErrorUnimplemented):
		return 12
	}
	const prefix = "unknown status code: "
	if s := err.Error(); strings.HasPrefix(s, prefix) {
		if n, e := strconv.Atoi(s[len(prefix):]); e == nil {
			return n
		}
	}
	return -1
}

// CasRetries is how many times a CAS-guarded update is retried after a CAS
// mismatch (so at most CasRetries+1 attempts are made).
const CasRetries = 16

// CasOutcome is the result of AddToSharedCounter.
type CasOutcome int

const (
	CasOK        CasOutcome = iota // value written
	CasExhausted                   // every attempt got CAS_MISMATCH
	CasError                       // another status; see the returned status
)

// AddToSharedCounter adds delta to the decimal counter stored as text under key
// (absent = 0), writing with the CAS from the read and retrying on CAS mismatch.
// It returns the new value, the outcome and, for CasError, the failing status.
func AddToSharedCounter(key string, delta uint64) (uint64, CasOutcome, int) {
	for attempt := 0; attempt <= CasRetries; attempt++ {
		var current uint64
		value, cas, err := proxywasm.GetSharedData(key)
		switch {
		case err == nil:
			current, _ = strconv.ParseUint(strings.TrimSpace(string(value)), 10, 64)
		case errors.Is(err, types.ErrorStatusNotFound):
			current, cas = 0, 0
		default:
			return 0, CasError, StatusOf(err)
		}
		next := current + delta
		err = proxywasm.SetSharedData(key, []byte(strconv.FormatUint(next, 10)), cas)
		switch {
		case err == nil:
			return next, CasOK, 0
		case errors.Is(err, types.ErrorStatusCasMismatch):
			continue
		default:
			return 0, CasError, StatusOf(err)
		}
	}
	return 0, CasExhausted, 8
}
