include(CMakePackageConfigHelpers)

set(enough_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/enough)

set(enough_installed_libraries "")
foreach(target IN ITEMS enough enough_static)
  if(TARGET ${target})
    list(APPEND enough_installed_libraries ${target})
  endif()
endforeach()
install(TARGETS ${enough_installed_libraries}
  EXPORT enoughTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

# The ABI headers and the API headers install side by side as <enough/...>.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/abi/enough ${PROJECT_SOURCE_DIR}/include/enough
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.hpp" PATTERN "grpc.hpp" EXCLUDE)

# enough::grpc, when it was built: its own target, header and export set.
if(ENOUGH_GRPC_BUILT)
  install(TARGETS enough_grpc EXPORT enoughGrpcTargets
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  install(FILES ${PROJECT_SOURCE_DIR}/include/enough/grpc.hpp
    DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/enough)
  install(EXPORT enoughGrpcTargets NAMESPACE enough:: DESTINATION ${enough_cmake_dir})
endif()

install(EXPORT enoughTargets
  NAMESPACE enough::
  DESTINATION ${enough_cmake_dir})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/enoughConfig.cmake.in
  ${PROJECT_BINARY_DIR}/enoughConfig.cmake
  INSTALL_DESTINATION ${enough_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/enoughConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/enoughConfig.cmake
              ${PROJECT_BINARY_DIR}/enoughConfigVersion.cmake
  DESTINATION ${enough_cmake_dir})

# What a static link needs besides libenough.a (Libs.private).
set(enough_pc_private_libs "-lstdc++ -lpthread")
if(WIN32)
  set(enough_pc_private_libs "-lstdc++ -lpthread -lsynchronization") # WaitOnAddress
endif()
# enough.pc finds its prefix relative to itself, so the package can be moved.
file(RELATIVE_PATH enough_pc_to_prefix /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/enough.pc.in ${PROJECT_BINARY_DIR}/enough.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/enough.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
