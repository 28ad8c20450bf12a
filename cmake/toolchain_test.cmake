# enough_toolchain_test(NAME name LABEL label AVAILABLE condition MISSING "what to install"
#                       COMMAND command... [ENVIRONMENT VAR=value...] [TIMEOUT seconds])
# Registers a test that needs another language's toolchain. When the toolchain is
# missing the test still exists and is reported as skipped, saying what to install
# (CI, which installs every toolchain, fails on any skip).
function(enough_toolchain_test)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "NAME;LABEL;AVAILABLE;MISSING;TIMEOUT"
                        "COMMAND;ENVIRONMENT")
  if(${arg_AVAILABLE})
    add_test(NAME ${arg_NAME} COMMAND ${arg_COMMAND})
  else()
    add_test(NAME ${arg_NAME}
      COMMAND ${CMAKE_COMMAND} -E echo "SKIPPED: ${arg_NAME} needs ${arg_MISSING}")
    set_tests_properties(${arg_NAME} PROPERTIES SKIP_REGULAR_EXPRESSION "SKIPPED:")
  endif()
  if(NOT arg_TIMEOUT)
    set(arg_TIMEOUT 120)
  endif()
  set_tests_properties(${arg_NAME} PROPERTIES LABELS "${arg_LABEL}" TIMEOUT ${arg_TIMEOUT})
  if(arg_ENVIRONMENT)
    set_tests_properties(${arg_NAME} PROPERTIES ENVIRONMENT "${arg_ENVIRONMENT}")
  endif()
endfunction()
