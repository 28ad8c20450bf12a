// No wake of its own: the word's shared wait serves (Linux: a futex the exporter
// wakes; POSIX: a wait that looks at the word every millisecond).
#include "platform/shared_wake.hpp"

#include "platform/wait_word.hpp"

namespace enough::detail {

shared_wake shared_wake_create(const process_identity &, uint32_t) noexcept { return {}; }
shared_wake shared_wake_open(const process_identity &, uint32_t) noexcept { return {}; }
void shared_wake_signal(const shared_wake &) noexcept {}
bool shared_wake_wait(const shared_wake &, const process_watch &, const std::atomic<uint32_t> &word,
                      uint32_t expected, int64_t timeout_ns) noexcept {
    shared_word_wait(word, expected, timeout_ns);
    return false;
}
void shared_wake_close(shared_wake &) noexcept {}

} // namespace enough::detail
