#include "platform/process.hpp"

#include <pthread.h>

namespace enough::detail {

bool at_fork_child(void (*handler)()) noexcept {
    return pthread_atfork(nullptr, nullptr, handler) == 0;
}

} // namespace enough::detail
