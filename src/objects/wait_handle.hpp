// What a token hands out as enough_token_wait_handle: on Windows, the event HANDLE
// signalled once it cancels (for WaitForSingleObject, RegisterWaitForSingleObject,
// .NET's WaitHandle). Elsewhere enough_token_fd's descriptor serves instead.
#pragma once

#include <enough/abi.h>

#include <gsl/pointers>

namespace enough::detail {

// True where tokens wait on descriptors (enough_token_fd), false where they wait on
// event HANDLEs (enough_token_wait_handle).
bool tokens_wait_on_descriptors() noexcept;

// The event HANDLE, owned by the token: this library's tokens, the never token (one
// that is never signalled) and imported tokens have one; nullptr for a foreign token,
// when the system refuses, and where tokens wait on descriptors.
void *token_wait_handle(gsl::not_null<enough_token *> token) noexcept;

} // namespace enough::detail
