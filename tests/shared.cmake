# What the POSIX suite (CMakeLists.txt) and the Windows suite (windows.cmake) build
# alike.

set(enough_test_warnings -Wall -Wextra -Wpedantic -Werror)

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
