#include "platform/thread_exit.hpp"

#include <pthread.h>

namespace enough::detail {
namespace {
thread_exit_fn hook = nullptr;
pthread_key_t key;
bool key_made = false;
void run_hook(void *value) { hook(value); }
// At dlclose of the library: no thread may later call into code that is gone (their
// caches are then left as they are).
struct key_owner {
    ~key_owner() {
        if (key_made) {
            pthread_key_delete(key);
        }
    }
} owner;
} // namespace

bool call_at_thread_exit(thread_exit_fn at_exit, void *value) noexcept {
    static const bool made = [at_exit] {
        hook = at_exit;
        key_made = pthread_key_create(&key, run_hook) == 0;
        return key_made;
    }();
    return made && pthread_setspecific(key, value) == 0;
}

} // namespace enough::detail
