/* Resolves, in enough.dll, every entry point the C# library declares (LoadLibrary +
 * GetProcAddress, as .NET's P/Invoke does for DllImport("enough")): mono for Windows
 * cannot run here, so this is what stands in for it. The names come from
 * the C# sources in bindings/dotnet/src, generated into dotnet_entry_points.h at
 * configure time. */
#include <windows.h>

#include <stdio.h>

#include "dotnet_entry_points.h"

int main(void) {
    HMODULE library = LoadLibraryA("enough");
    if (library == NULL) {
        printf("LoadLibrary(\"enough\") failed: %lu\n", (unsigned long)GetLastError());
        return 1;
    }
    int missing = 0;
    const size_t count = sizeof dotnet_entry_points / sizeof dotnet_entry_points[0];
    for (size_t i = 0; i < count; ++i) {
        if (GetProcAddress(library, dotnet_entry_points[i]) == NULL) {
            printf("missing: %s\n", dotnet_entry_points[i]);
            ++missing;
        }
    }
    printf("%u entry points the C# library declares, %d missing\n", (unsigned)count, missing);
    FreeLibrary(library);
    return missing == 0 && count > 0 ? 0 : 1;
}
