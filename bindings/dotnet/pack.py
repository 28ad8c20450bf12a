"""Makes the NuGet package without a NuGet client: a .nupkg is a zip holding the
.nuspec, the managed assembly under lib/, and each platform's native library under
runtimes/<rid>/native/ (where .NET's probing finds it). The assembly is compiled by
the caller with mono's mcs, for .NET Framework 4.5 (lib/net45), which .NET loads too.
    pack.py OUT_DIR ENOUGH_DLL RID=LIBRARY [RID=LIBRARY...]   prints the package's path
RID is a .NET runtime identifier: linux-x64, linux-arm64, linux-musl-x64, osx-arm64, win-arm64..."""
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
VERSION = "0.2.0"  # Enough.csproj's <Version>
NATIVE_NAME = {"win": "enough.dll", "osx": "libenough.dylib"}  # else libenough.so

NUSPEC = """<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>Enough</id>
    <version>{version}</version>
    <authors>enough</authors>
    <license type="expression">MIT</license>
    <description>{description}</description>
    <readme>README.md</readme>
    <dependencies><group targetFramework=".NETFramework4.5" /></dependencies>
  </metadata>
</package>
"""
CONTENT_TYPES = """<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="nuspec" ContentType="application/octet" />
  <Default Extension="dll" ContentType="application/octet" />
  <Default Extension="so" ContentType="application/octet" />
  <Default Extension="dylib" ContentType="application/octet" />
  <Default Extension="md" ContentType="application/octet" />
  <Default Extension="targets" ContentType="application/octet" />
</Types>
"""


def main(out_dir: str, assembly: str, *natives: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    package = out / f"Enough.{VERSION}.nupkg"
    description = ("Cooperative cancellation for native code: enough's tokens, with "
                   "CancellationToken both ways")
    with zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as nupkg:
        nupkg.writestr("Enough.nuspec", NUSPEC.format(version=VERSION, description=escape(description)))
        nupkg.writestr("[Content_Types].xml", CONTENT_TYPES)
        nupkg.write(HERE / "README.md", "README.md")
        nupkg.write(assembly, "lib/net45/Enough.dll")
        # Its XML documentation, which IntelliSense shows (mcs -doc, beside the assembly).
        nupkg.write(Path(assembly).with_suffix(".xml"), "lib/net45/Enough.xml")
        # .NET Framework and mono: the native library copied next to the program.
        nupkg.write(HERE / "msbuild" / "Enough.targets", "build/net45/Enough.targets")
        for pair in natives:
            rid, library = pair.split("=", 1)
            name = NATIVE_NAME.get(rid.split("-")[0], "libenough.so")
            nupkg.write(library, f"runtimes/{rid}/native/{name}")
    print(package)


if __name__ == "__main__":
    main(*sys.argv[1:])
