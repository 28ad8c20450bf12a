"""Checks that each package in dist/ carries what it must, and lists it: every
platform's library where the loader looks for it, and the platform tags pip reads.
Every native file is checked as its platform's loader sees it (check_native.py): the
format and machine its place names, the documented exports (the library's; not the
helpers'), only system libraries needed, glibc 2.17 at most on Linux, the oldest macOS.
    check_packages.py DIST_DIR"""
import fnmatch
import re
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from check_native import check

EXPECTED = {
    "enough-cancel-*.tgz": ["prebuilds/linux-x64/libenough.so", "prebuilds/linux-arm64/libenough.so",
                            "prebuilds/linux-x64-musl/libenough.so",
                            "prebuilds/linux-arm64-musl/libenough.so",
                            "prebuilds/darwin-x64/libenough.dylib",
                            "prebuilds/darwin-arm64/libenough.dylib",
                            "prebuilds/freebsd-x64/libenough.so",
                            "prebuilds/win32-x64/enough.dll", "prebuilds/win32-arm64/enough.dll",
                            "index.js"],
    "enough_cancel-*-manylinux2014_x86_64.manylinux_2_17_x86_64.whl": [
        "enough/libenough.so", "enough/_signal_bridge.so", "enough/_state_word.abi3.so"],
    "enough_cancel-*-manylinux2014_aarch64.manylinux_2_17_aarch64.whl": [
        "enough/libenough.so", "enough/_signal_bridge.so", "enough/_state_word.abi3.so"],
    "enough_cancel-*.tar.gz": ["core/src/CMakeLists.txt",
                               "core/third_party/gsl/gsl/gsl",
                               "src/enough/__init__.py",
                               "pyproject.toml"],
    "enough_cancel-*-py3-none-win_amd64.whl": ["enough/enough.dll", "enough/_signal_bridge.dll",
                                               "enough/_state_word_ctypes.py"],
    "enough_cancel-*-py3-none-win_arm64.whl": ["enough/enough.dll", "enough/_signal_bridge.dll",
                                               "enough/_state_word_ctypes.py"],
    "enough_cancel-*-py3-none-macosx_11_0_arm64.whl": ["enough/libenough.dylib", "enough/_signal_bridge.dylib",
                                                       "enough/_state_word_ctypes.py"],
    "enough_cancel-*-py3-none-macosx_10_13_x86_64.whl": ["enough/libenough.dylib",
                                                         "enough/_signal_bridge.dylib",
                                                         "enough/_state_word_ctypes.py"],
    "enough_cancel-*-py3-none-musllinux_1_2_x86_64.whl": ["enough/libenough.so", "enough/_signal_bridge.so",
                                                          "enough/_state_word_ctypes.py"],
    "enough_cancel-*-py3-none-musllinux_1_2_aarch64.whl": ["enough/libenough.so", "enough/_signal_bridge.so",
                                                           "enough/_state_word_ctypes.py"],
    "Enough.*.nupkg": ["Enough.nuspec", "lib/net45/Enough.dll", "lib/net45/Enough.xml",
                       "build/net45/Enough.targets",
                       "runtimes/linux-x64/native/libenough.so",
                       "runtimes/linux-arm64/native/libenough.so",
                       "runtimes/linux-musl-x64/native/libenough.so",
                       "runtimes/linux-musl-arm64/native/libenough.so",
                       "runtimes/osx-x64/native/libenough.dylib",
                       "runtimes/osx-arm64/native/libenough.dylib",
                       "runtimes/win-x64/native/enough.dll", "runtimes/win-arm64/native/enough.dll"],
    "enough-cancel-*.crate": ["Cargo.toml", "build.rs", "src/lib.rs", "core/src/sources.txt",
                              "core/src/platform/linux/sources.txt",
                              "core/third_party/gsl/gsl/gsl", "core/include/enough/enough.h"],
    "go-proxy/*/*/@v/v*.zip": ["*/go.mod", "*/bundled.go", "*/system.go", "*/zz_core_flat_library.cpp",
                               "*/core/src/sources.txt", "*/core/third_party/gsl/gsl/gsl"],
    "enough-*-linux-x64.tar.gz": ["include/enough/enough.h", "lib/libenough.a",
                                  "lib/pkgconfig/enough.pc", "lib/cmake/enough/enoughConfig.cmake"],
    "enough-*-linux-arm64.tar.gz": ["include/enough/enough.h", "lib/libenough.a",
                                    "lib/pkgconfig/enough.pc", "lib/cmake/enough/enoughConfig.cmake"],
    "enough-*-windows-x64.zip": ["include/enough/enough.h", "bin/enough.dll", "lib/libenough.dll.a",
                                 "lib/pkgconfig/enough.pc", "lib/cmake/enough/enoughConfig.cmake"],
}


