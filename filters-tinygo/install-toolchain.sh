#!/usr/bin/env bash
# Builds (or finds, when already built) the TinyGo compiler used for the TinyGo filter corpus,
# from package registries only: Debian's LLVM 16, clang, lld, wasi-libc, compiler-rt and
# binaryen, and TinyGo's own Go sources plus a Go toolchain it accepts from the Go module proxy.
#
#   ./install-toolchain.sh            install (idempotent; a finished install is only re-checked)
#   ./install-toolchain.sh --print    print the path of the env file (install first if needed)
#   ./install-toolchain.sh --force    rebuild the compiler even if a finished install exists
#
# Pinned: TinyGo 0.33.0 (build tag llvm16, against Debian bookworm's LLVM 16.0.6), built and
# run with Go 1.23.12 (TinyGo 0.33 accepts Go 1.19-1.23). The result lives outside the repo in
# ${PWTCK_TINYGO_CACHE:-$HOME/.cache/pwtck-tinygo}/<version>/ :
#   bin/tinygo   the compiler        root/   TINYGOROOT (TinyGo's src/ and targets/ + the parts
#   env.sh       variables to source          the module zip lacks, see below)
#
# What the module zip lacks and where it comes from here:
#   lib/wasi-libc/sysroot   symlinks to Debian's wasi-libc (/usr/include/wasm32-wasi,
#                           /usr/lib/wasm32-wasi)
#   compiler-rt sources     not needed: targets/pwtck-wasip1.json (next to this script) is the
#                           wasip1 target without "rtlib" and links Debian's prebuilt
#                           libclang_rt.builtins-wasm32.a (libclang-rt-16-dev-wasm32) instead
#   src/net (a submodule)   an empty directory (nothing here imports net)
#   wasm-opt                Debian's binaryen (108)
# Every step prints what it does; on failure the script names the failing step and exits 1.
set -euo pipefail

TINYGO_VERSION=0.33.0
TINYGO_MODULE=github.com/tinygo-org/tinygo
TINYGO_SUM="h1:IRnPxRCRR1+glw/a7yWJcfFTCXZrgwzCrRhDCtGOGa8="   # go.sum hash of the module zip
LLVM_MAJOR=16
GO_TOOLCHAIN=go1.23.12
APT_PACKAGES=(llvm-16-dev libclang-16-dev clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32 binaryen)
COMPILER_RT_A=/usr/lib/llvm-16/lib/clang/16/lib/wasi/libclang_rt.builtins-wasm32.a

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE_BASE="${PWTCK_TINYGO_CACHE:-$HOME/.cache/pwtck-tinygo}"
PREFIX="$CACHE_BASE/v$TINYGO_VERSION-llvm$LLVM_MAJOR"
ROOT="$PREFIX/root"
STAMP="$PREFIX/.installed"
STAMP_TEXT="tinygo $TINYGO_VERSION llvm$LLVM_MAJOR $GO_TOOLCHAIN $TINYGO_SUM"

mode=install
case "${1:-}" in
  "") ;;
  --print) mode=print ;;
  --force) mode=force ;;
  -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: $0 [--print|--force]" >&2; exit 2 ;;
esac

