# vcpkg port of enough. One library per triplet: vcpkg_cmake_configure passes
# BUILD_SHARED_LIBS from VCPKG_LIBRARY_LINKAGE, and the build then makes only that kind,
# as enough::enough (find_package(enough CONFIG REQUIRED)).
vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO enough-cancel/enough
    REF "v${VERSION}"
    SHA512 0 # the release's hash, filled in when the release is tagged
    HEAD_REF main
)

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
    FEATURES
        grpc ENOUGH_WITH_GRPC
)

vcpkg_cmake_configure(
    SOURCE_PATH "${SOURCE_PATH}"
    OPTIONS
        ${FEATURE_OPTIONS}
        -DENOUGH_BUILD_TESTS=OFF
        -DENOUGH_BUILD_SAMPLES=OFF
        -DENOUGH_BUILD_BINDINGS=OFF
        -DENOUGH_INSTALL=ON
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH lib/cmake/enough)
vcpkg_fixup_pkgconfig()
vcpkg_copy_pdbs()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include")
file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
vcpkg_install_copyright(FILE_LIST "${SOURCE_PATH}/LICENSE")
