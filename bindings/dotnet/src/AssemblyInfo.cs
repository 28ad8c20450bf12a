// The assembly's identity: its version is the library's (include/enough/enough.h,
// scripts/version), checked by the tests against the native library loaded.
using System.Reflection;

[assembly: AssemblyVersion("0.2.0.0")]
[assembly: AssemblyFileVersion("0.2.0.0")]
[assembly: AssemblyInformationalVersion("0.2.0")]
