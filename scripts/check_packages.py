"""Checks that each package in dist/ carries what it must, and lists it: every
platform's library where the loader looks for it, and the platform tags pip reads.
    check_packages.py DIST_DIR"""
import fnmatch
import sys
import tarfile
import zipfile
from pathlib import Path

EXPECTED = {
    "enough-cancel-*.tgz": ["prebuilds/linux-x64/libenough.so",
                            "prebuilds/linux-arm64/libenough.so",
                            "prebuilds/win32-x64/enough.dll", "index.js"],
    "enough_cancel-*-manylinux_*_x86_64.whl": ["enough/libenough.so", "enough/_signal_bridge.so",
                                               "enough/_state_word.abi3.so"],
    "enough_cancel-*-manylinux_*_aarch64.whl": ["enough/libenough.so", "enough/_signal_bridge.so",
                                                "enough/_state_word.abi3.so"],
    "enough_cancel-*.tar.gz": ["core/src/CMakeLists.txt",
                               "core/third_party/gsl/gsl/gsl",
                               "src/enough/__init__.py",
                               "pyproject.toml"],
    "enough_cancel-*-py3-none-win_amd64.whl": ["enough/enough.dll", "enough/_signal_bridge.dll",
                                               "enough/_state_word_ctypes.py"],
    "Enough.*.nupkg": ["Enough.nuspec", "lib/net45/Enough.dll", "build/net45/Enough.targets",
                       "runtimes/linux-x64/native/libenough.so",
                       "runtimes/linux-arm64/native/libenough.so",
                       "runtimes/win-x64/native/enough.dll"],
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


# What the loader of each platform accepts: ELF e_machine, PE Machine.
MACHINES = {0x3E: "x86-64", 0xB7: "arm64", 0x8664: "x86-64"}


def machine(binary: bytes) -> str:
    """The CPU a shared library is built for, from its ELF or PE header."""
    if binary[:4] == b"\x7fELF":
        return MACHINES.get(int.from_bytes(binary[18:20], "little"), "unknown")
    if binary[:2] == b"MZ":
        pe = int.from_bytes(binary[0x3C:0x40], "little")
        return MACHINES.get(int.from_bytes(binary[pe + 4:pe + 6], "little"), "unknown")
    return "not a binary"


def expected_machine(package: str, member: str) -> str:
    return "arm64" if any(arm in package + "/" + member for arm in ("arm64", "aarch64")) else "x86-64"


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
            native = name.endswith((".so", ".dll")) or ".so." in name.rsplit("/", 1)[-1]
            if native and not name.startswith("lib/net"):  # lib/net45: the .NET assembly
                built_for, wanted = machine(read(found[0], name)), expected_machine(found[0].name, name)
                print(f"    {name}: {built_for}" + ("" if built_for == wanted else f", expected {wanted}"))
                failed |= built_for != wanted
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
