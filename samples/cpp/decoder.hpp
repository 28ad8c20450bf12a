// A library author's side, in C++: a long "decode" that takes a token view.
#pragma once

#include <enough/enough.hpp>

#include <cstddef>

namespace sample {

struct decode_result {
    std::size_t blocks_done;
    enough::reason stopped_by; // reason::none when every block was decoded
};

// Decodes `blocks` blocks, checking the token before each one (one acquire load).
// The view borrows: whoever called us keeps the token alive.
decode_result decode(std::size_t blocks, enough::token_view token);

} // namespace sample
