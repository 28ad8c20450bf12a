#include "objects/link_set.hpp"

#include <new>

namespace enough::detail {

gsl::owner<link_set *> link_set::create(std::size_t count) noexcept {
    std::unique_ptr<enough_unknown *[]> slots(new (std::nothrow) enough_unknown *[count]());
    if (!slots) {
        return nullptr;
    }
    return new (std::nothrow) link_set(std::move(slots), count);
}

void link_set::destroy(gsl::owner<link_set *> links) noexcept {
    for (enough_unknown *registration : links->registrations()) {
        if (registration != nullptr) {
            registration->vtbl->release(registration);
        }
    }
    delete links;
}

} // namespace enough::detail
