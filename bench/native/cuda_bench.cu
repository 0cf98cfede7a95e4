// The CUDA kernels timed with CUDA events on the library's own stream, printed as one
// table (and, given a path, written as JSON for scripts/gpu-check.sh to set beside
// PyTorch's numbers from bench/pytorch_cuda.py):
//   - FP32 GEMM, square 1024..8192, SIMT and TF32 tensor cores (GFLOP/s);
//   - conv2d forward, backward-input and backward-filter at batch 128 on the CPU issue's
//     shapes, 3x3 'same' (GFLOP/s of the direct convolution, 2*N*OH*OW*O*KH*KW*C);
//   - memory-bound kernels against a device-to-device copy of the same bytes (GB/s).
//
//   tessera_cuda_bench [results.json]
// Links the library's objects, so it calls the kernel table (the checks and launches the
// addon's calls get) and gemm.cuh's policies directly, TF32 on and off in one process.
#include <cuda_runtime_api.h>

#include <cstdio>
#include <string>
#include <vector>

#include "device.h"
#include "gemm.cuh"
#include "kernels.h"
#include "tessera/ops.h"

using namespace tessera;
using namespace tessera::cuda;

namespace {

#define BENCH_CHECK(CALL)                                                     \
  do {                                                                        \
    cudaError_t s_ = (CALL);                                                  \
    if (s_ != cudaSuccess) {                                                  \
      std::fprintf(stderr, "%s failed: %s\n", #CALL, cudaGetErrorString(s_)); \
      std::exit(1);                                                           \
    }                                                                         \
  } while (0)

cudaStream_t g_stream;

struct Tensor {
  TkTensor t{};
};

Tensor make(std::vector<int64_t> shape, TkDType dtype = TK_FLOAT32) {
  Tensor x;
  x.t.dtype = dtype;
  x.t.rank = static_cast<int32_t>(shape.size());
  x.t.size = 1;
  for (size_t d = 0; d < shape.size(); ++d) {
    x.t.shape[d] = shape[d];
    x.t.size *= shape[d];
  }
  const size_t bytes = x.t.size * (dtype == TK_FLOAT64 ? 8 : 4);
  BENCH_CHECK(cudaMalloc(&x.t.data, bytes));
  // Small values, so no kernel meets infinities or denormals.
  BENCH_CHECK(cudaMemset(x.t.data, 0x3c, bytes));
  return x;
}

void free_all(std::vector<Tensor*> ts) {
  for (Tensor* x : ts) cudaFree(x->t.data);
}

// Milliseconds per call of fn, after warm-up, over enough calls for about 50 ms.
template <typename Fn>
double time_ms(Fn fn) {
  fn();
  BENCH_CHECK(cudaStreamSynchronize(g_stream));
  cudaEvent_t start, stop;
  BENCH_CHECK(cudaEventCreate(&start));
  BENCH_CHECK(cudaEventCreate(&stop));
  BENCH_CHECK(cudaEventRecord(start, g_stream));
  fn();
  BENCH_CHECK(cudaEventRecord(stop, g_stream));
  BENCH_CHECK(cudaEventSynchronize(stop));
  float once = 0;
  BENCH_CHECK(cudaEventElapsedTime(&once, start, stop));
  const int reps = once > 50 ? 2 : std::min(200, std::max(3, static_cast<int>(50 / std::max(once, 0.001f))));
  BENCH_CHECK(cudaEventRecord(start, g_stream));
  for (int i = 0; i < reps; ++i) fn();
  BENCH_CHECK(cudaEventRecord(stop, g_stream));
  BENCH_CHECK(cudaEventSynchronize(stop));
  float total = 0;
  BENCH_CHECK(cudaEventElapsedTime(&total, start, stop));
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  return total / reps;
}

void run(OpId op, std::vector<const Tensor*> ins, std::vector<Tensor*> outs, const std::vector<double>& attrs) {
  std::vector<TkTensor> in, out;
  for (const Tensor* x : ins) in.push_back(x->t);
  for (Tensor* x : outs) out.push_back(x->t);
  const TkKernelArgs args{in.data(),    static_cast<int32_t>(in.size()),   out.data(), static_cast<int32_t>(out.size()),
                          attrs.data(), static_cast<int32_t>(attrs.size())};
  run_kernel(0, static_cast<int>(op), args);
}

struct Row {
  std::string key, what;
  double ms, rate;
  const char* unit;
};
std::vector<Row> g_rows;

void report(const std::string& key, const std::string& what, double ms, double rate, const char* unit) {
  g_rows.push_back({key, what, ms, rate, unit});
  std::printf("%-28s %-40s %10.3f ms %10.1f %s\n", key.c_str(), what.c_str(), ms, rate, unit);
  std::fflush(stdout);
}

template <class Math>
void bench_gemm(const char* policy, int64_t n) {
  Tensor a = make({n, n}), b = make({n, n}), c = make({n, n});
  const BatchIndex one = BatchIndex::contiguous(0);
  const float *pa = static_cast<float*>(a.t.data), *pb = static_cast<float*>(b.t.data);
  const double ms = time_ms([&] {
    launch_gemm_with<Math>(gemm_dims(n, n, n), 1, MatrixLoad<float, true>{pa, n, one},
                           MatrixLoad<float, false>{pb, n, one},
                           MatrixStore<float>{static_cast<float*>(c.t.data), n, one, false}, g_stream, "bench");
  });
  const std::string size = std::to_string(n);
  report(std::string("gemm_") + policy + "_" + size, size + "x" + size + "x" + size, ms, 2.0 * n * n * n / ms / 1e6,
         "GFLOP/s");
  free_all({&a, &b, &c});
}

void bench_conv(int64_t n, int64_t h, int64_t w, int64_t c, int64_t o) {
  Tensor x = make({n, h, w, c}), f = make({3, 3, c, o}), y = make({n, h, w, o});
  const std::vector<double> attrs = attrs::Conv2dAttrs{{1, 1}, {1, 1}, {1, 1, 1, 1}, 1}.pack();  // 3x3 same
  const double flops = 2.0 * n * h * w * o * 9 * c;
  const std::string shape =
      std::to_string(h) + "x" + std::to_string(w) + "x" + std::to_string(c) + "-" + std::to_string(o);
  const std::string what = "batch " + std::to_string(n) + ", " + shape + ", 3x3 same";
  double ms = time_ms([&] { run(OpId::conv2d, {&x, &f}, {&y}, attrs); });
  report("conv_fwd_" + shape, what, ms, flops / ms / 1e6, "GFLOP/s");
  ms = time_ms([&] { run(OpId::conv2d_backward_input, {&y, &f}, {&x}, attrs); });
  report("conv_bwd_input_" + shape, what, ms, flops / ms / 1e6, "GFLOP/s");
  ms = time_ms([&] { run(OpId::conv2d_backward_filter, {&x, &y}, {&f}, attrs); });
  report("conv_bwd_filter_" + shape, what, ms, flops / ms / 1e6, "GFLOP/s");
  free_all({&x, &f, &y});
}

void bench_memory() {
  // [128, 56, 56, 64]: the largest activation of the conv shapes above (103 MB).
  const std::vector<int64_t> act = {128, 56, 56, 64};
  Tensor x = make(act), y = make(act), dy = make(act), dx = make(act);
  Tensor c1 = make({64}), c2 = make({64}), c3 = make({64}), c4 = make({64}), c5 = make({64}), c6 = make({64}),
         c7 = make({64}), c8 = make({64});
  const double bytes = x.t.size * 4.0;
  double ms = time_ms(
      [&] { BENCH_CHECK(cudaMemcpyAsync(y.t.data, x.t.data, x.t.size * 4, cudaMemcpyDeviceToDevice, g_stream)); });
  report("copy_d2d", "128x56x56x64 float32", ms, 2 * bytes / ms / 1e6, "GB/s");
  ms = time_ms([&] { run(OpId::batch_norm_inference, {&x, &c1, &c2, &c3, &c4}, {&y}, {-1, 1e-3}); });
  report("batch_norm_inference", "128x56x56x64, axis -1", ms, 2 * bytes / ms / 1e6, "GB/s");
  ms = time_ms([&] {
    run(OpId::batch_norm_train_forward, {&x, &c1, &c2, &c3, &c4}, {&y, &c5, &c6, &c7, &c8}, {-1, 1e-3, 0.99});
  });
  report("batch_norm_train_forward", "128x56x56x64, axis -1 (reads x twice)", ms, 3 * bytes / ms / 1e6, "GB/s");
  ms = time_ms([&] { run(OpId::batch_norm_backward, {&x, &dy, &c1, &c2, &c3}, {&dx, &c5, &c6}, {-1}); });
  report("batch_norm_backward", "128x56x56x64, axis -1 (x, dy twice)", ms, 5 * bytes / ms / 1e6, "GB/s");
  Tensor pooled = make({128, 28, 28, 64});
  ms = time_ms([&] { run(OpId::max_pool2d, {&x}, {&pooled}, {3, 3, 2, 2, 0, 0, 1, 1}); });
  report("max_pool2d", "128x56x56x64, 3x3 stride 2", ms, (bytes + pooled.t.size * 4.0) / ms / 1e6, "GB/s");
  ms = time_ms([&] { run(OpId::max_pool2d_backward, {&x, &pooled}, {&dx}, {3, 3, 2, 2, 0, 0, 1, 1}); });
  report("max_pool2d_backward", "128x56x56x64, 3x3 stride 2", ms, (2 * bytes + 2 * pooled.t.size * 4.0) / ms / 1e6,
         "GB/s");
  free_all({&pooled});
  // Layer norm over rows of 1024: [25088, 1024] holds the same bytes.
  Tensor rows = make({25088, 1024}), out = make({25088, 1024}), g = make({1024}), b = make({1024}),
         mean = make({25088}), rstd = make({25088});
  ms = time_ms([&] { run(OpId::layer_norm_forward, {&rows, &g, &b}, {&out, &mean, &rstd}, {1e-3}); });
  report("layer_norm_forward", "25088x1024", ms, 2 * bytes / ms / 1e6, "GB/s");
  free_all({&x, &y, &dy, &dx, &c1, &c2, &c3, &c4, &c5, &c6, &c7, &c8, &rows, &out, &g, &b, &mean, &rstd});
}

}  // namespace

int main(int argc, char** argv) {
  std::string reason;
  if (discover_devices(&reason) == 0) {
    std::fprintf(stderr, "no CUDA: %s\n", reason.c_str());
    return 1;
  }
  g_stream = activate(0);
  std::printf("%s\n%-28s %-40s %13s %10s\n", device_name(0).c_str(), "kernel", "shape", "time", "rate");
  try {
    for (int64_t n : {1024, 2048, 4096, 8192}) bench_gemm<SimtF32>("fp32", n);
    int major = 0;
    BENCH_CHECK(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, 0));
    if (major >= 8)
      for (int64_t n : {1024, 2048, 4096, 8192}) bench_gemm<Tf32Math>("tf32", n);
    bench_conv(128, 28, 28, 1, 32);
    bench_conv(128, 14, 14, 32, 64);
    bench_conv(128, 56, 56, 64, 64);
    bench_memory();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "benchmark failed: %s\n", e.what());
    return 1;
  }
  if (argc > 1) {
    FILE* f = std::fopen(argv[1], "w");
    if (!f) return 1;
    std::fprintf(f, "{\n  \"device\": \"%s\",\n  \"results\": {\n", device_name(0).c_str());
    for (size_t i = 0; i < g_rows.size(); ++i)
      std::fprintf(f, "    \"%s\": {\"ms\": %.6f, \"rate\": %.3f, \"unit\": \"%s\"}%s\n", g_rows[i].key.c_str(),
                   g_rows[i].ms, g_rows[i].rate, g_rows[i].unit, i + 1 < g_rows.size() ? "," : "");
    std::fprintf(f, "  }\n}\n");
    std::fclose(f);
  }
  return 0;
}
