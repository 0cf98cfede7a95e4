// Every ops.def kernel with a CUDA form, run on the CPU and on cuda:0 with the same random
// inputs and compared bit for bit; then copies between host and device, the kernel table,
// errors, and the allocator. Skipped, with the loader's reason, where CUDA does not load
// (no library, no driver or no GPU); CudaCoverage runs everywhere.
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "cuda_consistency.h"
#include "kernel_test_util.h"
#include "tessera/cuda_loader.h"
#include "tessera/errors.h"

namespace tessera::testing {
namespace {

#ifdef TESSERA_TEST_CUDA_LIBRARY
// The library CMake built, wherever this test binary's build folder is (the loader's own
// candidates are relative to the addon). Set before main, so before the loader's first
// use, and only as the loader's last resort: a TESSERA_CUDA_LIBRARY already set wins.
[[maybe_unused]] const bool kCudaLibraryPathSet = setenv("TESSERA_CUDA_LIBRARY", TESSERA_TEST_CUDA_LIBRARY, 0) == 0;
#endif

const Device kCuda{DeviceType::CUDA, 0};
const Device kCpu{};

bool cuda_row(OpId op) {
  switch (op) {
#define TK_CUDA_ROW_CPU_ONLY false
#define TK_CUDA_ROW_CPU_CUDA true
#define TK_OP(name, inputs, outputs, devices, ...) \
  case OpId::name:                                 \
    return TK_CUDA_ROW_##devices;
#include "../ops.def"
#undef TK_OP
    default: return false;
  }
}

std::vector<uint8_t> raw_bytes(const TensorImpl& t) {
  std::vector<uint8_t> bytes(t.nbytes());
  backend_for(t.device()).copy_to_host(bytes.data(), t.storage->data(), bytes.size());
  return bytes;
}

// Bit for bit; on a difference, names the first element that differs (not megabytes of both).
void expect_same_elements(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want, size_t element_size) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); i += element_size) {
    ASSERT_EQ(std::memcmp(&got[i], &want[i], element_size), 0) << "first difference at element " << i / element_size;
  }
}

std::shared_ptr<TensorImpl> tensor_from_bytes(const std::vector<uint8_t>& bytes, DType dtype,
                                              const std::vector<int64_t>& shape, Device device) {
  auto t = make_tensor(device, dtype, shape);
  backend_for(device).copy_from_host(t->storage->data(), bytes.data(), bytes.size());
  return t;
}

template <typename T>
std::vector<uint8_t> bytes_of(const std::vector<T>& values) {
  std::vector<uint8_t> bytes(values.size() * sizeof(T));
  if (!bytes.empty()) std::memcpy(bytes.data(), values.data(), bytes.size());
  return bytes;
}

class CudaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!cuda_api()) GTEST_SKIP() << "CUDA not available: " << cuda_status().reason;
  }
};

class CudaConsistency : public ::testing::TestWithParam<CudaCase> {
 protected:
  void SetUp() override {
    if (!cuda_api()) GTEST_SKIP() << "CUDA not available: " << cuda_status().reason;
  }
};

template <typename T>
void expect_close_elements(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want, double rtol,
                           double atol) {
  ASSERT_EQ(got.size(), want.size());
  const size_t n = got.size() / sizeof(T);
  for (size_t i = 0; i < n; ++i) {
    T g, w;
    std::memcpy(&g, &got[i * sizeof(T)], sizeof(T));
    std::memcpy(&w, &want[i * sizeof(T)], sizeof(T));
    const double gd = static_cast<double>(g), wd = static_cast<double>(w);
    if ((std::isnan(wd) && std::isnan(gd)) || gd == wd) continue;  // NaN payloads aside; equal infinities
    ASSERT_LE(std::fabs(gd - wd), atol + rtol * std::fabs(wd)) << "element " << i << ": cuda " << gd << ", cpu " << wd;
  }
}

// Bit for bit, except that any NaN matches any NaN: the GPU writes one canonical NaN
// where x86 keeps the operand's payload (or makes a negative one), a difference in no
// value.
template <typename T>
void expect_same_reals(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); i += sizeof(T)) {
    T g, w;
    std::memcpy(&g, &got[i], sizeof(T));
    std::memcpy(&w, &want[i], sizeof(T));
    if (std::isnan(g) && std::isnan(w)) continue;
    ASSERT_EQ(std::memcmp(&g, &w, sizeof(T)), 0)
        << "first difference at element " << i / sizeof(T) << ": cuda " << g << ", cpu " << w;
  }
}

