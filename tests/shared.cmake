# What the POSIX suite (CMakeLists.txt) and the Windows suite (windows.cmake) build
# alike.

set(enough_test_warnings -Wall -Wextra -Wpedantic -Werror)

# The GoogleTest suites that run on every system; each suite adds its own.
set(enough_portable_test_sources
  abandon_test.cpp
  allocation_counter.cpp
  callbacks_test.cpp
  deadline_test.cpp
  depth_test.cpp
  flat_api_test.cpp
  hostile_input_test.cpp
  interfaces_test.cpp
  lifetime_test.cpp
  linked_test.cpp
  linked_token_test.cpp
  projection_test.cpp
  reasons_test.cpp
  std_interop_test.cpp
  stress_test.cpp
  threads_test.cpp
  wait_handle_test.cpp
  watch_list_test.cpp)

# The C-language tests (C99, pedantic): c.vtables and c.foreign_token.
function(enough_add_c_tests)
  add_executable(enough_c_vtable_test c/vtable_test.c)
  target_compile_options(enough_c_vtable_test PRIVATE ${enough_test_warnings})
  target_link_libraries(enough_c_vtable_test PRIVATE enough::enough)
  add_test(NAME c.vtables COMMAND enough_c_vtable_test)
  add_executable(enough_c_foreign_token_test c/foreign_token_test.c)
  target_compile_options(enough_c_foreign_token_test PRIVATE ${enough_test_warnings})
  target_link_libraries(enough_c_foreign_token_test PRIVATE enough::enough Threads::Threads)
  add_test(NAME c.foreign_token COMMAND enough_c_foreign_token_test)
  set_tests_properties(c.vtables c.foreign_token PROPERTIES LABELS "c")

  # A host loads the library, uses it, unloads it, then forks and exits (POSIX: the
  # handlers it left with the C library must leave with it).
  if(NOT WIN32)
    add_executable(enough_c_unload_test c/unload_test.c)
    target_compile_options(enough_c_unload_test PRIVATE ${enough_test_warnings})
    if(ENOUGH_ZIG_TARGET) # zig links a program without shared libraries statically: no dlopen then
      target_link_options(enough_c_unload_test PRIVATE -dynamic)
    endif()
    target_link_libraries(enough_c_unload_test PRIVATE ${CMAKE_DL_LIBS})
    target_include_directories(enough_c_unload_test PRIVATE ${PROJECT_SOURCE_DIR}/tests/c)
    add_dependencies(enough_c_unload_test enough)
    add_test(NAME c.unload COMMAND enough_c_unload_test $<TARGET_FILE:enough>)
    # The library's thread object is leaked on purpose (threads still running at exit
    # may use it); unloaded, nothing points at it any more: 392 bytes per load and
    # unload, which LeakSanitizer would report. Its other checks stand.
    set_tests_properties(c.unload PROPERTIES LABELS "c"
      ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1")
  endif()

  # No process waits at exit for a callback: exit(), returning from main and SIGTERM
  # (POSIX: Windows has no SIGTERM; listed as not run) while a deadline's callback
  # blocks on the library's thread.
  add_executable(enough_c_exit_during_callback c/exit_during_callback.c)
  target_compile_options(enough_c_exit_during_callback PRIVATE ${enough_test_warnings})
  target_link_libraries(enough_c_exit_during_callback PRIVATE enough::enough Threads::Threads)
  set(ways exit return)
  if(NOT WIN32)
    list(APPEND ways sigterm)
  endif()
  foreach(way IN LISTS ways)
    add_test(NAME c.exit_during_callback.${way}
      COMMAND ${CMAKE_COMMAND} -DPROGRAM=$<TARGET_FILE:enough_c_exit_during_callback>
              "-DEMULATOR=${CMAKE_CROSSCOMPILING_EMULATOR}" -DARGS=${way} -DEXPECT=7
              -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/run_expecting.cmake)
    set_tests_properties(c.exit_during_callback.${way} PROPERTIES LABELS "c" TIMEOUT 120
      CROSSCOMPILING_EMULATOR "")
  endforeach()
endfunction()

# GoogleTest: the system's, or, for another target, built from Debian's sources
# (libgtest-dev ships them). Either way GTest::gtest_main is the target to link.
function(enough_find_gtest)
  if(NOT CMAKE_CROSSCOMPILING)
    find_package(GTest REQUIRED)
    return()
  endif()
  set(gtest_force_shared_crt ON CACHE BOOL "" FORCE)
  set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
  add_subdirectory(/usr/src/googletest ${CMAKE_CURRENT_BINARY_DIR}/googletest EXCLUDE_FROM_ALL)
  if(NOT TARGET GTest::gtest_main) # googletest 1.11 names it itself
    add_library(GTest::gtest_main ALIAS gtest_main)
  endif()
endfunction()

# The other process of the cross-process tests (process/peer.cpp), built before
# `tests`, which knows it as ENOUGH_PROCESS_PEER: `where` (its path, or on Windows its
# file name beside the tests). Under an emulator on Linux (qemu-user: the kernel cannot
# exec the target's programs) `where` is a script that runs the peer through it.
function(enough_add_process_peer tests where)
  add_executable(enough_process_peer process/peer.cpp)
  target_compile_options(enough_process_peer PRIVATE ${enough_test_warnings})
  target_link_libraries(enough_process_peer PRIVATE enough::enough)
  add_dependencies(${tests} enough_process_peer)
  if(CMAKE_CROSSCOMPILING_EMULATOR AND NOT WIN32)
    # Written at configure time (file(GENERATE) with FILE_PERMISSIONS crashes CMake
    # 3.25), so the peer goes where the script expects it.
    set_target_properties(enough_process_peer PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set(where ${CMAKE_CURRENT_BINARY_DIR}/enough_process_peer_emulated)
    file(WRITE ${where}
      "#!/bin/sh\nexec ${CMAKE_CROSSCOMPILING_EMULATOR} ${CMAKE_CURRENT_BINARY_DIR}/enough_process_peer \"$@\"\n")
    file(CHMOD ${where} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
  endif()
  target_compile_definitions(${tests} PRIVATE ENOUGH_PROCESS_PEER="${where}")
endfunction()

# platform.not_run: prints what does not run on this platform, each with its reason
# (ctest -V shows it, and so does CI's log): `title`, then one line per item.
function(enough_add_not_run title)
  list(JOIN ARGN "\n  " text)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/not_run.txt "${title}:\n  ${text}\n")
  add_test(NAME platform.not_run COMMAND ${CMAKE_COMMAND} -E cat ${CMAKE_CURRENT_BINARY_DIR}/not_run.txt)
  set_tests_properties(platform.not_run PROPERTIES LABELS "platform")
endfunction()

# The installed package used by a project that knows nothing else: find_package(enough)
# (tests/downstream: the shared, static and C++ consumers) and enough.pc (a C consumer),
# built with this build's compilers and run under its emulator, if any.
function(enough_add_install_tests)
  set(prefix ${CMAKE_CURRENT_BINARY_DIR}/installed)
  set(libdir ${prefix}/${CMAKE_INSTALL_LIBDIR})
  set(environment "PKG_CONFIG_PATH=${libdir}/pkgconfig")
  set(rpath -Wl,-rpath,${libdir})
  if(WIN32)
    list(APPEND environment "WINEPATH=Z:${prefix}/bin") # where the consumers find enough.dll
    set(rpath "")
  endif()
  add_test(NAME install.package
    COMMAND ${CMAKE_COMMAND} --install ${PROJECT_BINARY_DIR} --prefix ${prefix})
  add_test(NAME install.downstream
    COMMAND ${CMAKE_CTEST_COMMAND}
      --build-and-test ${CMAKE_CURRENT_SOURCE_DIR}/downstream ${CMAKE_CURRENT_BINARY_DIR}/downstream
      --build-generator ${CMAKE_GENERATOR}
      --build-options -Denough_DIR=${libdir}/cmake/enough -DCMAKE_BUILD_TYPE=Release
                      $<$<BOOL:${CMAKE_TOOLCHAIN_FILE}>:-DCMAKE_TOOLCHAIN_FILE=${CMAKE_TOOLCHAIN_FILE}>
                      $<$<BOOL:${ENOUGH_ZIG_TARGET}>:-DENOUGH_ZIG_TARGET=${ENOUGH_ZIG_TARGET}>
                      "$<$<BOOL:${ENOUGH_ZIG_TARGET}>:-DCMAKE_CROSSCOMPILING_EMULATOR=${CMAKE_CROSSCOMPILING_EMULATOR}>"
      --test-command ${CMAKE_CTEST_COMMAND} --output-on-failure)
  set(consumer ./pc_consumer${CMAKE_EXECUTABLE_SUFFIX})
  add_test(NAME install.pkg_config # (zig's compiler is `zig` with ARG1 `cc -target ...`)
    COMMAND sh -c "${CMAKE_C_COMPILER} ${CMAKE_C_COMPILER_ARG1} -std=c99 -Wall -Werror ${CMAKE_CURRENT_SOURCE_DIR}/downstream/main.c $(pkg-config --cflags --libs enough) ${rpath} -o ${consumer} && ${CMAKE_CROSSCOMPILING_EMULATOR} ${consumer}")
  set_tests_properties(install.package PROPERTIES FIXTURES_SETUP enough_installed LABELS "install")
  set_tests_properties(install.downstream install.pkg_config PROPERTIES
    FIXTURES_REQUIRED enough_installed LABELS "install" ENVIRONMENT "${environment}"
    WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
endfunction()
