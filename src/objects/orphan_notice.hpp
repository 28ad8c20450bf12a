// Callbacks that hear of their state's orphaning too.
//
// An orphaned state can never cancel, so its registrations are unlisted without
// running. A registration whose callback is named here is called once more instead,
// with reason 0, under the state's registry lock (it must only take its own lock):
// the state tells it apart by the callback's address. Declared here, below the state
// that tells and the objects that listen, so that neither includes the other. (Links
// of linked states are told apart by the state itself: cancellation_state::link_fired.)
#pragma once

#include "runtime/compiler.hpp"

#include <enough/abi.h>

#include <cstdint>

namespace enough::detail {

// A watch's callback (objects/watch_list.cpp): queues its key with the reason.
void ENOUGH_CALL watch_fired(void *entry, int32_t reason) noexcept;

} // namespace enough::detail
