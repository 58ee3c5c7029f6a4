# shellcheck shell=bash
# What filters-go/, filters-rust/ and filters-tinygo/build.sh share: the command line, the ABI
# marker check, manifest.json (writing it, reading it back) and the --check comparison of rebuilt
# modules with the manifest and the checked-in files. Each build.sh keeps only its toolchain.
# This file is sourced, never run, and is not a Maven module (nothing of it goes into a jar).
#
# A build.sh (under `set -euo pipefail`) does, in this order:
#   here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
#   source "$here/../filters-common/build-lib.sh"   # before any cd: --help reads the caller
#   filters_start LANGUAGE "$@"   # --check, --help, or usage and exit 2; then cd to the build.sh's
#                                 # directory, RES_DIR = its src/main/resources/pwtck/filters/LANGUAGE
#   ...find and pin its toolchain, then set:
#     ABI_MARKER      the export every module must contain (proxy_abi_version_…)
#     TOOLCHAIN       the manifest's "toolchain": exactly what builds the modules
#     SDK             the manifest's "sdk"
#     MANIFEST_EXTRA  optional: more header fields after "sdk", as key value key value ...
#     TOOLCHAIN_HINT  optional: lines --check prints when the manifest names another toolchain
#   ...and defines either filters_build_one NAME FILE (build one module to FILE) or, to build
#   them all at once, filters_build_into DIR (leave DIR/NAME.wasm for every NAME);
#   filters_main
# This file owns the EXIT trap: a build.sh takes its temporary directories from filters_tempdir.
#
# Both modes build into a temporary directory first, so a failed build leaves the checked-in
# files alone; a build then copies the modules over and rewrites the manifest.

# The corpus: the same filters under the same names in every language (docs/filters/FILTERS.md,
# PROBE.md), in manifest order.
FILTERS=(auth body counter grpc-callout headers org-product probe queue)
FILTERS_MODE=build
FILTERS_TEMP_DIRS=()
# The calling build.sh, resolved now (the caller may cd later): its header is the --help text.
FILTERS_MODULE_DIR="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
FILTERS_SCRIPT="$FILTERS_MODULE_DIR/$(basename "${BASH_SOURCE[1]}")"
trap 'rm -rf -- ${FILTERS_TEMP_DIRS[@]+"${FILTERS_TEMP_DIRS[@]}"}' EXIT

filters_start() { # $1 = language, then the build.sh's arguments
  LANGUAGE="$1"
  case "${2:-}" in
    "") ;;
    --check) FILTERS_MODE=check ;;
    # the header: every comment line from line 2 up to the first line of code
    -h|--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$FILTERS_SCRIPT"; exit 0 ;;
    *) echo "usage: $FILTERS_SCRIPT [--check]" >&2; exit 2 ;;
  esac
  RES_DIR="$FILTERS_MODULE_DIR/src/main/resources/pwtck/filters/$LANGUAGE"
  cd "$FILTERS_MODULE_DIR"
}

# filters_tempdir VAR: a new temporary directory in VAR, removed when the script exits.
filters_tempdir() {
  local d
  d="$(mktemp -d)"
  FILTERS_TEMP_DIRS+=("$d")
  printf -v "$1" '%s' "$d"
}

filters_sha256() { sha256sum "$1" | cut -d' ' -f1; }
filters_size() { stat -c %s "$1"; }

# The default for toolchains that build one module per call (Go, TinyGo).
filters_build_into() { # $1 = output dir
  local out="$1" name start
  for name in "${FILTERS[@]}"; do
    start=$SECONDS
    filters_build_one "$name" "$out/$name.wasm"
    echo "built $name.wasm ($(filters_size "$out/$name.wasm") bytes, $((SECONDS - start))s)"
  done
}

filters_require_markers() { # $1 = dir with the modules
  local name
  for name in "${FILTERS[@]}"; do
    [[ -f "$1/$name.wasm" ]] || { echo "error: $name.wasm was not built" >&2; exit 1; }
    if ! grep -q -a -F "$ABI_MARKER" "$1/$name.wasm"; then
      echo "error: $name.wasm does not export $ABI_MARKER" >&2
      exit 1
    fi
  done
}

