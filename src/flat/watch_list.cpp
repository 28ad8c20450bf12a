// Flat enough_watch_list_* and enough_watch_destroy: adapters over objects/watch_list.hpp.
#include "flat/handles.hpp"
#include "objects/wait_handle.hpp"
#include "objects/watch_list.hpp"

#include <enough/enough.h>

using namespace enough::detail;

extern "C" {

ENOUGH_API void *enough_watch_list_create(void) {
    watch_list *const list = watch_list::create();
    if (list == nullptr) {
        set_last_error(__func__, ENOUGH_ERROR_OUT_OF_MEMORY, "out of memory");
    }
    return list;
}

ENOUGH_API void *enough_watch_list_add(void *list, void *token, uint64_t key) {
    if (list == nullptr) {
        set_last_error(__func__, ENOUGH_ERROR_NULL_HANDLE, "the watch list is NULL");
        return nullptr;
    }
    enough_token *const face = accept<enough_token>(__func__, token);
    if (face == nullptr) {
        return nullptr;
    }
    enough_result refused = ENOUGH_OK;
    watch *const entry = static_cast<watch_list *>(list)->add(face, key, &refused);
    if (entry == nullptr) {
        if (refused == ENOUGH_E_OUTOFMEMORY) {
            set_last_error(__func__, ENOUGH_ERROR_OUT_OF_MEMORY, "out of memory");
        } else {
            set_last_error(__func__, ENOUGH_ERROR_FOREIGN_FAILURE, "the token refused the callback");
        }
    }
    return entry;
}

ENOUGH_API void enough_watch_destroy(void *entry) {
    if (entry != nullptr) {
        watch::destroy(static_cast<watch *>(entry));
    }
}

ENOUGH_API size_t enough_watch_list_take(void *list, enough_watch_event *events, size_t capacity,
                                         int64_t timeout_ms) {
    if (list == nullptr || (events == nullptr && capacity != 0)) {
        return 0;
    }
    return static_cast<watch_list *>(list)->take({events, capacity}, timeout_ms);
}

ENOUGH_API int enough_watch_list_fd(void *list) {
    if (list == nullptr) {
        set_last_error(__func__, ENOUGH_ERROR_NULL_HANDLE, "the watch list is NULL");
        return -1;
    }
    if (!tokens_wait_on_descriptors()) {
        set_last_error(__func__, ENOUGH_ERROR_UNSUPPORTED,
                       "event loops here wait on handles: take on a thread of your own");
        return -1;
    }
    const int fd = static_cast<watch_list *>(list)->fd();
    if (fd < 0) {
        set_last_error(__func__, ENOUGH_ERROR_SYSTEM, "the system refused a pipe");
    }
    return fd;
}

ENOUGH_API void enough_watch_list_wake(void *list) {
    if (list != nullptr) {
        static_cast<watch_list *>(list)->wake();
    }
}

ENOUGH_API void enough_watch_list_destroy(void *list) {
    if (list != nullptr) {
        static_cast<watch_list *>(list)->close();
    }
}

} // extern "C"
