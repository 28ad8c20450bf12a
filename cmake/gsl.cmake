# Microsoft GSL (header-only; Debian's libmsgsl-dev), as the target Microsoft.GSL::GSL.
# A source package that carries its own copy (third_party/gsl: the Python sdist) uses
# that. A cross build cannot put the host's /usr/include on its include path (the host
# C library would shadow the target's): it gets a copy of the gsl/ headers alone.
if(EXISTS ${PROJECT_SOURCE_DIR}/third_party/gsl/gsl/gsl)
  add_library(Microsoft.GSL::GSL INTERFACE IMPORTED)
  set_target_properties(Microsoft.GSL::GSL PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES ${PROJECT_SOURCE_DIR}/third_party/gsl)
  return()
endif()
if(NOT CMAKE_CROSSCOMPILING)
  find_package(Microsoft.GSL CONFIG REQUIRED)
  return()
endif()
find_path(ENOUGH_GSL_INCLUDE_DIR gsl/gsl PATHS /usr/include /usr/local/include
          NO_CMAKE_FIND_ROOT_PATH REQUIRED)
set(enough_gsl_copy ${CMAKE_BINARY_DIR}/gsl-headers)
file(COPY ${ENOUGH_GSL_INCLUDE_DIR}/gsl DESTINATION ${enough_gsl_copy})
add_library(Microsoft.GSL::GSL INTERFACE IMPORTED)
set_target_properties(Microsoft.GSL::GSL PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${enough_gsl_copy})
