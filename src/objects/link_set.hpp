// The links of a linked source: one callback registration on each parent token, and a
// reference to each parent (to ask it for its deadline: enough_token_remaining_ms).
//
// Owned by the child's state and destroyed when its last source reference goes, which
// unregisters every link (waiting out a link callback running on another thread), so
// a long-lived parent never accumulates dead children.
#pragma once

#include <enough/abi.h>

#include <gsl/pointers>
#include <gsl/span>

#include <cstddef>
#include <memory>

namespace enough::detail {

class link_set {
public:
    // Room for `count` links, all empty. nullptr when memory is exhausted.
    static gsl::owner<link_set *> create(std::size_t count) noexcept;
    // Releases every registration, then every parent reference, then frees the set.
    static void destroy(gsl::owner<link_set *> links) noexcept;

    struct link {
        enough_unknown *registration = nullptr;
        enough_token *parent = nullptr; // one reference
    };
    gsl::span<link> links() noexcept { return {slots_.get(), count_}; }

private:
    link_set(std::unique_ptr<link[]> slots, std::size_t count) noexcept
        : slots_(std::move(slots)), count_(count) {}

    std::unique_ptr<link[]> slots_;
    std::size_t count_;
};

} // namespace enough::detail
