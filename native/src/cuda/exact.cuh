// Arithmetic that the compiler may not fuse. nvcc contracts a * b + c into one FMA (one
// rounding instead of two), which the CPU build (plain x86-64, no FMA) never does; where a
// kernel must give the CPU's bits (optimizer updates, random ranges, dropout), it writes
// each rounding out with these.
#pragma once

namespace tessera::cuda {

__device__ __forceinline__ float mul_rn(float a, float b) { return __fmul_rn(a, b); }
__device__ __forceinline__ double mul_rn(double a, double b) { return __dmul_rn(a, b); }
__device__ __forceinline__ float add_rn(float a, float b) { return __fadd_rn(a, b); }
__device__ __forceinline__ double add_rn(double a, double b) { return __dadd_rn(a, b); }
__device__ __forceinline__ float sub_rn(float a, float b) { return __fsub_rn(a, b); }
__device__ __forceinline__ double sub_rn(double a, double b) { return __dsub_rn(a, b); }

}  // namespace tessera::cuda
