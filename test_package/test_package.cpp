// The package test (Conan's test_package, and scripts/vcpkg-check's consumer), in
// C++20: the projection's source and token.
#include <enough/enough.hpp>

#include <cstdio>

int main() {
    enough::source source;
    enough::token token = source.token();
    bool ok = !token.is_cancelled();
    source.cancel();
    ok = ok && token.is_cancelled() && token.check() == enough::reason::cancelled;
    std::printf("enough %s (package test, C++): %s\n", enough_version_string(), ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