filters_write_manifest() { # $1 = dir with the modules
  local dir="$1" manifest="$RES_DIR/manifest.json" i name sep
  local -a extra=(${MANIFEST_EXTRA[@]+"${MANIFEST_EXTRA[@]}"})
  {
    printf '{\n'
    printf '  "language": "%s",\n' "$LANGUAGE"
    printf '  "toolchain": "%s",\n' "$TOOLCHAIN"
    printf '  "sdk": "%s",\n' "$SDK"
    for ((i = 0; i < ${#extra[@]}; i += 2)); do
      printf '  "%s": "%s",\n' "${extra[i]}" "${extra[i + 1]}"
    done
    printf '  "filters": [\n'
    for i in "${!FILTERS[@]}"; do
      name="${FILTERS[$i]}"
      sep=","; (( i == ${#FILTERS[@]} - 1 )) && sep=""
      printf '    {"name": "%s", "file": "%s.wasm", "size": %s, "sha256": "%s", "abiMarker": "%s"}%s\n' \
        "$name" "$name" "$(filters_size "$dir/$name.wasm")" "$(filters_sha256 "$dir/$name.wasm")" \
        "$ABI_MARKER" "$sep"
    done
    printf '  ]\n}\n'
  } > "$manifest.tmp"
  mv "$manifest.tmp" "$manifest"
}

# filters_manifest_header KEY: a top-level string field of the manifest ("toolchain", "sdk", ...).
filters_manifest_header() {
  sed -n "s/^  \"$1\": \"\([^\"]*\)\".*/\1/p" "$RES_DIR/manifest.json"
}

# filters_manifest_field NAME FIELD: a field of one filter's line of the manifest.
filters_manifest_field() {
  sed -n "s/.*\"name\": \"$1\".*\"$2\": \"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p" \
    "$RES_DIR/manifest.json" | sed -n 1p
}

# --check, before the build: what the manifest says it was built with. Sets FILTERS_FAIL.
filters_check_header() {
  local manifest="$RES_DIR/manifest.json" want_toolchain want i line
  local -a extra=(${MANIFEST_EXTRA[@]+"${MANIFEST_EXTRA[@]}"})
  [[ -f "$manifest" ]] || { echo "error: $manifest is missing; run build.sh first" >&2; exit 1; }
  want_toolchain="$(filters_manifest_header toolchain)"
  if [[ "$want_toolchain" != "$TOOLCHAIN" ]]; then
    echo "WARNING: the manifest was built with $want_toolchain but the local toolchain is $TOOLCHAIN."
    for line in ${TOOLCHAIN_HINT[@]+"${TOOLCHAIN_HINT[@]}"}; do
      echo "WARNING: $line"
    done
  fi
  FILTERS_FAIL=0
  want="$(filters_manifest_header sdk)"
  if [[ "$want" != "$SDK" ]]; then
    echo "MISMATCH sdk: manifest $want, the sources resolve $SDK"
    FILTERS_FAIL=1
  fi
  for ((i = 0; i < ${#extra[@]}; i += 2)); do
    want="$(filters_manifest_header "${extra[i]}")"
    if [[ "$want" != "${extra[i + 1]}" ]]; then
      echo "MISMATCH ${extra[i]}: manifest $want, build.sh ${extra[i + 1]}"
      FILTERS_FAIL=1
    fi
  done
}

# --check, after the build: every rebuilt module against the manifest and the checked-in file.
filters_compare() { # $1 = dir with the rebuilt modules
  local manifest="$RES_DIR/manifest.json" name want got listed
  for name in "${FILTERS[@]}"; do
    want="$(filters_manifest_field "$name" sha256)"
    got="$(filters_sha256 "$1/$name.wasm")"
    if [[ -z "$want" ]]; then
      echo "MISMATCH $name.wasm: not in the manifest"
      FILTERS_FAIL=1
    elif [[ "$want" != "$got" ]]; then
      echo "MISMATCH $name.wasm: manifest $want, rebuilt $got ($(filters_size "$1/$name.wasm") bytes)"
      FILTERS_FAIL=1
    else
      echo "ok $name.wasm $got"
    fi
    if [[ ! -f "$RES_DIR/$name.wasm" ]]; then
      echo "MISMATCH $name.wasm: checked-in file is missing"
      FILTERS_FAIL=1
    elif [[ -n "$want" && "$(filters_sha256 "$RES_DIR/$name.wasm")" != "$want" ]]; then
      echo "MISMATCH $name.wasm: checked-in file $(filters_sha256 "$RES_DIR/$name.wasm") differs from the manifest"
      FILTERS_FAIL=1
    fi
  done
  listed="$(grep -c '"name": ' "$manifest" || true)"
  if [[ "$listed" != "${#FILTERS[@]}" ]]; then
    echo "MISMATCH the manifest lists $listed filters, build.sh builds ${#FILTERS[@]}"
    FILTERS_FAIL=1
  fi
  if (( FILTERS_FAIL )); then
    echo "check FAILED"
    exit 1
  fi
  echo "check OK: all ${#FILTERS[@]} modules match $manifest"
}

filters_main() {
  local out name start=$SECONDS
  if [[ "$FILTERS_MODE" == check ]]; then
    filters_check_header
  fi
  filters_tempdir out
  filters_build_into "$out"
  filters_require_markers "$out"
  if [[ "$FILTERS_MODE" == check ]]; then
    filters_compare "$out"
    return
  fi
  mkdir -p "$RES_DIR"
  for name in "${FILTERS[@]}"; do
    cp "$out/$name.wasm" "$RES_DIR/$name.wasm"
  done
  filters_write_manifest "$RES_DIR"
  echo "wrote $RES_DIR/manifest.json ($TOOLCHAIN, $SDK) in $((SECONDS - start))s"
}
