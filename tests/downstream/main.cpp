// A C++20 consumer of the installed package, using only the projection.
#include <enough/enough.hpp>

#include <cstdio>

int main() {
    enough::source source;
    enough::token token = source.token();
    enough::token_view view = token;
    bool ok = !view.is_cancelled() && token.may_cancel();
    source.cancel();
    ok = ok && view.is_cancelled() && token.check() == enough::reason::cancelled;
    source = enough::source(); // the old source is released; its token keeps its state
    ok = ok && token.is_cancelled() && !source.is_cancelled();
    std::printf("downstream C++20 against enough %s: %s\n", enough_version_string(),
                ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
