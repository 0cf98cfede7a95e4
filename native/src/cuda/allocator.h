// Device memory never comes from cudaMalloc per op: freed blocks stay cached for reuse.
// Where the driver supports it, a stream-ordered pool (cudaMallocFromPoolAsync) of our own
// keeps everything it is given; elsewhere, a cache of size-rounded blocks. Either way, an
// allocation that fails releases the cached memory and tries once more before giving up.
// TESSERA_CUDA_ALLOCATOR=pool|cache picks one (the tests run both).
#pragma once
#include <cstddef>

namespace tessera::cuda {

void* allocate(int device, size_t bytes);
void release(int device, void* ptr);

}  // namespace tessera::cuda
