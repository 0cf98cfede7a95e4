// Binary elementwise kernels with NumPy broadcasting (the CUDA half of
// cpu/elementwise_binary.cpp). Arithmetic keeps the input dtype.
#include "broadcast.cuh"
#include "kernels.h"

namespace tessera::cuda {

namespace {

struct AddOp {
  template <typename T>
  __device__ T operator()(T x, T y) const { return x + y; }
};

}  // namespace

void add(const KernelArgs& args, cudaStream_t stream) {
  TK_DISPATCH_NUMERIC(args.in(0).dtype(), "add", launch_binary<scalar_t, scalar_t>(args, stream, "add", AddOp{}));
}

}  // namespace tessera::cuda
