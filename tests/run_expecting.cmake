# Runs one program and requires its exit code: cmake -DPROGRAM=... [-DEMULATOR=...]
# [-DARGS=a;b] -DEXPECT=N [-DLIMIT=seconds] -P run_expecting.cmake. A program that
# does not end within LIMIT (default 60 s; a hang, not a measure of speed) fails.
if(NOT DEFINED LIMIT)
  set(LIMIT 60)
endif()
execute_process(COMMAND ${EMULATOR} ${PROGRAM} ${ARGS}
  RESULT_VARIABLE result TIMEOUT ${LIMIT})
if(NOT "${result}" STREQUAL "${EXPECT}")
  message(FATAL_ERROR "${PROGRAM} ${ARGS}: ended with '${result}', expected ${EXPECT}")
endif()
message(STATUS "${PROGRAM} ${ARGS}: exit code ${result}, as expected")
