// A named manual-reset event per exported page: "Local\enough-wake-PID-START-KEY", in
// the session's namespace. The name is the exporter's identity and a key it publishes
// in the page; a squatter who made the name first is refused (ERROR_ALREADY_EXISTS),
// and a page that lies about the key costs the importer its wake, not correctness.
#include "platform/shared_wake.hpp"

#include "platform/wait_word.hpp"

#include "platform/win32/timeout.hpp"

#include <windows.h>

#include <algorithm>
#include <cstdio>

namespace enough::detail {
namespace {
void name_of(const process_identity &who, uint32_t key, wchar_t (&name)[96]) noexcept {
    std::swprintf(name, 96, L"Local\\enough-wake-%ld-%llu-%lu", static_cast<long>(who.pid),
                  static_cast<unsigned long long>(who.start_time), static_cast<unsigned long>(key));
}
} // namespace

shared_wake shared_wake_create(const process_identity &me, uint32_t key) noexcept {
    wchar_t name[96];
    name_of(me, key, name);
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, name);
    if (event != nullptr && GetLastError() == ERROR_ALREADY_EXISTS) {
        CloseHandle(event); // someone else's: not ours to signal
        event = nullptr;
    }
    return {event};
}

shared_wake shared_wake_open(const process_identity &exporter, uint32_t key) noexcept {
    wchar_t name[96];
    name_of(exporter, key, name);
    return {OpenEventW(SYNCHRONIZE, FALSE, name)};
}

void shared_wake_signal(const shared_wake &wake) noexcept {
    if (wake.event != nullptr) {
        SetEvent(wake.event);
    }
}

bool shared_wake_wait(const shared_wake &wake, const process_watch &exporter,
                      const std::atomic<uint32_t> &word, uint32_t expected,
                      int64_t timeout_ns) noexcept {
    if (wake.event == nullptr) {
        shared_word_wait(word, expected, timeout_ns);
        return false;
    }
    if (word.load(std::memory_order_seq_cst) != expected) {
        return false;
    }
    HANDLE objects[2] = {wake.event, exporter.handle};
    const DWORD count = exporter.handle != nullptr ? 2 : 1;
    return WaitForMultipleObjects(count, objects, FALSE, wait_milliseconds(timeout_ns)) == WAIT_OBJECT_0;
}

void shared_wake_close(shared_wake &wake) noexcept {
    if (wake.event != nullptr) {
        CloseHandle(wake.event);
    }
    wake = {};
}

} // namespace enough::detail
