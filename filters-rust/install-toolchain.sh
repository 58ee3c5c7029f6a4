#!/usr/bin/env bash
# Installs (apt, as root) exactly what filters-rust/build.sh needs to build the Rust filters for
# wasm32-wasip1 without rustup's wasm target, then checks the versions. Idempotent: packages that
# are already installed are left alone and apt is not touched at all when nothing is missing.
#
#   rustc-web, cargo-web  Debian's Rust 1.96 (bookworm-security), at /usr/bin/rustc, /usr/bin/cargo
#   rust-web-src          the matching std sources, for -Zbuild-std (/usr/lib/rustlib/src/rust)
#   lld-22                wasm-ld-22, the linker
#   wasi-libc             /usr/lib/wasm32-wasi/libc.a, which wasm32-wasip1's std links against
#
# See README.md ("Toolchain") for why this route and which versions the checked-in outputs used.
set -euo pipefail

PACKAGES=(rustc-web cargo-web rust-web-src lld-22 wasi-libc)
# The versions the checked-in .wasm files were built with. Another Debian revision is accepted
# with a warning; `build.sh --check` then tells whether the outputs are still identical.
PINNED_RUST="1.96.0+dfsg1-1~deb12u2"
PINNED_LLD="1:22.1.8-1~deb12u1"
PINNED_WASI_LIBC="0.0~git20220510.9886d3d-2"

log() { echo "install-toolchain: $*"; }

installed_version() { # prints the installed version, or nothing
    { dpkg-query -W -f '${db:Status-Status} ${Version}' "$1" 2>/dev/null || true; } | awk '$1 == "installed" { print $2 }'
}

missing=()
for p in "${PACKAGES[@]}"; do
    v=$(installed_version "$p")
    if [ -n "$v" ]; then
        log "$p $v already installed"
    else
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        log "missing packages: ${missing[*]}; run this script as root" >&2
        exit 1
    fi
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -q
    apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}"
    for p in "${missing[@]}"; do
        log "$p $(installed_version "$p") installed"
    done
else
    log "nothing to install"
fi

fail() { log "ERROR: $*" >&2; exit 1; }
warn_pin() { # package pinned actual
    if [ "$2" != "$3" ]; then
        log "WARNING: $1 is $3, the checked-in filters were built with $2 (run build.sh --check)"
    fi
}

rustc_v=$(/usr/bin/rustc --version) || fail "/usr/bin/rustc does not run"
cargo_v=$(/usr/bin/cargo --version) || fail "/usr/bin/cargo does not run"
case "$rustc_v" in "rustc 1.96."*) ;; *) fail "/usr/bin/rustc is '$rustc_v', want rustc 1.96.x" ;; esac
case "$cargo_v" in "cargo 1.96."*) ;; *) fail "/usr/bin/cargo is '$cargo_v', want cargo 1.96.x" ;; esac
[ -f /usr/lib/rustlib/src/rust/library/Cargo.lock ] || fail "std sources missing at /usr/lib/rustlib/src/rust (rust-web-src)"
command -v wasm-ld-22 >/dev/null || fail "wasm-ld-22 not found (lld-22)"
[ -f /usr/lib/wasm32-wasi/libc.a ] || fail "/usr/lib/wasm32-wasi/libc.a missing (wasi-libc)"

warn_pin rustc-web "$PINNED_RUST" "$(installed_version rustc-web)"
warn_pin cargo-web "$PINNED_RUST" "$(installed_version cargo-web)"
warn_pin rust-web-src "$PINNED_RUST" "$(installed_version rust-web-src)"
warn_pin lld-22 "$PINNED_LLD" "$(installed_version lld-22)"
warn_pin wasi-libc "$PINNED_WASI_LIBC" "$(installed_version wasi-libc)"

log "$rustc_v at /usr/bin/rustc"
log "$cargo_v at /usr/bin/cargo"
log "$(wasm-ld-22 --version | sed -n 1p) at $(command -v wasm-ld-22)"
log "toolchain ready; build with filters-rust/build.sh"
