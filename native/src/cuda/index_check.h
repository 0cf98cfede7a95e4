// Index checks for kernels that read at positions given by data (gather's indices, sparse
// labels): an index out of range would read outside a buffer, which on a GPU loses the
// context, so it must be refused before the kernel runs, with a clear error. The check
// runs on the device (the indices are there already: no copy of them to the host) and
// raises a flag the host reads back, which waits for the stream: a sync per call, the
// price of an error that names the bad index instead of a crash.
#pragma once
#include <cuda_runtime_api.h>

#include <cstdint>

namespace tessera::cuda {

struct BadIndex {
  int64_t position = -1;  // the first index outside [0, limit), or -1 when all are in range
  int32_t value = 0;
};

BadIndex find_bad_index(const int32_t* ids, int64_t n, int64_t limit, cudaStream_t stream);

}  // namespace tessera::cuda
