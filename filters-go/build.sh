#!/usr/bin/env bash
# Builds the Go filter corpus reproducibly (docs/filters/FILTERS.md, PROBE.md).
#
#   ./build.sh          build every filter into src/main/resources/pwtck/filters/go/ and
#                       rewrite manifest.json there
#   ./build.sh --check  build into a temporary directory and compare every sha256 with the
#                       manifest (and the checked-in files); exit 1 on any mismatch
#
# Go >= 1.24 is required (wasip1 c-shared reactors and //go:wasmexport). The checked-in
# modules were built with the toolchain recorded in the manifest; other Go releases produce
# different bytes. Set GO=/path/to/go to pick a toolchain.
# The manifest and --check are ../filters-common/build-lib.sh; this file is the Go toolchain.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../filters-common/build-lib.sh
source "$here/../filters-common/build-lib.sh"
filters_start go "$@"

SDK_MODULE=github.com/proxy-wasm/proxy-wasm-go-sdk
ABI_MARKER=proxy_abi_version_0_2_0

# --- locate Go ------------------------------------------------------------------------------
find_go() {
  if [[ -n "${GO:-}" ]]; then echo "$GO"; return; fi
  if command -v go >/dev/null 2>&1; then command -v go; return; fi
  for c in /usr/local/go/bin/go /usr/lib/go/bin/go "$HOME/go/bin/go" "$HOME/sdk/go/bin/go"; do
    [[ -x "$c" ]] && { echo "$c"; return; }
  done
}
GO_BIN="$(find_go || true)"
need_go() {
  echo "error: $1" >&2
  echo "  These filters need Go >= 1.24 (wasip1 reactors and //go:wasmexport). Install Go 1.24 or" >&2
  echo "  newer from https://go.dev/dl/ (the manifest records the exact release used for the" >&2
  echo "  checked-in modules), put it on PATH or set GO=/path/to/bin/go, and run this again." >&2
  exit 2
}
[[ -n "$GO_BIN" && -x "$GO_BIN" ]] || need_go "no Go toolchain found (looked at \$GO, PATH, /usr/local/go)"
# Never let the go command download another toolchain: the build must use this one.
export GOTOOLCHAIN=local
TOOLCHAIN="$("$GO_BIN" env GOVERSION 2>/dev/null || true)"
[[ "$TOOLCHAIN" =~ ^go([0-9]+)\.([0-9]+) ]] || need_go "cannot determine the version of $GO_BIN"
major="${BASH_REMATCH[1]}"; minor="${BASH_REMATCH[2]}"
if (( major < 1 || (major == 1 && minor < 24) )); then
  need_go "$GO_BIN is $TOOLCHAIN, which is older than go1.24"
fi
TOOLCHAIN_HINT=(
  "the Go compiler and runtime change between releases, so the modules built here will"
  "differ even when the sources are unchanged. Mismatches below are then expected and"
  "say nothing about the sources; install the release the manifest names (or set GO=) to check exactly."
)

# --- reproducible build settings ------------------------------------------------------------
export GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0
export GOFLAGS=-mod=readonly   # ignore any GOFLAGS of the caller; go.sum pins the SDK
unset GOEXPERIMENT GOWASM GOAMD64 || true

SDK="$SDK_MODULE@$("$GO_BIN" list -m -f '{{.Version}}' "$SDK_MODULE")"

filters_build_one() { # $1 = filter, $2 = output file
  "$GO_BIN" build -buildmode=c-shared -trimpath -buildvcs=false -ldflags='-s -w' -o "$2" "./$1"
}

filters_main
