// Imported tokens: a token of another process, read from the page its exporter
// publishes into (exported_page.hpp), mapped read-only.
//
// Its state word is the page's word, so a check is one load of memory the two
// processes share. It answers enough_token and enough_token2, never a source id: the
// importer can observe, never cancel. It can no longer cancel once the page says
// "orphaned" or the exporting process has exited (platform/process_watch.hpp). Waits sleep on the
// shared word (platform/wait_word.hpp), in slices that re-check the exporter's liveness;
// callbacks, the fd and links go through a mirror the library's thread keeps in step.
#pragma once

#include "platform/os_handle.hpp"

#include <enough/abi.h>

#include <cstdint>

namespace enough::detail {

// A new imported token (one reference) for the exported page behind `fd`, which stays
// the caller's. nullptr with *error set (an ENOUGH_ERROR_* code) and *problem set (a
// static message) when `fd` is no such page or memory is exhausted.
enough_token *import_token(int fd, int32_t *error, const char **problem) noexcept;
// True for an imported token (this library's object: a source it is not).
bool is_imported_token(const void *face) noexcept;
// The event of an imported token's mirror (made on first use), signalled once it is
// cancelled; no_os_handle when memory or the system refuses. `face` is imported.
os_handle imported_token_event(void *face) noexcept;

} // namespace enough::detail
