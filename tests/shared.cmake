# What the POSIX suite (CMakeLists.txt) and the Windows suite (windows.cmake) build
# alike.

set(enough_test_warnings -Wall -Wextra -Wpedantic -Werror)

# The GoogleTest suites that run on every system; each suite adds its own.
set(enough_portable_test_sources
  allocation_counter.cpp
  callbacks_test.cpp
  deadline_test.cpp
  depth_test.cpp
  flat_api_test.cpp
  hostile_input_test.cpp
  interfaces_test.cpp
  lifetime_test.cpp
  linked_test.cpp
  reasons_test.cpp
  std_interop_test.cpp
  stress_test.cpp
  threads_test.cpp
  wait_handle_test.cpp)

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
endfunction()

# The other process of the cross-process tests (process/peer.cpp), built before
# `tests`, which knows it as ENOUGH_PROCESS_PEER: `where` (its path, or on Windows its
# file name beside the tests).
function(enough_add_process_peer tests where)
  add_executable(enough_process_peer process/peer.cpp)
  target_compile_options(enough_process_peer PRIVATE ${enough_test_warnings})
  target_link_libraries(enough_process_peer PRIVATE enough::enough)
  add_dependencies(${tests} enough_process_peer)
  target_compile_definitions(${tests} PRIVATE ENOUGH_PROCESS_PEER="${where}")
endfunction()
