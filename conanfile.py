"""Conan 2 recipe for enough: `conan create .` builds, packages and tests it (test_package/).

Dependencies come from the system, none from a Conan remote:
- Microsoft GSL (header-only, used only to build): Debian's libmsgsl-dev, found by the
  library's CMake (cmake/gsl.cmake). A ConanCenter submission would add
  `self.requires("ms-gsl/4.0.0", visible=False)` in requirements() and
  `self.tool_requires("cmake/[>=3.25]")`; CMakeDeps makes the same Microsoft.GSL::GSL target.
- gRPC (option with_grpc, the enough::grpc component): Debian's libgrpc++-dev; a
  ConanCenter submission would require grpc/1.54 and protobuf, and add protoc as a
  tool_requires.
- Asio: the projection's <enough/asio.hpp> is a header that needs the consumer's Asio
  (standalone or Boost); the library itself never does, so the recipe requires nothing
  for it (a ConanCenter submission would leave it to the consumer, as this does).

Cross builds use the same toolchain files as the presets, through the profiles in
conan/profiles/ (windows-x64: mingw-w64; linux-arm64: Debian's cross compiler); the
test package runs there under Wine and qemu-user (their `user.enough:emulator`).
"""
import os
import re

from conan import ConanFile
from conan.tools.build import check_min_cppstd, stdcpp_library
from conan.tools.cmake import CMake, CMakeToolchain, cmake_layout
from conan.tools.files import copy, load, rmdir


class EnoughConan(ConanFile):
    name = "enough"
    description = "Cooperative cancellation across threads, modules, languages and processes"
    license = "MIT"
    topics = ("cancellation", "ffi", "com", "threads", "c-api")
    package_type = "library"
    settings = "os", "arch", "compiler", "build_type"
    options = {"shared": [True, False], "fPIC": [True, False], "with_grpc": [True, False]}
    default_options = {"shared": True, "fPIC": True, "with_grpc": False}
    exports_sources = ("CMakeLists.txt", "LICENSE*", "abi/*", "include/*", "src/*",
                       "cmake/*")

    def set_version(self):
        # The version lives in the public header, as CMakeLists.txt reads it.
        header = load(self, os.path.join(self.recipe_folder, "include", "enough", "enough.h"))
        parts = [re.search(rf"^#define ENOUGH_VERSION_{p} (\d+)$", header, re.M).group(1)
                 for p in ("MAJOR", "MINOR", "PATCH")]
        self.version = ".".join(parts)

    def config_options(self):
        if self.settings.os == "Windows":
            del self.options.fPIC

    def configure(self):
        if self.options.shared:
            self.options.rm_safe("fPIC")

    def layout(self):
        cmake_layout(self)

    def validate(self):
        check_min_cppstd(self, 20)  # the implementation and the C++ projection

    def generate(self):
        toolchain = CMakeToolchain(self)  # BUILD_SHARED_LIBS from `shared`: one library
        toolchain.cache_variables.update({
            "ENOUGH_BUILD_TESTS": False, "ENOUGH_BUILD_SAMPLES": False,
            "ENOUGH_BUILD_BINDINGS": False, "ENOUGH_INSTALL": True,
            "ENOUGH_WITH_GRPC": bool(self.options.with_grpc)})
        toolchain.generate()

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def package(self):
        cmake = CMake(self)
        cmake.install()
        # Consumers get Conan's generated CMake and pkg-config files instead.
        rmdir(self, os.path.join(self.package_folder, "lib", "cmake"))
        rmdir(self, os.path.join(self.package_folder, "lib", "pkgconfig"))
        copy(self, "LICENSE*", self.source_folder, os.path.join(self.package_folder, "licenses"))

    def package_info(self):
        self.cpp_info.set_property("cmake_file_name", "enough")
        self.cpp_info.set_property("pkg_config_name", "enough")
        core = self.cpp_info.components["core"]
        core.set_property("cmake_target_name", "enough::enough")
        core.libs = ["enough"]
        if not self.options.shared:
            core.defines = ["ENOUGH_STATIC"]
            # What a static link needs besides libenough.a (as enough.pc's Libs.private).
            if stdcpp_library(self):
                core.system_libs.append(stdcpp_library(self))
            if self.settings.os == "Windows":
                core.system_libs.append("synchronization")  # WaitOnAddress
        if self.settings.os in ("Linux", "FreeBSD"):
            core.system_libs.extend(["pthread", "m"])
        if self.options.with_grpc:
            grpc = self.cpp_info.components["grpc"]
            grpc.set_property("cmake_target_name", "enough::grpc")
            grpc.libs = ["enough_grpc"]
            grpc.requires = ["core"]
            grpc.system_libs = ["grpc++", "grpc", "gpr", "protobuf"]  # the system's
