#include "platform/thread_exit.hpp"

#include <windows.h>

namespace enough::detail {
namespace {
thread_exit_fn hook = nullptr;
DWORD index = FLS_OUT_OF_INDEXES;
void WINAPI run_hook(void *value) {
    if (value != nullptr) {
        hook(value);
    }
}
// At the library's unload: no thread may later call into code that is gone.
struct fls_owner {
    ~fls_owner() {
        if (index != FLS_OUT_OF_INDEXES) {
            FlsFree(index);
        }
    }
} owner;
} // namespace

bool call_at_thread_exit(thread_exit_fn at_exit, void *value) noexcept {
    static const bool made = [at_exit] {
        hook = at_exit;
        index = FlsAlloc(run_hook);
        return index != FLS_OUT_OF_INDEXES;
    }();
    return made && FlsSetValue(index, value) != 0;
}

} // namespace enough::detail
