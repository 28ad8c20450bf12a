# The packages as a Windows user receives them, tested under Wine (the windows-x64
# preset): the npm tarball carrying prebuilds/win32-x64/enough.dll, run by Node.js for
# Windows; the win_amd64 wheel, run by the embeddable CPython for Windows. The tools
# that build and install them (npm, pip) are the host's. Included by CMakeLists.txt.

find_program(NODE_HOST_NPM npm)
enough_toolchain_test(NAME bindings.node LABEL bindings
  AVAILABLE NODE_HOST_NPM MISSING "npm (apt-get install npm)"
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/node/test-installed.sh
          ${CMAKE_CURRENT_BINARY_DIR}/node win32-x64=$<TARGET_FILE:enough>
  ENVIRONMENT ENOUGH_NODE_WINDOWS=1
  TIMEOUT 900)

find_program(PYTHON_HOST python3)
enough_toolchain_test(NAME bindings.python LABEL bindings
  AVAILABLE PYTHON_HOST MISSING "python3 with pip"
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/python/test-installed.sh
          ${PYTHON_HOST} ${CMAKE_CURRENT_BINARY_DIR}/python
  ENVIRONMENT ENOUGH_PYTHON_WINDOWS=1
  TIMEOUT 900)
