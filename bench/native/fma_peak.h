// This machine's measured peak FMA throughput, the yardstick the GEMM benchmarks are
// reported against (a datasheet peak says nothing about clocks under a hypervisor).
#pragma once

namespace tessera::bench {

// GFLOP/s of a register-only FMA loop (float32, widest vector of kernel_isa()) on
// `threads` threads of the pool. Measured once per thread count, then cached.
double peak_fma_gflops(int threads);

// One timed run of that loop: `iterations` steps per thread; returns GFLOP/s.
double run_fma_loop(int threads, long iterations);

}  // namespace tessera::bench
