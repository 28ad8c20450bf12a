# Sourced by the packages' test-installed.sh: installs the native library from a CMake
# build into a clean prefix and points pkg-config and the loader at it.
#   install_enough BUILD_DIR PREFIX
install_enough() {
    rm -rf "$2"
    cmake --install "$1" --prefix "$2" >/dev/null
    export PKG_CONFIG_PATH="$2/lib/pkgconfig"
    export LD_LIBRARY_PATH="$2/lib"
    unset ENOUGH_LIBRARY
}
