# Compares the built libenough.so with the committed ABI baseline. Fails on an
# incompatible change (abidiff bit 8: removed or changed functions or types) or an
# abidiff error; passes compatible additions (bit 4 alone), saying so.
#   cmake -DABIDIFF=abidiff -DBASELINE=libenough.so.abi -DLIBRARY=libenough.so -P check_abi.cmake
execute_process(COMMAND ${ABIDIFF} --exported-interfaces-only ${BASELINE} ${LIBRARY}
  OUTPUT_VARIABLE report ERROR_VARIABLE errors RESULT_VARIABLE status)
message("${report}${errors}")
if(NOT status MATCHES "^[0-9]+$")
  message(FATAL_ERROR "abidiff did not run: ${status}")
endif()
math(EXPR incompatible "${status} & 8")
math(EXPR failed "${status} & 3")
if(failed)
  message(FATAL_ERROR "abidiff failed (status ${status})")
elseif(incompatible)
  message(FATAL_ERROR "incompatible ABI change against ${BASELINE}: see above. If it is "
                      "deliberate, bump the major version and run scripts/update-abi-baseline.")
elseif(status)
  message(STATUS "compatible ABI additions since the baseline (fine; update it at the next release)")
else()
  message(STATUS "ABI identical to the baseline")
endif()
