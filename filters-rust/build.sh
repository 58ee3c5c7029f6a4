#!/usr/bin/env bash
# Builds every Rust filter for wasm32-wasip1, reproducibly.
#
#   build.sh            build into src/main/resources/pwtck/filters/rust/ and rewrite manifest.json
#   build.sh --check    build into a temporary directory and compare every sha256 with manifest.json
#                       (and with the checked-in files); print each mismatch; exit 1 on any
#
# Environment: PWTCK_RUST_TARGET_DIR  cargo's target directory (default: filters-rust/target).
#
# Toolchain: Debian's rustc-web/cargo-web 1.96 with -Zbuild-std (install with
# filters-rust/install-toolchain.sh). rustup's cargo and rustc are never used here.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RESOURCES="$HERE/src/main/resources/pwtck/filters/rust"
MANIFEST="$RESOURCES/manifest.json"
FILTERS=(auth body counter grpc-callout headers org-product probe queue)
ABI_MARKER=proxy_abi_version_0_2_1
TARGET=wasm32-wasip1

mode=build
case "${1:-}" in
    "") ;;
    --check) mode=check ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

die_toolchain() {
    echo "build.sh: $1" >&2
    echo "build.sh: the Rust wasm toolchain is missing or incomplete; run: filters-rust/install-toolchain.sh (as root)" >&2
    exit 2
}

[ -x /usr/bin/rustc ] || die_toolchain "/usr/bin/rustc not found (Debian package rustc-web)"
[ -x /usr/bin/cargo ] || die_toolchain "/usr/bin/cargo not found (Debian package cargo-web)"
case "$(/usr/bin/rustc --version 2>/dev/null)" in
    "rustc 1.96."*) ;;
    *) die_toolchain "/usr/bin/rustc is not rustc 1.96 ($(/usr/bin/rustc --version 2>&1 || true))" ;;
esac
[ -f /usr/lib/rustlib/src/rust/library/Cargo.lock ] || die_toolchain "std sources not found (Debian package rust-web-src)"
command -v wasm-ld-22 >/dev/null 2>&1 || die_toolchain "wasm-ld-22 not found (Debian package lld-22)"
[ -f /usr/lib/wasm32-wasi/libc.a ] || die_toolchain "/usr/lib/wasm32-wasi/libc.a not found (Debian package wasi-libc)"

sha256() { sha256sum "$1" | cut -d' ' -f1; }
size_of() { stat -c %s "$1"; }

toolchain_string() {
    local v deb
    v=$(/usr/bin/rustc --version | awk '{print $2}')
    deb=$(dpkg-query -W -f '${Version}' rustc-web 2>/dev/null || echo unknown)
    echo "rustc $v (Debian rustc-web $deb)"
}

# A clean, fixed environment: only Debian's toolchain, no inherited flags.
unset RUSTFLAGS CARGO_ENCODED_RUSTFLAGS RUSTDOCFLAGS CARGO_BUILD_RUSTFLAGS CARGO_BUILD_TARGET \
      CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR CARGO_PROFILE_RELEASE_DEBUG RUSTC_WRAPPER \
      RUSTC_WORKSPACE_WRAPPER CARGO_BUILD_RUSTC_WRAPPER CARGO_INCREMENTAL RUSTUP_TOOLCHAIN
export RUSTC=/usr/bin/rustc
export RUSTC_BOOTSTRAP=1   # for -Zbuild-std and -Ztrim-paths on Debian's stable compiler
export CARGO_TARGET_WASM32_WASIP1_RUSTFLAGS="-C linker=wasm-ld-22 -C link-self-contained=no -L /usr/lib/wasm32-wasi -C debuginfo=0"
export SOURCE_DATE_EPOCH=0
export LC_ALL=C

target_dir="${PWTCK_RUST_TARGET_DIR:-$HERE/target}"

cd "$HERE"
echo "build.sh: $(toolchain_string), target $TARGET, cargo target dir $target_dir"
start=$(date +%s)
# trim-paths remaps every source path (workspace, registry, std) to a path that depends on
# neither the checkout directory nor $HOME/$CARGO_HOME, so the outputs are byte-identical anywhere.
/usr/bin/cargo build --locked --release --workspace \
    --target "$TARGET" \
    -Zbuild-std=std,panic_abort \
    -Ztrim-paths --config 'profile.release.trim-paths="all"' \
    --target-dir "$target_dir"