void expect_match(const TensorImpl& got, const TensorImpl& want, const CudaCase& c) {
  const auto g = raw_bytes(got), w = raw_bytes(want);
  if (c.rtol == 0 && c.atol == 0 && want.dtype == DType::Float32) {
    expect_same_reals<float>(g, w);
  } else if (c.rtol == 0 && c.atol == 0 && want.dtype == DType::Float64) {
    expect_same_reals<double>(g, w);
  } else if (c.rtol == 0 && c.atol == 0) {
    expect_same_elements(g, w, dtype_size(want.dtype));
  } else if (want.dtype == DType::Float32) {
    expect_close_elements<float>(g, w, c.rtol, c.atol);
  } else if (want.dtype == DType::Float64) {
    expect_close_elements<double>(g, w, c.rtol, c.atol);
  } else {
    expect_same_elements(g, w, dtype_size(want.dtype));
  }
}

TEST_P(CudaConsistency, MatchesCpu) {
  const CudaCase& c = GetParam();
  std::vector<std::shared_ptr<TensorImpl>> on_cpu, on_cuda;
  uint32_t seed = 1;
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    const DType dtype = c.input_dtypes[i];
    const int64_t n = shape_size(c.inputs[i]);
    const auto bytes =
        c.make_input ? c.make_input(static_cast<int>(i), dtype, n, seed++) : random_bytes(dtype, n, seed++);
    on_cpu.push_back(tensor_from_bytes(bytes, dtype, c.inputs[i], kCpu));
    on_cuda.push_back(tensor_from_bytes(bytes, dtype, c.inputs[i], kCuda));
  }
  const auto want = run_op(c.op, on_cpu, c.outs, c.attrs, kCpu);
  const auto got = run_op(c.op, on_cuda, c.outs, c.attrs, kCuda);
  for (size_t k = 0; k < want.size(); ++k) {
    ASSERT_EQ(got[k]->device(), kCuda);
    SCOPED_TRACE("output " + std::to_string(k));
    expect_match(*got[k], *want[k], c);
  }
  for (int i : c.compare_inputs) {
    SCOPED_TRACE("in-place input " + std::to_string(i));
    expect_match(*on_cuda[i], *on_cpu[i], c);
  }
}

INSTANTIATE_TEST_SUITE_P(CudaKernels, CudaConsistency, ::testing::ValuesIn(cuda_cases()),
                         [](const ::testing::TestParamInfo<CudaCase>& info) { return info.param.name(); });

// Needs no GPU: a row newly marked CPU_CUDA must come with cases above.
TEST(CudaCoverage, EveryCudaRowOfOpsDefHasCases) {
  const auto& all = cuda_cases();
  for (int i = 0; i < kNumOps; ++i) {
    const OpId op = static_cast<OpId>(i);
    if (!cuda_row(op)) continue;
    bool covered = false;
    for (const CudaCase& c : all) covered = covered || c.op == op;
    EXPECT_TRUE(covered) << kOpInfo[i].name << " is marked CPU_CUDA in ops.def but has no consistency case";
  }
}

using CudaKernelTable = CudaTest;

TEST_F(CudaKernelTable, HasExactlyTheCudaRowsOfOpsDef) {
  for (int i = 0; i < kNumOps; ++i) {
    EXPECT_EQ(backend_for(kCuda).has_kernel(static_cast<OpId>(i)), cuda_row(static_cast<OpId>(i))) << kOpInfo[i].name;
  }
}

TEST_F(CudaKernelTable, CpuOnlyRowIsAClearError) {
  int cpu_only = -1;
  for (int i = 0; i < kNumOps && cpu_only < 0; ++i) {
    if (!cuda_row(static_cast<OpId>(i)) && kOpInfo[i].inputs == 1 && kOpInfo[i].outputs == 1) cpu_only = i;
  }
  if (cpu_only < 0) GTEST_SKIP() << "every one-input row has a CUDA kernel";
  const auto x = from_vector<float>({1, 2, 3}, {3}, kCuda);
  try {
    run_op(static_cast<OpId>(cpu_only), {x}, {{DType::Float32, {3}}});
    FAIL() << kOpInfo[cpu_only].name << " ran on CUDA without a kernel";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no CUDA kernel"), std::string::npos) << e.what();
  }
}

using CudaErrors = CudaTest;

