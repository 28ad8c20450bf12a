# Sourced by the other scripts: installs the Debian packages a step needs, once.
#   ensure_packages PKG...   installs whichever of PKG... is missing (apt-get).

#   ensure_arm64_python DIR  Debian's CPython for arm64, unpacked into DIR (see below).

# Runs a command as root: directly, or through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null; then
        sudo "$@"
    else
        echo "need root (or sudo) for: $*" >&2
        return 1
    fi
}

apt_update_once() {
    if [ -z "${ENOUGH_APT_UPDATED:-}" ]; then
        as_root apt-get update -qq
        export ENOUGH_APT_UPDATED=1
    fi
}

ensure_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}"
    apt_update_once
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The aarch64 wheel is compiled against arm64 CPython's pyconfig.h and tested by arm64
# CPython under qemu-user: Debian's own packages for arm64 (the host's Python version),
# downloaded and unpacked into DIR, never installed. apt needs arm64 in its list of
# foreign architectures to download them (added once, with an apt-get update).
ensure_arm64_python() {
    local dir="$1"
    local version
    version="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    [ -x "$dir/usr/bin/python$version" ] && return 0
    if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        as_root dpkg --add-architecture arm64
        unset ENOUGH_APT_UPDATED
    fi
    apt_update_once
    rm -rf "$dir" && mkdir -p "$dir/download"
    (cd "$dir/download" && apt-get download -qq "python$version-minimal:arm64" "libpython$version-minimal:arm64" \
        "libpython$version-stdlib:arm64" "libpython$version-dev:arm64" zlib1g:arm64 libexpat1:arm64 libffi8:arm64 \
        2> >(grep -v 'unsandboxed' >&2))
    local deb
    for deb in "$dir"/download/*.deb; do dpkg -x "$deb" "$dir"; done
}

# What every build needs, with gRPC and Asio for the optional components (always
# built in CI).
ENOUGH_BUILD_PACKAGES=(cmake make g++ pkg-config libmsgsl-dev libgtest-dev libbenchmark-dev valgrind
                       abigail-tools libgrpc++-dev libprotobuf-dev protobuf-compiler
                       protobuf-compiler-grpc libasio-dev)

# The windows-x64 preset: mingw-w64 (posix threads) to build, Wine to run the tests.
ENOUGH_WINDOWS_PACKAGES=(g++-mingw-w64-x86-64-posix mingw-w64 wine wine64)

# The linux-arm64 preset: the aarch64 cross compiler to build, qemu-user to run the tests.
ENOUGH_ARM64_PACKAGES=(g++-aarch64-linux-gnu qemu-user)

# The fuzz build: clang and its libFuzzer runtime.
ENOUGH_FUZZ_PACKAGES=(clang libclang-rt-14-dev)

# The built-only targets (scripts/cross-check): zig, from PyPI (ziglang, pinned) into
# build/tools/zig of this tree, and Debian's llvm tools to read what it makes.
ENOUGH_ZIG_PACKAGES=(cmake make libmsgsl-dev llvm python3-venv curl)
ENOUGH_ZIG_VERSION=0.17.0
# musl 1.2.5, the version zig links against, from Debian 13's package (Debian 12's is
# 1.2.3, whose loader lacks statx): its loader runs the musl builds here, natively for
# x86-64 and under qemu-user for arm64. Unpacked into DIR (DIR/usr/lib/ld-musl-*.so.1).
#   ensure_musl_loader DIR amd64|arm64
ENOUGH_MUSL_DEB="musl_1.2.5-3.1~deb13u1"
ensure_musl_loader() {
    local dir="$1" arch="$2"
    compgen -G "$dir/usr/lib/ld-musl-*.so.1" >/dev/null && return 0
    rm -rf "$dir" && mkdir -p "$dir"
    curl -fsSL -o "$dir/musl.deb" "http://deb.debian.org/debian/pool/main/m/musl/${ENOUGH_MUSL_DEB}_$arch.deb"
    dpkg-deb -x "$dir/musl.deb" "$dir"
    ln -s usr/lib "$dir/lib" # where the programs name their loader: /lib/ld-musl-*.so.1
}

# Everything the zig presets need (scripts/cross-check, the musl suites of scripts/test):
# the packages, zig, musl's loaders, and zig's caches in this tree (its C++ runtime and
# C library, built once per target).
ensure_zig_toolchain() {
    local tools
    tools="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/tools"
    ensure_packages "${ENOUGH_ZIG_PACKAGES[@]}" "${ENOUGH_ARM64_PACKAGES[@]}"
    ensure_zig
    ensure_musl_loader "$tools/musl-amd64" amd64
    ensure_musl_loader "$tools/musl-arm64" arm64
    export ZIG_GLOBAL_CACHE_DIR="$tools/zig-cache" ZIG_LOCAL_CACHE_DIR="$tools/zig-cache"
}

# Conan 2 (scripts/conan-check), from PyPI (pinned) into a venv in build/tools, with its
# home (profiles, package cache) beside it: nothing outside the tree.
ENOUGH_CONAN_VERSION=2.34.0
ensure_conan() {
    local tools
    tools="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/tools"
    ensure_packages python3-venv
    if [ "$("$tools/conan-venv/bin/conan" --version 2>/dev/null)" != "Conan version $ENOUGH_CONAN_VERSION" ]; then
        rm -rf "$tools/conan-venv"
        python3 -m venv "$tools/conan-venv"
        "$tools/conan-venv/bin/python" -m pip install -q --disable-pip-version-check "conan==$ENOUGH_CONAN_VERSION"
    fi
    export CONAN_HOME="$tools/conan-home" PATH="$tools/conan-venv/bin:$PATH"
}

zig_path() { echo "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/tools/zig/ziglang/zig"; }
ensure_zig() {
    local zig
    zig="$(zig_path)"
    [ -x "$zig" ] && [ "$("$zig" version)" = "$ENOUGH_ZIG_VERSION" ] && return 0
    local tools
    tools="$(dirname "$(dirname "$(dirname "$zig")")")" # build/tools
    rm -rf "$tools/zig" "$tools/pip-venv"
    python3 -m venv "$tools/pip-venv" # a pip of its own: the system's may be externally managed
    "$tools/pip-venv/bin/python" -m pip install -q --disable-pip-version-check --target "$tools/zig" \
        "ziglang==$ENOUGH_ZIG_VERSION"
}

# The toolchains of the samples and packages in other languages: Python (with venv,
# pip and headers: the wheel builds a limited-API extension), mono, and Node (Debian's,
# unless the machine already has a node and npm of its own). The packages' own
# dependencies (scikit-build-core, pytest, koffi, typescript) come from PyPI and npm
# when their tests install them into clean environments.
ensure_sample_toolchains() {
    local packages=(python3 python3-venv python3-pip python3-dev mono-mcs mono-runtime)
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        packages+=(nodejs npm)
    fi
    ensure_packages "${packages[@]}"
}

# Wall time per step (where CI's minutes go): step_done NAME after each step, then
# step_times prints them and the total since the script started, with how busy the
# cores were meanwhile (niced background work included): an idle core is room to
# start something earlier.
step_timings=()
step_started=$SECONDS
cpu_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat; } # busy idle
read -r step_busy step_idle < <(cpu_ticks)
step_done() {
    local busy idle
    read -r busy idle < <(cpu_ticks)
    local total=$((busy - step_busy + idle - step_idle))
    step_timings+=("$(printf '%5d s  %3d%% busy  %s' $((SECONDS - step_started)) \
        $(( total > 0 ? 100 * (busy - step_busy) / total : 0 )) "$1")")
    step_started=$SECONDS step_busy=$busy step_idle=$idle
}
step_times() {
    printf '%s\n' "${step_timings[@]}"
    printf '%5d s  in all\n' "$SECONDS"
}
