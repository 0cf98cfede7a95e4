// The permutation copy of layout.cu, for kernels that first bring axes together
// (reductions over axes that are not adjacent), as the CPU's cpu/layout.h.
#pragma once
#include <cuda_runtime_api.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tessera::cuda {

// out = in permuted: out dim d is in dim perm[d]. `elem` is the element size in bytes (1, 4 or 8).
void permute(const void* in, void* out, const std::vector<int64_t>& in_shape, const std::vector<int64_t>& perm,
             size_t elem, cudaStream_t stream);

}  // namespace tessera::cuda
