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
# The manifest and --check are ../filters-common/build-lib.sh; this file is the TinyGo toolchain.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../filters-common/build-lib.sh
source "$here/../filters-common/build-lib.sh"
filters_start tinygo "$@"

SDK_MODULE=github.com/tetratelabs/proxy-wasm-go-sdk
ABI_MARKER=proxy_abi_version_0_2_0
TARGET="$here/targets/pwtck-wasip1.json"

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
TOOLCHAIN_HINT=(
  "modules built with another TinyGo, Go or LLVM differ even when the sources are"
  "unchanged; mismatches below then say nothing about the sources. Unset TINYGO to"
  "use the pinned toolchain of install-toolchain.sh."
)

SDK="$SDK_MODULE@$(go list -m -f '{{.Version}}' "$SDK_MODULE")"

# --- the sources: generated from ../filters-go into a temporary module ---------------------------
filters_tempdir work
./sync-from-go.sh "$work/src" >/dev/null

filters_build_one() { # $1 = filter, $2 = output file
  # -scheduler=none as the SDK requires; -no-debug drops DWARF (and with it every path).
  (cd "$work/src" && nice "$TINYGO" build -target="$TARGET" -scheduler=none \
    -gc=conservative -opt=z -no-debug -o "$2" "./$1")
}

filters_main
