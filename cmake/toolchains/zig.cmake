# Cross-compiling with zig (`zig cc` / `zig c++`) for the targets Debian's compilers do
# not reach: old glibc, musl, macOS, FreeBSD, Windows on Arm. zig comes from PyPI
# (ziglang; scripts/deps.sh ensure_zig puts it in build/tools/zig). The preset names the
# zig target in ENOUGH_ZIG_TARGET (arch-os[-abi], e.g. x86_64-linux-gnu.2.17,
# aarch64-macos); the system name and processor follow from it.
if(NOT ENOUGH_ZIG_TARGET)
  set(ENOUGH_ZIG_TARGET "$ENV{ENOUGH_ZIG_TARGET}")
endif()
if(NOT ENOUGH_ZIG_TARGET)
  message(FATAL_ERROR "zig.cmake: set ENOUGH_ZIG_TARGET (a zig target, e.g. aarch64-macos)")
endif()
# try_compile projects read this file again: they need the target too.
set(ENV{ENOUGH_ZIG_TARGET} "${ENOUGH_ZIG_TARGET}")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES ENOUGH_ZIG_TARGET)

string(REPLACE "-" ";" enough_zig_parts "${ENOUGH_ZIG_TARGET}")
list(GET enough_zig_parts 0 enough_zig_arch)
list(GET enough_zig_parts 1 enough_zig_os)
set(enough_zig_systems linux Linux macos Darwin freebsd FreeBSD windows Windows)
string(REGEX REPLACE "\\..*" "" enough_zig_os_name "${enough_zig_os}") # macos.11.0 -> macos
list(FIND enough_zig_systems "${enough_zig_os_name}" enough_zig_index)
if(enough_zig_index LESS 0)
  message(FATAL_ERROR "zig.cmake: no system for the zig target ${ENOUGH_ZIG_TARGET}")
endif()
math(EXPR enough_zig_index "${enough_zig_index} + 1")
list(GET enough_zig_systems ${enough_zig_index} CMAKE_SYSTEM_NAME)
set(CMAKE_SYSTEM_PROCESSOR ${enough_zig_arch})
if(enough_zig_os MATCHES "^macos")
  if(enough_zig_arch STREQUAL "aarch64")
    set(CMAKE_SYSTEM_PROCESSOR arm64) # as uname -m says there
  endif()
  # The Darwin version of the oldest macOS named (macos.10.13 -> 17, macos.11.0 -> 20):
  # CMake gives @rpath install names only where it knows rpaths work.
  if(enough_zig_os MATCHES "^macos\\.10\\.([0-9]+)")
    math(EXPR CMAKE_SYSTEM_VERSION "${CMAKE_MATCH_1} + 4")
  elseif(enough_zig_os MATCHES "^macos\\.([0-9]+)")
    math(EXPR CMAKE_SYSTEM_VERSION "${CMAKE_MATCH_1} + 9")
  else()
    set(CMAKE_SYSTEM_VERSION 20)
  endif()
endif()

find_program(ENOUGH_ZIG zig
  HINTS "${CMAKE_CURRENT_LIST_DIR}/../../build/tools/zig/ziglang" NO_CACHE REQUIRED)
set(CMAKE_C_COMPILER "${ENOUGH_ZIG}" cc -target ${ENOUGH_ZIG_TARGET})
# zig builds the target's C++ runtime (libc++, libc++abi, libunwind: about a minute of one
# core, cold) once for each kind of code it links, and -flto is a kind of its own. On
# ELF, where the library is linked with -flto (ENOUGH_LTO), all C++ is compiled so,
# CMake's compiler checks included, by the library's build and by the packages' builds
# that link it (the Python wheels): one runtime build serves them all instead of two.
# Not where tests are built (a test program is quicker to build without), nor for Mach-O
# or PE (zig's LTO needs LLD's ELF linker).
if(enough_zig_os_name MATCHES "^(linux|freebsd)$" AND (NOT DEFINED ENOUGH_LTO OR ENOUGH_LTO)
   AND NOT ENOUGH_BUILD_TESTS)
  set(enough_zig_lto -flto=thin)
endif()
set(CMAKE_CXX_COMPILER "${ENOUGH_ZIG}" c++ -target ${ENOUGH_ZIG_TARGET} ${enough_zig_lto})
# Archives by zig's own ar and ranlib (its LLVM's: they read the bitcode of -flto
# objects, which an older llvm-ar cannot), through two scripts written here.
foreach(enough_zig_tool ar ranlib)
  set(enough_zig_wrapper "${CMAKE_BINARY_DIR}/zig-${enough_zig_tool}")
  if(NOT EXISTS "${enough_zig_wrapper}")
    file(WRITE "${enough_zig_wrapper}" "#!/bin/sh\nexec \"${ENOUGH_ZIG}\" ${enough_zig_tool} \"$@\"\n")
    file(CHMOD "${enough_zig_wrapper}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
  endif()
endforeach()
set(CMAKE_AR "${CMAKE_BINARY_DIR}/zig-ar" CACHE FILEPATH "zig ar" FORCE)
set(CMAKE_RANLIB "${CMAKE_BINARY_DIR}/zig-ranlib" CACHE FILEPATH "zig ranlib" FORCE)
foreach(enough_zig_language C CXX) # what CMake archives -flto objects with
  set(CMAKE_${enough_zig_language}_COMPILER_AR "${CMAKE_AR}" CACHE FILEPATH "zig ar" FORCE)
  set(CMAKE_${enough_zig_language}_COMPILER_RANLIB "${CMAKE_RANLIB}" CACHE FILEPATH "zig ranlib" FORCE)
endforeach()

# musl: position-independent programs, as Alpine builds them (zig's default, a fixed
# address, had GoogleTest's programs die at start-up under musl 1.2.5's loader).
if(enough_zig_os STREQUAL "linux" AND ENOUGH_ZIG_TARGET MATCHES "musl")
  string(APPEND CMAKE_C_FLAGS_INIT " -fPIC")
  string(APPEND CMAKE_CXX_FLAGS_INIT " -fPIC")
  string(APPEND CMAKE_EXE_LINKER_FLAGS_INIT " -pie")
endif()

# zig brings the target's C library and headers; nothing of the build machine's is
# found for the target.
set(CMAKE_FIND_ROOT_PATH "${CMAKE_BINARY_DIR}/no-target-root")
include(${CMAKE_CURRENT_LIST_DIR}/target_root.cmake)
