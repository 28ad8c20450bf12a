#include "decoder.hpp"

namespace sample {

decode_result decode(std::size_t blocks, enough::token_view token) {
    volatile double sink = 0;
    for (std::size_t block = 0; block < blocks; ++block) {
        if (const enough::reason why = token.check(); why != enough::reason::none) {
            return {block, why};
        }
        double acc = static_cast<double>(block);
        for (int i = 0; i < 200; ++i) {
            acc = acc * 0.999 + i;
        }
        sink = sink + acc;
    }
    return {blocks, enough::reason::none};
}

} // namespace sample