echo "build.sh: cargo build took $(( $(date +%s) - start ))s"

built_file() { echo "$target_dir/$TARGET/release/${1//-/_}.wasm"; }

for name in "${FILTERS[@]}"; do
    f=$(built_file "$name")
    [ -f "$f" ] || { echo "build.sh: $f was not built" >&2; exit 1; }
    grep -q -a "$ABI_MARKER" "$f" || { echo "build.sh: $name.wasm does not export $ABI_MARKER" >&2; exit 1; }
    if command -v wasm-validate >/dev/null 2>&1; then
        wasm-validate "$f" || { echo "build.sh: $name.wasm does not validate" >&2; exit 1; }
    fi
done

if [ "$mode" = build ]; then
    mkdir -p "$RESOURCES"
    {
        echo "{"
        echo "  \"language\": \"rust\","
        echo "  \"toolchain\": \"$(toolchain_string)\","
        echo "  \"sdk\": \"proxy-wasm 0.2.5\","
        echo "  \"target\": \"$TARGET\","
        echo "  \"filters\": ["
        n=${#FILTERS[@]}
        i=0
        for name in "${FILTERS[@]}"; do
            i=$((i + 1))
            f=$(built_file "$name")
            cp "$f" "$RESOURCES/$name.wasm"
            sep=","
            [ "$i" = "$n" ] && sep=""
            echo "    {\"name\": \"$name\", \"file\": \"$name.wasm\", \"size\": $(size_of "$f"), \"sha256\": \"$(sha256 "$f")\", \"abiMarker\": \"$ABI_MARKER\"}$sep"
        done
        echo "  ]"
        echo "}"
    } > "$MANIFEST.tmp"
    mv "$MANIFEST.tmp" "$MANIFEST"
    for name in "${FILTERS[@]}"; do
        printf 'build.sh: %-13s %7s bytes  sha256 %s\n' "$name" "$(size_of "$RESOURCES/$name.wasm")" "$(sha256 "$RESOURCES/$name.wasm")"
    done
    echo "build.sh: wrote $MANIFEST"
    exit 0
fi

# --check
[ -f "$MANIFEST" ] || { echo "build.sh --check: $MANIFEST is missing" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mismatches=0
for name in "${FILTERS[@]}"; do
    cp "$(built_file "$name")" "$tmp/$name.wasm"
    built=$(sha256 "$tmp/$name.wasm")
    line=$(grep -F "\"name\": \"$name\"," "$MANIFEST" || true)
    want=$(printf '%s' "$line" | sed -n -E 's/.*"sha256": "([0-9a-f]{64})".*/\1/p')
    if [ -z "$line" ]; then
        echo "MISMATCH $name: not in manifest.json (built $built)"
        mismatches=$((mismatches + 1))
        continue
    fi
    if [ -z "$want" ]; then
        echo "MISMATCH $name: manifest.json has no valid sha256 for it (built $built)"
        mismatches=$((mismatches + 1))
        continue
    fi
    if [ "$built" != "$want" ]; then
        echo "MISMATCH $name: built sha256 $built, manifest.json has $want"
        mismatches=$((mismatches + 1))
    fi
    if [ ! -f "$RESOURCES/$name.wasm" ]; then
        echo "MISMATCH $name: checked-in $name.wasm is missing"
        mismatches=$((mismatches + 1))
    elif [ "$(sha256 "$RESOURCES/$name.wasm")" != "$want" ]; then
        echo "MISMATCH $name: checked-in $name.wasm has sha256 $(sha256 "$RESOURCES/$name.wasm"), manifest.json has $want"
        mismatches=$((mismatches + 1))
    fi
done
listed=$(grep -c '"name": ' "$MANIFEST" || true)
if [ "$listed" != "${#FILTERS[@]}" ]; then
    echo "MISMATCH manifest.json lists $listed filters, build.sh builds ${#FILTERS[@]}"
    mismatches=$((mismatches + 1))
fi
if [ "$mismatches" -gt 0 ]; then
    echo "build.sh --check: $mismatches mismatch(es); rebuild with filters-rust/build.sh and commit the outputs"
    exit 1
fi
echo "build.sh --check: all ${#FILTERS[@]} filters match manifest.json"
