# Sourced by the other scripts: installs the Debian packages a step needs, once.
#   ensure_packages PKG...   installs whichever of PKG... is missing (apt-get).

ensure_packages() {
    local missing=()
    local pkg
    for pkg in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    local sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; return 1; }
        sudo="sudo"
    fi
    echo "installing: ${missing[*]}"
    if [ -z "${ENOUGH_APT_UPDATED:-}" ]; then
        $sudo apt-get update -qq
        export ENOUGH_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
