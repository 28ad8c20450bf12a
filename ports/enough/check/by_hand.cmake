# The port's CMake steps run by hand, without the vcpkg tool (which is not installable
# here): portfile.cmake is included with stand-ins for the vcpkg functions it calls, each
# doing the CMake work its namesake does for one triplet, into a packages folder laid
# out as vcpkg's. scripts/vcpkg-check runs it for a static and a dynamic triplet and then
# builds test_package/ against the result through find_package, Release and Debug.
#   cmake -DSOURCE_DIR=<tree> -DWORK=<dir> -DLINKAGE=static|dynamic -P by_hand.cmake
# Not done here, as vcpkg would: the download and its SHA512 (vcpkg_from_github takes
# SOURCE_DIR), the ms-gsl port (the system's GSL is found), the grpc feature, the
# post-build policy checks, and the config fixup's less common rewrites (tool paths, the
# merge of link interfaces); the ones this port needs are below.
cmake_minimum_required(VERSION 3.25)
foreach(required SOURCE_DIR WORK LINKAGE)
  if(NOT ${required})
    message(FATAL_ERROR "by_hand.cmake: pass -D${required}=")
  endif()
endforeach()
set(PORT enough)
file(READ ${CMAKE_CURRENT_LIST_DIR}/../vcpkg.json manifest)
string(JSON VERSION GET "${manifest}" version)
file(STRINGS ${SOURCE_DIR}/include/enough/enough.h lines REGEX "^#define ENOUGH_VERSION_(MAJOR|MINOR|PATCH) ")
string(REGEX REPLACE "[^;]* ([0-9]+)" "\\1" header_version "${lines}")
string(REPLACE ";" "." header_version "${header_version}")
if(NOT VERSION STREQUAL header_version)
  message(FATAL_ERROR "ports/enough/vcpkg.json says ${VERSION}, the header ${header_version}")
endif()
set(VCPKG_LIBRARY_LINKAGE ${LINKAGE})
set(CURRENT_PACKAGES_DIR ${WORK}/packages)
set(CURRENT_BUILDTREES_DIR ${WORK}/buildtrees)
file(REMOVE_RECURSE ${CURRENT_PACKAGES_DIR} ${CURRENT_BUILDTREES_DIR})

function(enough_run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_QUIET)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "failed (${result}): ${ARGN}")
  endif()
endfunction()

function(vcpkg_from_github)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "OUT_SOURCE_PATH;REPO;REF;SHA512;HEAD_REF" "")
  message(STATUS "vcpkg_from_github: ${arg_REPO}@${arg_REF} not downloaded; the tree at ${SOURCE_DIR}")
  set(${arg_OUT_SOURCE_PATH} ${SOURCE_DIR} PARENT_SCOPE)
endfunction()

function(vcpkg_check_features)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "OUT_FEATURE_OPTIONS" "FEATURES")
  set(options "")
  list(LENGTH arg_FEATURES count)
  math(EXPR last "${count} - 1")
  foreach(i RANGE 0 ${last} 2)  # feature, option: no feature asked for, each OFF
    math(EXPR j "${i} + 1")
    list(GET arg_FEATURES ${j} option)
    list(APPEND options -D${option}=OFF)
  endforeach()
  set(${arg_OUT_FEATURE_OPTIONS} ${options} PARENT_SCOPE)
endfunction()

# As vcpkg_cmake_configure: a release and a debug build, BUILD_SHARED_LIBS from the
# linkage, installed into the packages folder and its debug/ part.
function(vcpkg_cmake_configure)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "SOURCE_PATH" "OPTIONS;OPTIONS_RELEASE;OPTIONS_DEBUG")
  if(VCPKG_LIBRARY_LINKAGE STREQUAL "dynamic")
    set(shared ON)
  else()
    set(shared OFF)
  endif()
  foreach(config IN ITEMS Release Debug)
    set(prefix ${CURRENT_PACKAGES_DIR})
    set(extra ${arg_OPTIONS_RELEASE})
    if(config STREQUAL "Debug")
      set(prefix ${CURRENT_PACKAGES_DIR}/debug)
      set(extra ${arg_OPTIONS_DEBUG})
    endif()
    enough_run(${CMAKE_COMMAND} -S ${arg_SOURCE_PATH} -B ${CURRENT_BUILDTREES_DIR}/${config}
      --no-warn-unused-cli -DCMAKE_BUILD_TYPE=${config} -DBUILD_SHARED_LIBS=${shared} -DCMAKE_INSTALL_PREFIX=${prefix}
      -DCMAKE_INSTALL_LIBDIR=lib -DCMAKE_INSTALL_BINDIR=bin -DCMAKE_INSTALL_INCLUDEDIR=include
      -DFETCHCONTENT_FULLY_DISCONNECTED=ON -DCMAKE_EXPORT_NO_PACKAGE_REGISTRY=ON
      ${arg_OPTIONS} ${extra})
  endforeach()
