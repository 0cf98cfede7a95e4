// Layout helpers shared by kernel families: a strided permutation copy.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace tessera::cpu {

// out = in permuted: out dim d is in dim perm[d]. `elem` is the element size in bytes.
void permute_copy(const void* in, void* out, const std::vector<int64_t>& in_shape, const std::vector<int64_t>& perm,
                  size_t elem);

}  // namespace tessera::cpu
