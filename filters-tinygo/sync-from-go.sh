#!/usr/bin/env bash
# Generates the TinyGo filter sources from ../filters-go, so both corpora stay one behaviour. The
# generated sources are not checked in: build.sh generates them into a temporary module and builds
# there (the bytes do not depend on the directory: -no-debug drops every path).
#
#   ./sync-from-go.sh OUT_DIR   write the TinyGo module into OUT_DIR (created if missing): go.mod,
#                               go.sum, every .go file and probe/capabilities.json of ../filters-go
#                               with the mechanical TinyGo/tetratelabs-SDK changes below, and the
#                               TinyGo-only files of _tinygo/
#   ./sync-from-go.sh --test    generate into a temporary directory and run `go test ./...` there
#
# The changes (the only differences between the two corpora):
#   - import paths: github.com/proxy-wasm/proxy-wasm-go-sdk -> github.com/tetratelabs/proxy-wasm-go-sdk,
#     .../filters-go -> .../filters-tinygo
#   - //go:wasmexport -> //export (TinyGo 0.33 exports with //export)
#   - proxywasm.SetPluginContext -> common.SetPluginContext, and in tests
#     WithPluginContext(f) -> WithVMContext(common.VMContext(f)) (the tetratelabs SDK only has
#     VM contexts; _tinygo/internal/common/sdk_tetratelabs.go adapts)
#   - the probe reports "probe": "tinygo"; memoryPages comes from _tinygo/probe/mem_tinygo.go (an
#     LLVM intrinsic) instead of Go assembly (probe/mem_wasm.s is not copied)
# Files that exist only here: _tinygo/probe/mem_tinygo.go, _tinygo/internal/common/sdk_tetratelabs.go
# (under "_tinygo" so the go tool ignores them in this directory).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/../filters-go"
test=0
case "${1:-}" in
  --test) test=1; out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT ;;
  ""|-*) echo "usage: $0 OUT_DIR | --test" >&2; exit 2 ;;
  *) out="$1"; mkdir -p "$out" ;;
esac
cp "$here/go.mod" "$here/go.sum" "$out/"
(cd "$here/_tinygo" && find . -type f -print) | while read -r f; do
  mkdir -p "$out/$(dirname "$f")"
  cp "$here/_tinygo/$f" "$out/$f"
done

files=$(cd "$src" && find . -path ./target -prune -o -path ./src -prune -o \
  \( -name '*.go' -o -name capabilities.json \) -type f -print | sed 's#^\./##' | sort)
for f in $files; do
  mkdir -p "$out/$(dirname "$f")"
  python3 - "$src/$f" "$out/$f" "$f" <<'PY'
import re, sys
src, dst, rel = sys.argv[1:4]
s = open(src).read()
s = s.replace("github.com/proxy-wasm/proxy-wasm-go-sdk", "github.com/tetratelabs/proxy-wasm-go-sdk")
s = s.replace("github.com/pwtck/pwtck/filters-go", "github.com/pwtck/pwtck/filters-tinygo")
s = re.sub(r"(?m)^//go:wasmexport ", "//export ", s)
s = s.replace("exported with //go:wasmexport", "exported with //export (TinyGo 0.33 has no //go:wasmexport)")
s = s.replace("proxywasm.SetPluginContext(", "common.SetPluginContext(")
if rel == "probe/results.go":
    s = s.replace('const probeLanguage = "go"', 'const probeLanguage = "tinygo"')
if rel == "probe/config_test.go":
    s = s.replace('{"probe":"go",', '{"probe":"tinygo",')
if rel == "probe/hostcalls_wasm.go":
    s = s.replace("// memoryPages is implemented in mem_wasm.s (memory.size).\nfunc memoryPages() uint32\n",
                  "// memoryPages is implemented in mem_tinygo.go (memory.size).\n")
if rel.endswith("_test.go") and "WithPluginContext(" in s:
    s = re.sub(r"WithPluginContext\((func\(uint32\) types\.PluginContext \{[^\n]*?\})\)\.",
               r"WithVMContext(common.VMContext(\1)).", s)
    if 'filters-tinygo/internal/common"' not in s:
        s = s.replace("import (\n", 'import (\n\t"github.com/pwtck/pwtck/filters-tinygo/internal/common"\n', 1)
if "WithPluginContext(" in s or "go:wasmexport" in s.replace("//go:wasmexport)", ""):
    sys.exit("sync-from-go: %s: a construct this script does not translate" % rel)
open(dst, "w").write(s)
PY
done
gofmt_bin="$(command -v gofmt || echo /usr/local/go/bin/gofmt)"
"$gofmt_bin" -w $(cd "$out" && for f in $files; do [[ $f == *.go ]] && echo "$out/$f"; done)

if (( test )); then
  (cd "$out" && go test ./...)
fi
