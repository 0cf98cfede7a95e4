// The CUDA kernels of ops.def: every row marked CPU_CUDA declares one here, and
// kernel_table.cpp lists them, so a marked row without a kernel is a link error.
// A kernel launches on the device's stream and returns without waiting.
#pragma once
#include <cuda_runtime_api.h>

#include "tessera/kernel.h"
#include "tessera/op_attrs.h"

namespace tessera::cuda {

using CudaKernelFn = void (*)(const KernelArgs& args, cudaStream_t stream);

#define TK_CUDA_DECLARE_CPU_ONLY(name)
#define TK_CUDA_DECLARE_CPU_CUDA(name) void name(const KernelArgs& args, cudaStream_t stream);
#define TK_OP(name, inputs, outputs, devices, ...) TK_CUDA_DECLARE_##devices(name)
#include "../../ops.def"
#undef TK_OP
#undef TK_CUDA_DECLARE_CPU_ONLY
#undef TK_CUDA_DECLARE_CPU_CUDA

// Runs ops.def row `op` on `device`; false when the row has no CUDA kernel.
bool run_kernel(int device, int op, const TkKernelArgs& args);
bool has_kernel(int op);

}  // namespace tessera::cuda