current_step=""
say() { [[ "$mode" == print ]] && echo "$*" >&2 || echo "$*"; }
step() { current_step="$1"; say "==> $1"; }
fail() {
  echo "FAILED at step: $current_step" >&2
  [[ $# -gt 0 ]] && echo "  $*" >&2
  current_step=""   # reported once; the EXIT trap stays quiet
  exit 1
}
trap 'rc=$?; if (( rc != 0 )) && [[ -n "$current_step" ]]; then echo "FAILED at step: $current_step (exit $rc)" >&2; fi' EXIT

# Runs a command quietly into a log; on failure prints the log's tail and fails the step.
run_logged() { # $1 = log file, rest = command
  local log="$1"; shift
  if ! "$@" >"$log" 2>&1; then
    echo "---- last lines of $log ----" >&2
    tail -n 40 "$log" >&2
    fail "command failed: $*"
  fi
}

# --- 1. the host Go command (only used to fetch the pinned toolchain and modules) -------------
step "find a host Go command (>= go1.21, for GOTOOLCHAIN)"
HOST_GO="${GO:-}"
if [[ -z "$HOST_GO" ]]; then
  for c in "$(command -v go || true)" /usr/local/go/bin/go /usr/lib/go/bin/go; do
    [[ -n "$c" && -x "$c" ]] && { HOST_GO="$c"; break; }
  done
fi
[[ -n "$HOST_GO" ]] || fail "no go command found (set GO=/path/to/go); Go >= 1.21 is needed to fetch $GO_TOOLCHAIN from the Go module proxy"
[[ -x "$HOST_GO" ]] || fail "$HOST_GO is not an executable go command"
host_version="$(GOTOOLCHAIN=local "$HOST_GO" env GOVERSION 2>/dev/null || true)"
version_re='^go1\.([0-9]+)'
[[ "$host_version" =~ $version_re ]] && (( BASH_REMATCH[1] >= 21 )) ||
  fail "$HOST_GO is '${host_version:-unknown}'; Go >= 1.21 is needed (GOTOOLCHAIN fetches $GO_TOOLCHAIN)"
say "    $HOST_GO ($host_version)"

# A clean Go environment: no project go.mod, no caller GOFLAGS.
work="$(mktemp -d)"
trap 'rc=$?; rm -rf "$work"; if (( rc != 0 )) && [[ -n "$current_step" ]]; then echo "FAILED at step: $current_step (exit $rc)" >&2; fi' EXIT
cd "$work"
export GOFLAGS= GO111MODULE=on
unset GOOS GOARCH CGO_ENABLED GOROOT || true

# --- 2. Debian packages -----------------------------------------------------------------------
step "Debian packages: ${APT_PACKAGES[*]}"
missing=()
for p in "${APT_PACKAGES[@]}"; do
  # No pipe into grep -q: under pipefail its early exit can fail the writer.
  [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" == *"install ok installed"* ]] || missing+=("$p")
done
if (( ${#missing[@]} )); then
  say "    installing: ${missing[*]}"
  SUDO=""; (( EUID != 0 )) && SUDO=sudo
  run_logged "$work/apt-update.log" $SUDO apt-get -o DPkg::Lock::Timeout=600 update
  run_logged "$work/apt-install.log" env DEBIAN_FRONTEND=noninteractive \
    $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"
else
  say "    all installed"
fi
for p in llvm-16-dev clang-16 lld-16 wasi-libc libclang-rt-16-dev-wasm32 binaryen; do
  say "    $p $(dpkg-query -W -f='${Version}' "$p")"
done
for f in /usr/lib/llvm-16/lib/libLLVM-16.so /usr/bin/clang-16 /usr/bin/wasm-ld-16 \
         /usr/lib/wasm32-wasi/libc.a /usr/include/wasm32-wasi/stdlib.h "$COMPILER_RT_A" /usr/bin/wasm-opt; do
  [[ -e "$f" ]] || fail "expected file $f is missing after installing the packages"
done

# --- 3. the Go toolchain TinyGo accepts ---------------------------------------------------------
step "Go toolchain $GO_TOOLCHAIN (golang.org/toolchain from the Go module proxy, via GOTOOLCHAIN)"
run_logged "$work/goroot.log" env GOTOOLCHAIN="$GO_TOOLCHAIN" "$HOST_GO" env GOROOT
TG_GOROOT="$(tail -n1 "$work/goroot.log")"
[[ -x "$TG_GOROOT/bin/go" ]] || fail "no go binary in $TG_GOROOT"
got="$("$TG_GOROOT/bin/go" env GOVERSION)"
[[ "$got" == "$GO_TOOLCHAIN" ]] || fail "$TG_GOROOT/bin/go is $got, wanted $GO_TOOLCHAIN"
say "    GOROOT=$TG_GOROOT"
TG_GO="$TG_GOROOT/bin/go"
export GOTOOLCHAIN=local

write_env() {
  cat > "$PREFIX/env.sh" <<EOF
# Generated by filters-tinygo/install-toolchain.sh; source it to use the pinned TinyGo.
export TINYGO="$PREFIX/bin/tinygo"
export TINYGOROOT="$ROOT"
export PATH="$TG_GOROOT/bin:\$PATH"
export GOTOOLCHAIN=local
export WASMOPT=/usr/bin/wasm-opt
EOF
}

smoke_test() {
  mkdir -p "$work/hello"
  printf 'module hello\n\ngo 1.19\n' > "$work/hello/go.mod"
  printf 'package main\n\nfunc main() { println("hello from tinygo") }\n' > "$work/hello/main.go"
  (cd "$work/hello" && PATH="$TG_GOROOT/bin:$PATH" TINYGOROOT="$ROOT" WASMOPT=/usr/bin/wasm-opt \
     "$PREFIX/bin/tinygo" build -o "$work/hello/hello.wasm" -target="$here/targets/pwtck-wasip1.json" \
     -scheduler=none -no-debug .) >"$work/smoke.log" 2>&1 || { cat "$work/smoke.log" >&2; return 1; }
  grep -q "_start" "$work/hello/hello.wasm" || { echo "no _start export in the smoke-test module" >&2; return 1; }
}

if [[ "$mode" != force && -f "$STAMP" && "$(cat "$STAMP")" == "$STAMP_TEXT" && -x "$PREFIX/bin/tinygo" ]]; then
  step "already installed in $PREFIX: re-check with a smoke build"
  smoke_test || fail "the cached install does not work any more; run $0 --force"
  write_env
  current_step=""
  if [[ "$mode" == print ]]; then echo "$PREFIX/env.sh"; else
    say "ok: $(PATH="$TG_GOROOT/bin:$PATH" TINYGOROOT="$ROOT" "$PREFIX/bin/tinygo" version)"
    say "source $PREFIX/env.sh"; fi
  exit 0
fi

# --- 4. TinyGo's sources from the Go module proxy ------------------------------------------------
step "download $TINYGO_MODULE@v$TINYGO_VERSION (Go module proxy)"
# Note: 'go install $TINYGO_MODULE@v$TINYGO_VERSION' does not work here: it also reads the
# module's version list for deprecations, and the proxy answers 403 for that list. Downloading
# the one version and building it as the main module does work.
run_logged "$work/download.log" "$TG_GO" mod download -json "$TINYGO_MODULE@v$TINYGO_VERSION"
src_dir="$(sed -n 's/^\t"Dir": "\(.*\)",$/\1/p' "$work/download.log")"
sum="$(sed -n 's/^\t"Sum": "\(.*\)",$/\1/p' "$work/download.log")"
[[ -d "$src_dir" ]] || fail "no module directory in: $(cat "$work/download.log")"
[[ "$sum" == "$TINYGO_SUM" ]] || fail "module hash $sum differs from the pinned $TINYGO_SUM"
say "    $src_dir ($sum)"

step "copy the module into TINYGOROOT $ROOT (the module cache is read-only)"
rm -rf "$ROOT" "$PREFIX/bin" "$STAMP"
mkdir -p "$PREFIX/bin"
cp -r "$src_dir" "$ROOT"
chmod -R u+w "$ROOT"

# --- 5. build the compiler ---------------------------------------------------------------------
step "build tinygo (go build -tags llvm$LLVM_MAJOR, dynamic link to libLLVM-16 and libclang; a few minutes)"
start=$SECONDS
(cd "$ROOT" && GOFLAGS=-mod=readonly CGO_ENABLED=1 nice "$TG_GO" build -tags "llvm$LLVM_MAJOR" \
   -o "$PREFIX/bin/tinygo" .) >"$work/build.log" 2>&1 || {
  tail -n 40 "$work/build.log" >&2; fail "go build of tinygo failed"; }
say "    built in $((SECONDS - start))s: $(PATH="$TG_GOROOT/bin:$PATH" TINYGOROOT="$ROOT" "$PREFIX/bin/tinygo" version)"

# --- 6. the parts the module zip lacks -----------------------------------------------------------
step "supply lib/wasi-libc/sysroot from Debian's wasi-libc"
mkdir -p "$ROOT/lib/wasi-libc/sysroot/lib"
ln -sfn /usr/include/wasm32-wasi "$ROOT/lib/wasi-libc/sysroot/include"
ln -sfn /usr/lib/wasm32-wasi "$ROOT/lib/wasi-libc/sysroot/lib/wasm32-wasi"

step "supply src/net (git submodule, absent from the module zip) as an empty directory"
mkdir -p "$ROOT/src/net/http"

step "check the target file (wasip1 without rtlib, with Debian's compiler-rt builtins)"
[[ -f "$here/targets/pwtck-wasip1.json" ]] || fail "missing $here/targets/pwtck-wasip1.json"
grep -q "$COMPILER_RT_A" "$here/targets/pwtck-wasip1.json" || fail "targets/pwtck-wasip1.json does not link $COMPILER_RT_A"

# --- 7. smoke test ---------------------------------------------------------------------------------
step "smoke test: build a hello-world wasip1 module"
smoke_test || fail "the smoke build failed (output above)"

write_env
echo "$STAMP_TEXT" > "$STAMP"
current_step=""
if [[ "$mode" == print ]]; then echo "$PREFIX/env.sh"; exit 0; fi
say "ok: TinyGo $TINYGO_VERSION installed in $PREFIX"
say "source $PREFIX/env.sh"
