#include "objects/link_set.hpp"

#include <new>

namespace enough::detail {

gsl::owner<link_set *> link_set::create(std::size_t count) noexcept {
    std::unique_ptr<link[]> slots(new (std::nothrow) link[count]());
    if (!slots) {
        return nullptr;
    }
    return new (std::nothrow) link_set(std::move(slots), count);
}

void link_set::destroy(gsl::owner<link_set *> links) noexcept {
    for (const link &each : links->links()) {
        if (each.registration != nullptr) {
            each.registration->vtbl->release(each.registration); // no parent callback after this
        }
    }
    for (const link &each : links->links()) {
        if (each.parent != nullptr) {
            each.parent->vtbl->release(each.parent);
        }
    }
    delete links;
}

} // namespace enough::detail
