#!/usr/bin/env bash
# Regenerates the TinyGo filter sources from ../filters-go, so both corpora stay one behaviour.
#
#   ./sync-from-go.sh          copy every .go file and probe/capabilities.json of ../filters-go
#                              here, applying the mechanical TinyGo/tetratelabs-SDK changes below
#   ./sync-from-go.sh --check  exit 1 when the sources here differ from what a sync would write
#
# The changes (the only differences between the two corpora):
#   - import paths: github.com/proxy-wasm/proxy-wasm-go-sdk -> github.com/tetratelabs/proxy-wasm-go-sdk,
#     .../filters-go -> .../filters-tinygo
#   - //go:wasmexport -> //export (TinyGo 0.33 exports with //export)
#   - proxywasm.SetPluginContext -> common.SetPluginContext, and in tests
#     WithPluginContext(f) -> WithVMContext(common.VMContext(f)) (the tetratelabs SDK only has
#     VM contexts; internal/common/sdk_tetratelabs.go adapts)
#   - the probe reports "probe": "tinygo"; memoryPages comes from probe/mem_tinygo.go (an LLVM
#     intrinsic) instead of Go assembly (probe/mem_wasm.s is not copied)
# Files that exist only here: probe/mem_tinygo.go, internal/common/sdk_tetratelabs.go.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/../filters-go"
check=0
[[ "${1:-}" == --check ]] && check=1

out="$here"
if (( check )); then out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT; fi

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

if (( check )); then
  fail=0
  for f in $files; do
    if ! cmp -s "$out/$f" "$here/$f"; then echo "OUT OF SYNC $f"; fail=1; fi
  done
  (( fail )) && { echo "run ./sync-from-go.sh to update"; exit 1; }
  echo "in sync with ../filters-go ($(wc -w <<< "$files") files)"
fi
