#include "check.h"

namespace tessera::cuda {

namespace {
// Faults inside a kernel poison the context: every later call returns the same error.
bool is_sticky(cudaError_t status) {
  switch (status) {
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchFailure:
    case cudaErrorMisalignedAddress:
    case cudaErrorIllegalInstruction:
    case cudaErrorInvalidPc:
    case cudaErrorHardwareStackError:
    case cudaErrorAssert: return true;
    default: return false;
  }
}

std::string cuda_error_message(const std::string& what, cudaError_t status) {
  std::string message = what + " failed: " + cudaGetErrorName(status) + ": " + cudaGetErrorString(status);
  if (status == cudaErrorNoKernelImageForDevice || status == cudaErrorInvalidDeviceFunction) {
    int device = 0;
    cudaDeviceProp prop{};
    if (cudaGetDevice(&device) == cudaSuccess && cudaGetDeviceProperties(&prop, device) == cudaSuccess) {
      message += " (" + std::string(prop.name) + " is sm_" + std::to_string(prop.major) + std::to_string(prop.minor) +
                 ", which this build has no code for: rebuild with -DTESSERA_CUDA_ARCHITECTURES=" +
                 std::to_string(prop.major) + std::to_string(prop.minor) + ")";
    }
  } else if (is_sticky(status)) {
    message += " (a kernel faulted; the GPU context is lost until the process restarts)";
  }
  return message;
}

}  // namespace

void throw_cuda_error(const std::string& what, cudaError_t status) { throw Error(cuda_error_message(what, status)); }

}  // namespace tessera::cuda
