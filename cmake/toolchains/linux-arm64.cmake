# Cross-compiling for Linux arm64 (aarch64) with Debian's cross compiler:
# apt-get install g++-aarch64-linux-gnu qemu-user. Tests run under qemu-user
# (CMAKE_CROSSCOMPILING_EMULATOR; scripts/qemu-run), with the target's libraries from
# /usr/aarch64-linux-gnu.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
include(${CMAKE_CURRENT_LIST_DIR}/target_root.cmake)
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../../scripts/qemu-run)
