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
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

FILTERS=(auth body counter grpc-callout headers org-product probe queue)
SDK_MODULE=github.com/proxy-wasm/proxy-wasm-go-sdk
ABI_MARKER=proxy_abi_version_0_2_0
RES_DIR="src/main/resources/pwtck/filters/go"
MANIFEST="$RES_DIR/manifest.json"

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

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
GO_VERSION="$("$GO_BIN" env GOVERSION 2>/dev/null || true)"
[[ "$GO_VERSION" =~ ^go([0-9]+)\.([0-9]+) ]] || need_go "cannot determine the version of $GO_BIN"
major="${BASH_REMATCH[1]}"; minor="${BASH_REMATCH[2]}"
if (( major < 1 || (major == 1 && minor < 24) )); then
  need_go "$GO_BIN is $GO_VERSION, which is older than go1.24"
fi

# --- reproducible build settings ------------------------------------------------------------
export GOOS=wasip1 GOARCH=wasm CGO_ENABLED=0
export GOFLAGS=-mod=readonly   # ignore any GOFLAGS of the caller; go.sum pins the SDK
unset GOEXPERIMENT GOWASM GOAMD64 || true

SDK_VERSION="$("$GO_BIN" list -m -f '{{.Version}}' "$SDK_MODULE")"

sha256() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

build_all() { # $1 = output dir
  local out="$1" name start
  for name in "${FILTERS[@]}"; do
    start=$SECONDS
    "$GO_BIN" build -buildmode=c-shared -trimpath -buildvcs=false -ldflags='-s -w' \
      -o "$out/$name.wasm" "./$name"
    if ! grep -q "$ABI_MARKER" "$out/$name.wasm"; then
      echo "error: $name.wasm does not export $ABI_MARKER" >&2
      exit 1
    fi
    echo "built $name.wasm ($(size "$out/$name.wasm") bytes, $((SECONDS - start))s)"
  done
}

write_manifest() { # $1 = dir with the modules
  local dir="$1" i name sep
  {
    printf '{\n'
    printf '  "language": "go",\n'
    printf '  "toolchain": "%s",\n' "$GO_VERSION"
    printf '  "sdk": "%s@%s",\n' "$SDK_MODULE" "$SDK_VERSION"
    printf '  "filters": [\n'
    for i in "${!FILTERS[@]}"; do
      name="${FILTERS[$i]}"
      sep=","; (( i == ${#FILTERS[@]} - 1 )) && sep=""
      printf '    {"name": "%s", "file": "%s.wasm", "size": %s, "sha256": "%s", "abiMarker": "%s"}%s\n' \
        "$name" "$name" "$(size "$dir/$name.wasm")" "$(sha256 "$dir/$name.wasm")" "$ABI_MARKER" "$sep"
    done
    printf '  ]\n}\n'
  } > "$MANIFEST"
}

# manifest_field <name> <field>: reads one filter line of the manifest written above.
manifest_field() {
  sed -n "s/.*\"name\": \"$1\".*\"$2\": \"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p" "$MANIFEST" | sed -n 1p
}

if (( check == 0 )); then
  mkdir -p "$RES_DIR"
  start=$SECONDS
  build_all "$RES_DIR"
  write_manifest "$RES_DIR"
  echo "wrote $MANIFEST ($GO_VERSION, $SDK_MODULE@$SDK_VERSION) in $((SECONDS - start))s"
  exit 0
fi

# --- --check ---------------------------------------------------------------------------------
[[ -f "$MANIFEST" ]] || { echo "error: $MANIFEST is missing; run ./build.sh first" >&2; exit 1; }
want_toolchain="$(sed -n 's/.*"toolchain": "\([^"]*\)".*/\1/p' "$MANIFEST")"
want_sdk="$(sed -n 's/.*"sdk": "\([^"]*\)".*/\1/p' "$MANIFEST")"
if [[ "$want_toolchain" != "$GO_VERSION" ]]; then
  echo "WARNING: the manifest was built with $want_toolchain but the local toolchain is $GO_VERSION."
  echo "WARNING: the Go compiler and runtime change between releases, so the modules built here will"
  echo "WARNING: differ even when the sources are unchanged. Mismatches below are then expected and"
  echo "WARNING: say nothing about the sources; install $want_toolchain (or set GO=) to check exactly."
fi
fail=0
if [[ "$want_sdk" != "$SDK_MODULE@$SDK_VERSION" ]]; then
  echo "MISMATCH sdk: manifest $want_sdk, go.mod resolves $SDK_MODULE@$SDK_VERSION"
  fail=1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
build_all "$tmp"
for name in "${FILTERS[@]}"; do
  want="$(manifest_field "$name" sha256)"
  got="$(sha256 "$tmp/$name.wasm")"
  if [[ -z "$want" ]]; then
    echo "MISMATCH $name.wasm: not in the manifest"
    fail=1
  elif [[ "$want" != "$got" ]]; then
    echo "MISMATCH $name.wasm: manifest $want, rebuilt $got ($(size "$tmp/$name.wasm") bytes)"
    fail=1
  else
    echo "ok $name.wasm $got"
  fi
  if [[ ! -f "$RES_DIR/$name.wasm" ]]; then
    echo "MISMATCH $name.wasm: checked-in file is missing"
    fail=1
  elif [[ -n "$want" && "$(sha256 "$RES_DIR/$name.wasm")" != "$want" ]]; then
    echo "MISMATCH $name.wasm: checked-in file $(sha256 "$RES_DIR/$name.wasm") differs from the manifest"
    fail=1
  fi
done
if (( fail )); then
  echo "check FAILED"
  exit 1
fi
echo "check OK: all ${#FILTERS[@]} modules match $MANIFEST"
