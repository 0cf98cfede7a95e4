// What the CUDA recurrent kernels share (recurrent.cu: one step; recurrent_sequence.cu:
// whole sequences): the gate functors' sigmoid and tanh, and a launch over every batch row
// and unit of one step, and the GRU backward's passes beside the shared gate functor.
#pragma once
#include "contracts/recurrent.h"
#include "launch.cuh"

namespace tessera::cuda::recurrent {

// The gate functors' sigmoid and tanh (contracts/recurrent_gates.h): CUDA's libm.
struct CudaMath {
  __host__ __device__ static float tanh(float x) { return ::tanhf(x); }
  __host__ __device__ static double tanh(double x) { return ::tanh(x); }
  __host__ __device__ static float sigmoid(float x) { return 1.0f / (1.0f + ::expf(-x)); }
  __host__ __device__ static double sigmoid(double x) { return 1.0 / (1.0 + ::exp(-x)); }
};

// f(b, j, k = b * units + j) for every batch row and unit.
template <typename F>
__global__ void cell_kernel(int64_t batch, int64_t units, F f) {
  const int64_t n = batch * units;
  for (int64_t k = grid_start(); k < n; k += grid_stride()) f(k / units, k % units, k);
}

template <typename F>
void for_each_cell(const contracts::CellShape& s, cudaStream_t stream, const char* name, F f) {
  const int64_t n = s.batch * s.units;
  if (n == 0) return;
  cell_kernel<<<grid_for(n), kBlockSize, 0, stream>>>(s.batch, s.units, f);
  TK_CUDA_CHECK_LAUNCH(name);
}

// reset_after = 0: the reset gate's gradient from d(r * h), and dh_part scaled by r.
template <typename T>
struct GruBackwardReset {
  const T *h, *gates;
  T *dxw, *dh_part;
  int64_t n;
  __device__ void operator()(int64_t b, int64_t j, int64_t k) const {
    const T r = gates[b * 4 * n + n + j];
    dxw[b * 3 * n + n + j] = dh_part[k] * h[k] * r * (T(1) - r);
    dh_part[k] *= r;
  }
};

template <typename T>
struct GruBackwardState {
  const T *gates, *dh_new, *dh_part;
  T* dh;
  int64_t n;
  __device__ void operator()(int64_t b, int64_t j, int64_t k) const {
    dh[k] += dh_part[k] + dh_new[k] * gates[b * 4 * n + j];
  }
};

}  // namespace tessera::cuda::recurrent
