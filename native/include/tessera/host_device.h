// TK_HOST_DEVICE marks a function that both the CPU kernels and the CUDA kernels call:
// __host__ __device__ under nvcc, nothing under a plain C++ compiler.
#pragma once

#ifdef __CUDACC__
#define TK_HOST_DEVICE __host__ __device__
#else
#define TK_HOST_DEVICE
#endif
