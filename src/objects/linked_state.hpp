// Linked states: a new state that cancels, with the parent's reason, as soon as any
// parent token does, through one callback registration on each parent (a link_set,
// owned by the child's state).
//
// Two kinds. A linked source follows its parents while a source reference lives (a
// source of its own to cancel, as .NET's CreateLinkedTokenSource). A linked token
// needs no source: it follows while any reference to it lives and any parent may
// still cancel (tokio's child_token, JavaScript's AbortSignal.any); once every parent
// can never cancel, neither can it.
#pragma once

#include <enough/abi.h>

#include <gsl/pointers>
#include <gsl/span>

namespace enough::detail {

class cancellation_state;

// From a caller's handle to a parent token, or nullptr to skip that entry (the flat
// layer's handle check: NULL and wrong-kind handles are skipped).
using parent_filter = enough_token *(*)(void *handle) noexcept;

// A new state with one source reference in *out, linked to every parent that `accept`
// gives; it starts cancelled if one already is. On failure *out is nullptr, nothing
// stays linked, and the result is ENOUGH_E_OUTOFMEMORY or the failure of a foreign
// parent's register_callback.
enough_result create_linked_state(gsl::span<void *const> parents, parent_filter accept,
                                  gsl::owner<cancellation_state *> *out) noexcept;

// A new linked token (one reference, the caller's) in *out; the same results. A
// parent that can never cancel (NULL, the never token, an orphan) is skipped; with no
// parent left that may cancel, the token can never cancel either.
enough_result create_linked_token(gsl::span<void *const> parents, parent_filter accept,
                                  enough_token **out) noexcept;

} // namespace enough::detail
