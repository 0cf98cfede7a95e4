#include "copy.h"

#include "check.h"
#include "device.h"

namespace tessera::cuda {

void copy_to_device(int device, void* dst, const void* src, size_t bytes) {
  const cudaStream_t stream = activate(device);
  if (bytes) TK_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyHostToDevice, stream));
}

void copy_to_host(int device, void* dst, const void* src, size_t bytes) {
  const cudaStream_t stream = activate(device);
  if (bytes) TK_CUDA_CHECK(cudaMemcpyAsync(dst, src, bytes, cudaMemcpyDeviceToHost, stream));
  TK_CUDA_CHECK(cudaStreamSynchronize(stream));
}

}  // namespace tessera::cuda
