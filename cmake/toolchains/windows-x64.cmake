# Cross-compiling for Windows x64 with Debian's mingw-w64 (the posix thread model, so
# std::thread and std::mutex work): apt-get install g++-mingw-w64-x86-64-posix mingw-w64.
# Tests run under Wine (CMAKE_CROSSCOMPILING_EMULATOR; scripts/wine-run).
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(CMAKE_C_COMPILER x86_64-w64-mingw32-gcc-posix)
set(CMAKE_CXX_COMPILER x86_64-w64-mingw32-g++-posix)
set(CMAKE_RC_COMPILER x86_64-w64-mingw32-windres)
set(CMAKE_FIND_ROOT_PATH /usr/x86_64-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/target_root.cmake)
set(CMAKE_CROSSCOMPILING_EMULATOR ${CMAKE_CURRENT_LIST_DIR}/../../scripts/wine-run)
# A Windows user has no mingw runtime: libstdc++, libgcc and winpthread are linked in
# statically, into enough.dll and every program; they then import system DLLs only.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-static")
set(CMAKE_SHARED_LINKER_FLAGS_INIT "-static")
