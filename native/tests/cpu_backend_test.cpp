// The CPU allocator: alignment, reuse of large blocks, and memory() counting live tensors
// only (blocks kept for reuse are not live bytes).
#include <cstdint>
#include <cstring>

#include "kernel_reference.h"
#include "tessera/device.h"
#include "tessera/tensor.h"

namespace tessera::testing {
namespace {

TEST(CpuAllocator, BlocksAreAlignedAndWritable) {
  Backend& cpu = backend_for(Device{});
  for (size_t bytes : {size_t{0}, size_t{1}, size_t{63}, size_t{4097}, size_t{1} << 16, (size_t{1} << 20) + 3}) {
    void* p = cpu.allocate(bytes);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u) << bytes << " bytes";
    std::memset(p, 0xab, bytes);
    cpu.release(p);
  }
}

TEST(CpuAllocator, ReusesLargeBlocksOfTheSameSize) {
  Backend& cpu = backend_for(Device{});
  const size_t bytes = size_t{3} << 20;
  void* first = cpu.allocate(bytes);
  cpu.release(first);
  void* second = cpu.allocate(bytes);
  EXPECT_EQ(second, first);
  void* other = cpu.allocate(bytes);  // the cached block is taken: a new one
  EXPECT_NE(other, second);
  cpu.release(second);
  cpu.release(other);
}

TEST(CpuAllocator, MemoryStatsCountLiveTensorsOnly) {
  const DeviceMemoryStats before = memory_stats(Device{});
  {
    auto t = make_tensor(Device{}, DType::Float32, {1024, 1024});
    const DeviceMemoryStats during = memory_stats(Device{});
    EXPECT_EQ(during.bytes - before.bytes, 4 << 20);
    EXPECT_EQ(during.buffers - before.buffers, 1);
  }
  const DeviceMemoryStats after = memory_stats(Device{});
  EXPECT_EQ(after.bytes, before.bytes);
  EXPECT_EQ(after.buffers, before.buffers);
}

}  // namespace
}  // namespace tessera::testing
