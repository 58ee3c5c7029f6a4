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
# The manifest and --check are ../filters-common/build-lib.sh; this file is the Rust toolchain.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../filters-common/build-lib.sh
source "$HERE/../filters-common/build-lib.sh"
filters_start rust "$@"

ABI_MARKER=proxy_abi_version_0_2_1
TARGET=wasm32-wasip1
MANIFEST_EXTRA=(target "$TARGET")

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

TOOLCHAIN="rustc $(/usr/bin/rustc --version | awk '{print $2}') (Debian rustc-web $(dpkg-query -W -f '${Version}' rustc-web 2>/dev/null || echo unknown))"
TOOLCHAIN_HINT=("another Debian build of rustc 1.96 may produce other bytes; mismatches below may then say nothing about the sources.")
# The SDK as Cargo.lock pins it (every filter uses the same proxy-wasm crate).
sdk_version=$(sed -n '/^name = "proxy-wasm"$/{n;s/^version = "\(.*\)"$/\1/p}' Cargo.lock)
[ -n "$sdk_version" ] || { echo "build.sh: Cargo.lock has no proxy-wasm package" >&2; exit 1; }
SDK="proxy-wasm $sdk_version"

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

# One cargo build for the whole workspace, then every module copied to $1.
filters_build_into() { # $1 = output dir
    local out="$1" name f start
    echo "build.sh: $TOOLCHAIN, target $TARGET, cargo target dir $target_dir"
    start=$(date +%s)
    # trim-paths remaps every source path (workspace, registry, std) to a path that depends on
    # neither the checkout directory nor $HOME/$CARGO_HOME, so the outputs are byte-identical anywhere.
    /usr/bin/cargo build --locked --release --workspace \
        --target "$TARGET" \
        -Zbuild-std=std,panic_abort \
        -Ztrim-paths --config 'profile.release.trim-paths="all"' \
        --target-dir "$target_dir"
    echo "build.sh: cargo build took $(( $(date +%s) - start ))s"
    for name in "${FILTERS[@]}"; do
        f="$target_dir/$TARGET/release/${name//-/_}.wasm"
        [ -f "$f" ] || { echo "build.sh: $f was not built" >&2; exit 1; }
        if command -v wasm-validate >/dev/null 2>&1; then
            wasm-validate "$f" || { echo "build.sh: $name.wasm does not validate" >&2; exit 1; }
        fi
        cp "$f" "$out/$name.wasm"
        echo "built $name.wasm ($(filters_size "$out/$name.wasm") bytes)"
    done
}

filters_main