# The oldest macOS each dylib must load on (the presets' zig targets).
OLDEST_MACOS = {"arm64": "11.0", "x86-64": "10.13"}


def expectations(package: str, member: str):
    """(format, machine, oldest glibc, oldest macOS, its exports checked) for a native
    file, from the platform its package and place name. The C archive's gRPC part is
    built against Debian 12's gRPC libraries: its format and machine are checked."""
    where = package + "/" + member
    machine = "arm64" if re.search(r"arm64|aarch64", where) else "x86-64"
    if re.search(r"darwin|osx|macos", where):
        kind = "macho"
    elif re.search(r"win32|win-|windows|win_amd64|\.dll$", where):
        kind = "pe"
    else:
        kind = "elf"
    glibc = "2.17" if kind == "elf" and not re.search(r"musl|freebsd|_grpc", where) else None
    macos = OLDEST_MACOS[machine] if kind == "macho" else None
    own = re.search(r"(^|/)(lib)?enough(\.dll|\.so[.0-9]*|\.dylib|\.[0-9]\.dylib)$", member) is not None
    return kind, machine, glibc, macos, own


def read(package: Path, member: str) -> bytes:
    if package.name.endswith((".tgz", ".tar.gz", ".crate")):
        with tarfile.open(package) as tar:
            name = next(n for n in tar.getnames() if n == member or n.endswith("/" + member))
            return tar.extractfile(name).read()
    with zipfile.ZipFile(package) as archive:
        name = next(n for n in archive.namelist() if n == member or n.endswith("/" + member))
        return archive.read(name)


def members(package: Path) -> list:
    """The files in the archive, without the top folder all of them share, if any."""
    if package.name.endswith((".tgz", ".tar.gz", ".crate")):
        with tarfile.open(package) as tar:
            names = tar.getnames()
    else:
        with zipfile.ZipFile(package) as archive:
            names = archive.namelist()
    tops = {name.split("/", 1)[0] for name in names}
    if len(tops) == 1 and all("/" in name for name in names if name.rstrip("/") not in tops):
        names = [name.split("/", 1)[1] for name in names if "/" in name]  # one top folder
    return names


def main(dist: str) -> int:
    failed = False
    for pattern, required in EXPECTED.items():
        found = sorted(Path(dist).glob(pattern))
        if len(found) != 1:
            print(f"{pattern}: {len(found)} packages, expected 1")
            failed = True
            continue
        names = members(found[0])
        missing = [name for name in required if not fnmatch.filter(names, name)]
        print(f"{found[0].name} ({found[0].stat().st_size // 1024} KiB): "
              + ("missing " + ", ".join(missing) if missing else "ok"))
        failed |= bool(missing)
        for name in names:
            base = name.rsplit("/", 1)[-1]
            native = base.endswith((".so", ".dll", ".dylib")) or ".so." in base
            if native and not name.startswith("lib/net"):  # lib/net45: the .NET assembly
                kind, machine, glibc, macos, own = expectations(found[0].name, name)
                with tempfile.TemporaryDirectory() as scratch:
                    copy = Path(scratch) / base
                    copy.write_bytes(read(found[0], name))
                    summary, problems = check(copy, kind, machine, glibc, macos, None if own else set(),
                                              system_libraries_only="_grpc" not in base)
                print(f"    {name}: {summary.split(': ', 1)[1]}" + "".join(f"\n      {p}" for p in problems))
                failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
