// CUDA errors become tessera::Error exceptions inside the library; api.cpp turns those
// into the C ABI's error strings, so nothing ever aborts and no exception crosses dlopen.
#pragma once
#include <cuda_runtime_api.h>

#include <string>

#include "tessera/errors.h"

namespace tessera::cuda {

// Throws "WHAT failed: cudaErrorName: description", with a hint where the user can act.
[[noreturn]] void throw_cuda_error(const std::string& what, cudaError_t status);

}  // namespace tessera::cuda

// TK_CUDA_CHECK(cudaMemcpyAsync(...)): throws with the call's text and CUDA's reason.
#define TK_CUDA_CHECK(CALL)                                                                        \
  do {                                                                                             \
    const cudaError_t tk_cuda_status_ = (CALL);                                                    \
    if (tk_cuda_status_ != cudaSuccess) ::tessera::cuda::throw_cuda_error(#CALL, tk_cuda_status_); \
  } while (0)

// After a <<<launch>>> of op NAME: a bad configuration, or no kernel image for this GPU,
// shows up here; faults inside the kernel show up at the next synchronizing call.
#define TK_CUDA_CHECK_LAUNCH(NAME)                                                              \
  do {                                                                                          \
    const cudaError_t tk_cuda_status_ = cudaGetLastError();                                     \
    if (tk_cuda_status_ != cudaSuccess)                                                         \
      ::tessera::cuda::throw_cuda_error(std::string(NAME) + " kernel launch", tk_cuda_status_); \
  } while (0)
