"""Checks a built native library for the platform it claims, as that platform's
loader and users see it: the file format and machine, exactly the documented enough_*
exports (tests/exported_symbols.txt), only the system's libraries needed, and
  ELF: no glibc symbol version newer than --glibc (the oldest glibc supported), no C++
       runtime of the system's (libstdc++, libc++) needed;
  Mach-O: the install name @rpath/libenough.0.dylib, the oldest macOS (--macos);
  PE: imports from system DLLs only.
    check_native.py LIBRARY --format elf|macho|pe --machine x86-64|arm64 [--glibc 2.17] [--macos 11.0]
Uses Debian's llvm tools (llvm-nm, llvm-readobj, llvm-objdump)."""
import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ELF_MACHINES = {0x3E: "x86-64", 0xB7: "arm64"}
MACHO_MACHINES = {0x01000007: "x86-64", 0x0100000C: "arm64"}
PE_MACHINES = {0x8664: "x86-64", 0xAA64: "arm64"}
ELF_SYSTEM_LIBRARIES = re.compile(r"^(libc|libm|libdl|libpthread|libthr|librt|ld-linux[-a-z0-9_]*|ld-musl-[a-z0-9_]+)\.so(\.[0-9.]+)?$")
PE_SYSTEM_LIBRARIES = re.compile(r"^(kernel32|ntdll|advapi32|ucrtbase|msvcrt|api-ms-win-[a-z0-9-]+)\.dll$", re.I)


def tool(name: str) -> str:
    for candidate in (name, name + "-14"):
        if shutil.which(candidate):
            return candidate
    sys.exit(f"check_native.py: {name} not found (Debian's llvm)")


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def format_and_machine(data: bytes):
    if data[:4] == b"\x7fELF":
        return "elf", ELF_MACHINES.get(int.from_bytes(data[18:20], "little"), "unknown")
    if data[:4] == b"\xcf\xfa\xed\xfe":
        return "macho", MACHO_MACHINES.get(int.from_bytes(data[4:8], "little"), "unknown")
    if data[:2] == b"MZ":
        pe = int.from_bytes(data[0x3C:0x40], "little")
        return "pe", PE_MACHINES.get(int.from_bytes(data[pe + 4:pe + 6], "little"), "unknown")
    return "unknown", "unknown"


def exports(path: Path, kind: str) -> set:
    if kind == "pe":
        text = run(tool("llvm-readobj"), "--coff-exports", str(path))
        return set(re.findall(r"^\s*Name: (\S+)", text, re.M))
    flags = ["-D"] if kind == "elf" else ["-g"]
    names = set()
    for line in run(tool("llvm-nm"), *flags, "--defined-only", str(path)).splitlines():
        name = line.split()[-1].split("@")[0]
        names.add(name[1:] if kind == "macho" and name.startswith("_") else name)
    # The format's own: ELF lists the version node as an absolute symbol; a Mach-O
    # linker defines the image's header and its __dso_handle in every dylib.
    own = {"elf": {"ENOUGH_0"}, "macho": {"_mh_dylib_header", "__dso_handle"}}[kind]
    return names - own


def needed(path: Path, kind: str) -> list:
    if kind == "elf":
        return re.findall(r"^\s*(?:NEEDED\s+)?Shared library: \[(\S+)\]|^\s+(\S+\.so\S*)$",
                          run(tool("llvm-readobj"), "--needed-libs", str(path)), re.M)
    if kind == "pe":
        return re.findall(r"^\s*Name: (\S+\.dll)", run(tool("llvm-readobj"), "--coff-imports", str(path)), re.M | re.I)
    lines = run(tool("llvm-objdump"), "--macho", "--dylibs-used", str(path)).splitlines()[1:]
    own = run(tool("llvm-objdump"), "--macho", "--dylib-id", str(path)).splitlines()[1:]  # listed too
    return [line.split()[0] for line in lines if line.strip() and line.split()[0] not in [o.strip() for o in own]]


def check(library: Path, expected_format: str, expected_machine: str, glibc: str = None,
          macos: str = None, documented: set = None, system_libraries_only: bool = True):
    """(summary, problems) for one file; `documented`: the exports it must have exactly
    (None: the library's own list; an empty set: not checked, for a package's helpers);
    `system_libraries_only`: False for a file built for one distribution's libraries."""
    problems = []
    kind, machine = format_and_machine(library.read_bytes())
    if (kind, machine) != (expected_format, expected_machine):
        problems.append(f"a {kind} file for {machine}, expected {expected_format} for {expected_machine}")
        kind = expected_format
    if documented is None:
        documented = set((ROOT / "tests/exported_symbols.txt").read_text().split())
    exported = exports(library, kind)
    if documented and exported != documented:
        problems.append(f"exports differ: extra {sorted(exported - documented)}, missing {sorted(documented - exported)}")
    libraries = [name for match in needed(library, kind)
                 for name in (match if isinstance(match, tuple) else (match,)) if name]
    if kind == "elf":
        foreign = [name for name in libraries if not ELF_SYSTEM_LIBRARIES.match(name)]
    elif kind == "pe":
        foreign = [name for name in libraries if not PE_SYSTEM_LIBRARIES.match(name)]
    else:
        foreign = [name for name in libraries if not name.startswith("/usr/lib/libSystem")]
    if foreign and system_libraries_only:
        problems.append(f"needs libraries that are not the system's: {foreign}")
    summary = f"{library.name}: {kind} {machine}, {len(exported)} exports, needs {', '.join(libraries) or 'nothing'}"
    if kind == "elf":
        versions = set(re.findall(r"GLIBC_([0-9]+(?:\.[0-9]+)+)", run(tool("llvm-readobj"), "--version-info", str(library))))
        newest = max(versions, key=lambda v: tuple(map(int, v.split("."))), default=None)
        summary += f", newest glibc symbol {newest or 'none'}"
        if glibc and newest and tuple(map(int, newest.split("."))) > tuple(map(int, glibc.split("."))):
            problems.append(f"needs GLIBC_{newest}, newer than {glibc}")
    if kind == "macho":
        install_name = run(tool("llvm-objdump"), "--macho", "--dylib-id", str(library)).splitlines()[-1].strip()
        headers = run(tool("llvm-objdump"), "--macho", "--private-headers", str(library))
        found = re.search(r"cmd LC_(?:BUILD_VERSION\n(?:.*\n)*?\s*minos|VERSION_MIN_MACOSX\n(?:.*\n)*?\s*version) ([0-9.]+)",
                          headers)
        minimum = found.group(1) if found else "unknown"
        summary += f", install name {install_name}, macOS {minimum} and newer"
        if macos and minimum != macos:
            problems.append(f"loads on macOS {minimum} and newer, expected {macos}")
        if documented and install_name != "@rpath/libenough.0.dylib":
            problems.append(f"install name {install_name}, expected @rpath/libenough.0.dylib")
    return summary, problems


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("library", type=Path)
    parser.add_argument("--format", required=True, choices=["elf", "macho", "pe"])
    parser.add_argument("--machine", required=True, choices=["x86-64", "arm64"])
    parser.add_argument("--glibc", help="the newest GLIBC_ symbol version allowed")
    parser.add_argument("--macos", help="the oldest macOS the dylib must load on")
    args = parser.parse_args()
    summary, problems = check(args.library, args.format, args.machine, args.glibc, args.macos)
    print(summary)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