// Bad calls are refused before launch, as errors that name the op, and leave the device usable.
TEST_F(CudaErrors, BadCallsThrowAndTheDeviceStillWorks) {
  const auto b = from_vector<uint8_t>({1, 0, 1}, {3}, kCuda);
  EXPECT_THROW(
      {
        try {
          run_op(OpId::add, {b, b}, {{DType::Bool, {3}}});
        } catch (const Error& e) {
          EXPECT_NE(std::string(e.what()).find("add: expected dtype float32, float64 or int32, got bool"),
                    std::string::npos)
              << e.what();
          throw;
        }
      },
      Error);
  const auto x = from_vector<float>({1, 2, 3}, {3}, kCuda);
  const auto y = from_vector<float>({1, 2}, {2}, kCuda);
  EXPECT_THROW(run_op(OpId::add, {x, y}, {{DType::Float32, {3}}}), Error);
  const auto d = from_vector<double>({1, 2, 3}, {3}, kCuda);
  EXPECT_THROW(run_op(OpId::add, {x, d}, {{DType::Float32, {3}}}), Error);
  EXPECT_THROW(run_op(OpId::fill, {}, {{DType::Float32, {3}}}, {}, kCuda), Error);
  const auto sum = run_op(OpId::add, {x, x}, {{DType::Float32, {3}}});
  EXPECT_EQ(to_vector<float>(*sum[0]), (std::vector<float>{2, 4, 6}));
  backend_for(kCuda).synchronize();
}

using CudaCopy = CudaTest;

TEST_F(CudaCopy, RoundTripsEveryDtypeAtOddEmptyAndLargeSizes) {
  for (DType dtype : {DType::Float32, DType::Int32, DType::Float64, DType::Bool}) {
    for (int64_t n : {int64_t{0}, int64_t{1}, int64_t{7}, int64_t{4097}, int64_t{3000017}}) {
      SCOPED_TRACE(std::string(dtype_name(dtype)) + " x " + std::to_string(n));
      const auto bytes = random_bytes(dtype, n, static_cast<uint32_t>(n) + 3);
      expect_same_elements(raw_bytes(*tensor_from_bytes(bytes, dtype, {n}, kCuda)), bytes, dtype_size(dtype));
    }
  }
}

using CudaAllocator = CudaTest;

// Many live blocks of awkward sizes never overlap: each keeps its own pattern.
TEST_F(CudaAllocator, LiveBlocksAreDistinctAndReusedAfterRelease) {
  Backend& cuda = backend_for(kCuda);
  const std::vector<size_t> sizes = {0, 1, 3, 511, 512, 513, 4096, 65537, (1u << 20) + 5, 3u << 20, 1u << 20};
  for (int round = 0; round < 3; ++round) {
    std::vector<void*> blocks;
    for (size_t i = 0; i < sizes.size(); ++i) {
      void* p = cuda.allocate(sizes[i]);
      ASSERT_NE(p, nullptr);
      for (void* q : blocks) EXPECT_NE(p, q);
      blocks.push_back(p);
      const std::vector<uint8_t> pattern(sizes[i], static_cast<uint8_t>(i * 37 + round));
      cuda.copy_from_host(p, pattern.data(), pattern.size());
    }
    for (size_t i = 0; i < sizes.size(); ++i) {
      SCOPED_TRACE("block " + std::to_string(i));
      std::vector<uint8_t> back(sizes[i]);
      cuda.copy_to_host(back.data(), blocks[i], back.size());
      expect_same_elements(back, std::vector<uint8_t>(sizes[i], static_cast<uint8_t>(i * 37 + round)), 1);
    }
    for (void* p : blocks) cuda.release(p);
  }
}

// A block released while kernels that read it are still queued may go to the next tensor
// at once: the stream orders the reuse after them.
TEST_F(CudaAllocator, ReuseIsStreamOrdered) {
  const int64_t n = 1 << 20;
  std::vector<std::shared_ptr<TensorImpl>> sums;
  for (int i = 0; i < 8; ++i) {
    auto x = run_op(OpId::fill, {}, {{DType::Float32, {n}}}, {static_cast<double>(i)}, kCuda)[0];
    sums.push_back(run_op(OpId::add, {x, x}, {{DType::Float32, {n}}})[0]);
  }  // each x is released here, with its add possibly not yet run
  for (int i = 0; i < 8; ++i) {
    SCOPED_TRACE("iteration " + std::to_string(i));
    expect_same_elements(raw_bytes(*sums[i]), bytes_of(std::vector<float>(n, 2.0f * i)), sizeof(float));
  }
}

TEST_F(CudaAllocator, OutOfMemoryNamesTheBytesAndLeavesTheDeviceUsable) {
  Backend& cuda = backend_for(kCuda);
  const size_t too_much = size_t{1} << 44;  // 16 TiB: more than any GPU has
  try {
    cuda.release(cuda.allocate(too_much));
    FAIL() << "allocating 16 TiB succeeded";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("out of memory"), std::string::npos) << message;
    EXPECT_NE(message.find(std::to_string(too_much)), std::string::npos) << message;
    EXPECT_NE(message.find("free"), std::string::npos) << message;
  }
  const auto x = from_vector<int32_t>({1, 2, 3}, {3}, kCuda);
  EXPECT_EQ(to_vector<int32_t>(*x), (std::vector<int32_t>{1, 2, 3}));
}

}  // namespace
}  // namespace tessera::testing
