#!/usr/bin/env bash
# Builds the TinyGo filter corpus reproducibly (docs/filters/FILTERS.md, PROBE.md): the same
# filters, names and manifest format as filters-go, built with TinyGo and the tetratelabs SDK.
#
#   ./build.sh          build every filter into src/main/resources/pwtck/filters/tinygo/ and
#                       rewrite manifest.json there
#   ./build.sh --check  build into a temporary directory and compare every sha256 with the
#                       manifest (and the checked-in files); exit 1 on any mismatch
#
# The sources are generated from ../filters-go by sync-from-go.sh into a temporary module first
# (they are not checked in); the built bytes do not depend on where that module is.
#
# The compiler is the pinned TinyGo of install-toolchain.sh (TinyGo 0.33.0, Go 1.23.12, Debian's
# LLVM 16), which this script runs first (it is idempotent and cached outside the repo).
# Set TINYGO=/path/to/tinygo (with TINYGOROOT and a Go 1.19-1.23 `go` on PATH) to use another
# TinyGo; other TinyGo, Go, LLVM, wasi-libc or binaryen releases produce different bytes.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

FILTERS=(auth body counter grpc-callout headers org-product probe queue)
SDK_MODULE=github.com/tetratelabs/proxy-wasm-go-sdk
ABI_MARKER=proxy_abi_version_0_2_0
TARGET="targets/pwtck-wasip1.json"
RES_DIR="src/main/resources/pwtck/filters/tinygo"
MANIFEST="$RES_DIR/manifest.json"

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

# --- locate TinyGo --------------------------------------------------------------------------------
if [[ -z "${TINYGO:-}" ]]; then
  echo "toolchain: ./install-toolchain.sh"
  env_file="$(./install-toolchain.sh --print)" || {
    echo "error: install-toolchain.sh failed (see above); see README.md" >&2
    exit 2
  }
  # shellcheck disable=SC1090
  source "$env_file"
fi
[[ -x "$TINYGO" ]] || { echo "error: TINYGO=$TINYGO is not executable" >&2; exit 2; }
export GOTOOLCHAIN=local
export GOFLAGS=-mod=readonly   # go.sum pins the SDK
unset GOOS GOARCH GOEXPERIMENT || true

# "tinygo version 0.33.0 linux/amd64 (using go version go1.23.12 and LLVM version 16.0.6)"
version_line="$("$TINYGO" version)"
version_re='^tinygo version ([^ ]+) .*using go version (go[^ ]+) and LLVM version ([0-9.]+)'
[[ "$version_line" =~ $version_re ]] || {
  echo "error: cannot parse '$version_line'" >&2; exit 2; }
TOOLCHAIN="tinygo${BASH_REMATCH[1]} ${BASH_REMATCH[2]} llvm${BASH_REMATCH[3]}"

SDK_VERSION="$(go list -m -f '{{.Version}}' "$SDK_MODULE")"

# --- the sources: generated from ../filters-go into a temporary module ---------------------------
work="$(mktemp -d)"
tmp=""
trap 'rm -rf "$work" ${tmp:+"$tmp"}' EXIT
./sync-from-go.sh "$work/src" >/dev/null

sha256() { sha256sum "$1" | cut -d' ' -f1; }
size() { stat -c %s "$1"; }

build_all() { # $1 = output dir
  local out="$1" name start
  for name in "${FILTERS[@]}"; do
    start=$SECONDS
    # -scheduler=none as the SDK requires; -no-debug drops DWARF (and with it every path).
    (cd "$work/src" && nice "$TINYGO" build -target="$here/$TARGET" -scheduler=none \
      -gc=conservative -opt=z -no-debug -o "$out/$name.wasm" "./$name")
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
    printf '  "language": "tinygo",\n'
    printf '  "toolchain": "%s",\n' "$TOOLCHAIN"
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
  build_all "$here/$RES_DIR"
  write_manifest "$RES_DIR"
  echo "wrote $MANIFEST ($TOOLCHAIN, $SDK_MODULE@$SDK_VERSION) in $((SECONDS - start))s"
  exit 0
fi

# --- --check ---------------------------------------------------------------------------------
[[ -f "$MANIFEST" ]] || { echo "error: $MANIFEST is missing; run ./build.sh first" >&2; exit 1; }
want_toolchain="$(sed -n 's/.*"toolchain": "\([^"]*\)".*/\1/p' "$MANIFEST")"
want_sdk="$(sed -n 's/.*"sdk": "\([^"]*\)".*/\1/p' "$MANIFEST")"
if [[ "$want_toolchain" != "$TOOLCHAIN" ]]; then
  echo "WARNING: the manifest was built with $want_toolchain but the local toolchain is $TOOLCHAIN."
  echo "WARNING: modules built with another TinyGo, Go or LLVM differ even when the sources are"
  echo "WARNING: unchanged; mismatches below then say nothing about the sources. Unset TINYGO to"
  echo "WARNING: use the pinned toolchain of install-toolchain.sh."
fi
fail=0
if [[ "$want_sdk" != "$SDK_MODULE@$SDK_VERSION" ]]; then
  echo "MISMATCH sdk: manifest $want_sdk, go.mod resolves $SDK_MODULE@$SDK_VERSION"
  fail=1
fi
tmp="$(mktemp -d)"
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
