# The packages as another platform's user receives them, tested under its emulator
# (the windows-x64 preset under Wine, linux-arm64 under qemu-user): the npm tarball
# carrying this build's library, run by that platform's Node.js; and the wheel, run by
# that platform's CPython (the embeddable CPython for Windows; Debian's for arm64). The
# tools that build and install them (npm, pip) are the host's. Included by
# CMakeLists.txt.

if(WIN32)
  set(enough_node_target win32-x64)
  set(enough_python_target windows-x64)
else()
  set(enough_node_target linux-arm64)
  set(enough_python_target linux-arm64)
endif()

find_program(NODE_HOST_NPM npm)
enough_toolchain_test(NAME bindings.node LABEL bindings
  AVAILABLE NODE_HOST_NPM MISSING "npm (apt-get install npm)"
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/node/test-installed.sh
          ${CMAKE_CURRENT_BINARY_DIR}/node ${enough_node_target}=$<TARGET_FILE:enough>
  ENVIRONMENT ENOUGH_NODE_TARGET=${enough_node_target}
  TIMEOUT 900)

find_program(PYTHON_HOST python3)
enough_toolchain_test(NAME bindings.python LABEL bindings
  AVAILABLE PYTHON_HOST MISSING "python3 with pip"
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/python/test-installed.sh
          ${PYTHON_HOST} ${CMAKE_CURRENT_BINARY_DIR}/python
  ENVIRONMENT ENOUGH_PYTHON_TARGET=${enough_python_target}
  TIMEOUT 900)