endfunction()

function(vcpkg_cmake_install)
  foreach(config IN ITEMS Release Debug)
    enough_run(${CMAKE_COMMAND} --build ${CURRENT_BUILDTREES_DIR}/${config} --target install --parallel)
  endforeach()
endfunction()

# As vcpkg_cmake_config_fixup(CONFIG_PATH ...): the package's files into share/<port>,
# the debug targets beside them pointing at debug/, the import prefix two levels up.
function(vcpkg_cmake_config_fixup)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "CONFIG_PATH" "")
  set(share ${CURRENT_PACKAGES_DIR}/share/${PORT})
  file(MAKE_DIRECTORY ${share})
  file(GLOB release_files ${CURRENT_PACKAGES_DIR}/${arg_CONFIG_PATH}/*.cmake)
  file(COPY ${release_files} DESTINATION ${share})
  file(GLOB debug_targets ${CURRENT_PACKAGES_DIR}/debug/${arg_CONFIG_PATH}/*-debug.cmake)
  foreach(file IN LISTS debug_targets)
    file(READ ${file} text)
    string(REPLACE "\${_IMPORT_PREFIX}/" "\${_IMPORT_PREFIX}/debug/" text "${text}")
    get_filename_component(name ${file} NAME)
    file(WRITE ${share}/${name} "${text}")
  endforeach()
  file(GLOB files ${share}/*.cmake)
  foreach(file IN LISTS files)
    file(READ ${file} text)
    # lib/cmake/enough was three levels under the prefix; share/enough is two.
    string(REPLACE "get_filename_component(_IMPORT_PREFIX \"\${_IMPORT_PREFIX}\" PATH)\nget_filename_component(_IMPORT_PREFIX \"\${_IMPORT_PREFIX}\" PATH)\nget_filename_component(_IMPORT_PREFIX \"\${_IMPORT_PREFIX}\" PATH)"
                   "get_filename_component(_IMPORT_PREFIX \"\${_IMPORT_PREFIX}\" PATH)\nget_filename_component(_IMPORT_PREFIX \"\${_IMPORT_PREFIX}\" PATH)" text "${text}")
    string(REPLACE "\${CMAKE_CURRENT_LIST_DIR}/../../../" "\${CMAKE_CURRENT_LIST_DIR}/../../" text "${text}")
    file(WRITE ${file} "${text}")
  endforeach()
  file(REMOVE_RECURSE ${CURRENT_PACKAGES_DIR}/lib/cmake ${CURRENT_PACKAGES_DIR}/debug/lib/cmake)
endfunction()

function(vcpkg_fixup_pkgconfig) # vcpkg rewrites the prefix; the files must be there
  foreach(pc IN ITEMS lib/pkgconfig/enough.pc debug/lib/pkgconfig/enough.pc)
    if(NOT EXISTS ${CURRENT_PACKAGES_DIR}/${pc})
      message(FATAL_ERROR "vcpkg_fixup_pkgconfig: no ${pc}")
    endif()
  endforeach()
endfunction()

function(vcpkg_copy_pdbs) # no PDB files from GCC
endfunction()

function(vcpkg_install_copyright)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "" "FILE_LIST")
  file(READ ${arg_FILE_LIST} text)
  file(WRITE ${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright "${text}")
endfunction()

include(${CMAKE_CURRENT_LIST_DIR}/../portfile.cmake)

# What vcpkg's post-build checks would look at first: the layout.
foreach(expected IN ITEMS include/enough/enough.h include/enough/enough.hpp share/enough/enoughConfig.cmake
                          share/enough/copyright share/enough/usage)
  if(NOT EXISTS ${CURRENT_PACKAGES_DIR}/${expected})
    message(FATAL_ERROR "the port installed no ${expected}")
  endif()
endforeach()
foreach(unexpected IN ITEMS debug/include lib/cmake debug/share)
  if(EXISTS ${CURRENT_PACKAGES_DIR}/${unexpected})
    message(FATAL_ERROR "the port left ${unexpected}, which vcpkg's checks refuse")
  endif()
endforeach()
file(GLOB_RECURSE libraries RELATIVE ${CURRENT_PACKAGES_DIR} ${CURRENT_PACKAGES_DIR}/*libenough*)
message(STATUS "${LINKAGE}: ${libraries}")
