// The CUDA driver (libcuda.so.1), loaded at run time by the MPI shim for its NCCL path:
// which device a thread works on (the primary context the CUDA runtime, and so NCCL and
// Tessera's CUDA library, use), a stream for NCCL's kernels, and whether they finished.
// The shim links neither the driver nor the runtime, so it builds and loads on machines
// without CUDA.
#pragma once
#include <string>

namespace tessera_mpi {

// The driver's C types spelled as plain ints and pointers (CUresult is an int enum,
// CUdevice an int, CUcontext and CUstream pointers).
struct CudaDriver {
  int (*init)(unsigned flags);
  int (*device_get_count)(int* count);
  int (*device_get)(int* device, int ordinal);
  int (*primary_ctx_retain)(void** ctx, int device);
  int (*ctx_set_current)(void* ctx);
  int (*stream_create)(void** stream, unsigned flags);
  int (*stream_query)(void* stream);
  int (*get_error_string)(int error, const char** text);
};

constexpr int kCudaSuccess = 0;
constexpr int kCudaErrorNotReady = 600;
constexpr unsigned kCudaStreamNonBlocking = 1;

// Loads the driver once (thread-safe) and calls cuInit; null with `reason` set when
// there is no driver or it does not start.
const CudaDriver* cuda_driver(std::string* reason);

// "cuStreamQuery: <the driver's text> (<code>)".
std::string cuda_error(const char* call, int code);

}  // namespace tessera_mpi
