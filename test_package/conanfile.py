"""Conan's test of the package: a C and a C++ consumer, found through CMakeDeps as
enough::enough, built and run (cross builds: under the profile's `user.enough:emulator`)."""
import os

from conan import ConanFile
from conan.tools.build import can_run
from conan.tools.cmake import CMake, cmake_layout


class EnoughTestPackage(ConanFile):
    settings = "os", "arch", "compiler", "build_type"
    generators = "CMakeDeps", "CMakeToolchain"
    test_type = "explicit"

    def requirements(self):
        self.requires(self.tested_reference_str)

    def layout(self):
        cmake_layout(self)

    def build(self):
        cmake = CMake(self)
        cmake.configure()
        cmake.build()

    def test(self):
        emulator = self.conf.get("user.enough:emulator", default="")
        if not can_run(self) and not emulator:
            raise RuntimeError("a cross build needs user.enough:emulator in its profile to run")
        runner = "" if can_run(self) else emulator + " "
        suffix = ".exe" if self.settings.os == "Windows" else ""
        env = "conanrun"
        if runner and self.settings.os == "Windows":
            # Wine finds enough.dll through WINEPATH (conanrun is a .bat file there).
            runner = f"WINEPATH={self.dependencies['enough'].cpp_info.bindir} " + runner
            env = []
        for program in ("test_package_c", "test_package_cpp"):
            self.run(runner + os.path.join(self.cpp.build.bindir, program + suffix), env=env)
