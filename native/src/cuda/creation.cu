// Copy and fill (the CUDA half of cpu/creation.cpp). Attributes: fill [value].
#include <cstring>
#include <type_traits>

#include "check.h"
#include "kernels.h"
#include "launch.cuh"

namespace tessera::cuda {

namespace {

template <typename T>
__global__ void fill_kernel(T* out, int64_t n, T value) {
  for (int64_t i = grid_start(); i < n; i += grid_stride()) out[i] = value;
}

// A value whose bytes are all alike (zeros, any bool, -1) is a memset, the fastest fill.
template <typename T>
bool is_byte_pattern(const T& value, unsigned char* byte) {
  unsigned char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  for (size_t i = 1; i < sizeof(T); ++i) {
    if (bytes[i] != bytes[0]) return false;
  }
  *byte = bytes[0];
  return true;
}

}  // namespace

void copy(const KernelArgs& args, cudaStream_t stream) {
  const View x = args.in(0), out = args.out(0);
  const size_t bytes = x.size() * dtype_size(x.dtype());
  TK_CHECK(out.size() * dtype_size(out.dtype()) == bytes,
           "copy: expected an output of " << bytes << " bytes, got " << out.size() * dtype_size(out.dtype()));
  if (bytes) TK_CUDA_CHECK(cudaMemcpyAsync(out.data<void>(), x.data<void>(), bytes, cudaMemcpyDeviceToDevice, stream));
}

void fill(const KernelArgs& args, cudaStream_t stream) {
  const View out = args.out(0);
  TK_CHECK(args.num_attrs() == 1, "fill: expected 1 attribute [value], got " << args.num_attrs());
  const double value = args.attr(0);
  const int64_t n = out.size();
  if (n == 0) return;
  TK_DISPATCH_ALL(out.dtype(), "fill", {
    // Converted on the host as the CPU kernel converts it, so both write the same bits;
    // any non-zero value (NaN too) is true, stored as 1.
    const scalar_t v = std::is_same_v<scalar_t, uint8_t> ? static_cast<scalar_t>(value != 0.0) : static_cast<scalar_t>(value);
    unsigned char byte = 0;
    if (is_byte_pattern(v, &byte)) {
      TK_CUDA_CHECK(cudaMemsetAsync(out.data<void>(), byte, n * sizeof(scalar_t), stream));
    } else {
      fill_kernel<scalar_t><<<grid_for(n), kBlockSize, 0, stream>>>(out.data<scalar_t>(), n, v);
      TK_CUDA_CHECK_LAUNCH("fill");
    }
  });
}

}  // namespace tessera::cuda
