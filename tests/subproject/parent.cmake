# Shared by the parent projects: what a subproject build of enough must (not) define,
# and a test that each of the library's sources was compiled exactly once.
if(NOT ENOUGH_SOURCE_DIR)
  message(FATAL_ERROR "pass -DENOUGH_SOURCE_DIR=<the enough source tree>")
endif()
set(enough_parent_dir ${CMAKE_CURRENT_LIST_DIR})
enable_testing() # (in a function it would not reach the directory)

# Only the library by default: none of the tree's other targets exist.
function(enough_expect_library_only)
  foreach(target IN ITEMS enough_tests enough-demo enough_grpc enough_fuzz_replay)
    if(TARGET ${target})
      message(FATAL_ERROR "the subproject defined ${target}: only the library is built by default")
    endif()
  endforeach()
  foreach(target IN ITEMS enough::enough enough::enough_static)
    if(NOT TARGET ${target})
      message(FATAL_ERROR "the subproject did not define ${target}")
    endif()
  endforeach()
endfunction()

# subproject.compiled_once: after the build, every source of src/sources.txt and of the
# backend's list has exactly one object file under `binary_dir`.
function(enough_add_compiled_once_test binary_dir)
  add_test(NAME compiled_once
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${ENOUGH_SOURCE_DIR} -DBINARY_DIR=${binary_dir}
            -P ${enough_parent_dir}/compiled_once.cmake)
endfunction()
