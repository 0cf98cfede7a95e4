// The CPU allocator: alignment, reuse of large and small blocks, the small-block cache's
// bounds, and memory() counting live tensors only (blocks kept for reuse are not live bytes).
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "kernel_reference.h"
#include "tessera/device.h"
#include "tessera/small_block_cache.h"
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

TEST(CpuAllocator, ReusesSmallBlocksOfTheSameClass) {
  Backend& cpu = backend_for(Device{});
  void* first = cpu.allocate(4);  // a 1x1 float32 output
  cpu.release(first);
  void* second = cpu.allocate(60);  // the same 64-byte class
  EXPECT_EQ(second, first);
  void* other = cpu.allocate(4);
  EXPECT_NE(other, second);
  std::memset(second, 0xab, 60);
  cpu.release(second);
  cpu.release(other);
}

TEST(SmallBlockCache, KeepsAtMostKPerClassBlocksOfCacheableSizes) {
  SmallBlockCache cache;
  const size_t bytes = 128;
  std::vector<void*> blocks;
  for (size_t i = 0; i <= SmallBlockCache::kPerClass; ++i) blocks.push_back(std::malloc(bytes));
  for (size_t i = 0; i < SmallBlockCache::kPerClass; ++i) EXPECT_TRUE(cache.give(blocks[i], bytes));
  EXPECT_FALSE(cache.give(blocks.back(), bytes));  // the class is full: the caller frees it
  std::free(blocks.back());
  EXPECT_EQ(cache.cached_blocks(), SmallBlockCache::kPerClass);
  EXPECT_EQ(cache.take(bytes), blocks[SmallBlockCache::kPerClass - 1]);  // last in, first out
  EXPECT_EQ(cache.take(bytes + SmallBlockCache::kStep), nullptr);        // another class is empty
  std::free(blocks[SmallBlockCache::kPerClass - 1]);
  cache.clear();
  EXPECT_EQ(cache.cached_blocks(), 0u);
  EXPECT_EQ(cache.take(bytes), nullptr);
}

TEST(SmallBlockCache, RefusesSizesOutsideItsClasses) {
  SmallBlockCache cache;
  void* block = std::malloc(4096);
  EXPECT_FALSE(cache.give(block, 0));
  EXPECT_FALSE(cache.give(block, 100));  // not a multiple of the class width
  EXPECT_FALSE(cache.give(block, SmallBlockCache::kMaxBytes + SmallBlockCache::kStep));
  EXPECT_EQ(cache.take(SmallBlockCache::kMaxBytes + SmallBlockCache::kStep), nullptr);
  EXPECT_EQ(cache.cached_blocks(), 0u);
  std::free(block);
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

TEST(CpuAllocator, MemoryStatsDoNotCountCachedSmallBlocks) {
  const DeviceMemoryStats before = memory_stats(Device{});
  {
    auto t = make_tensor(Device{}, DType::Float32, {2, 3});
    EXPECT_EQ(memory_stats(Device{}).bytes - before.bytes, 24);
  }
  auto again = make_tensor(Device{}, DType::Float32, {2, 3});  // likely the cached block
  EXPECT_EQ(memory_stats(Device{}).bytes - before.bytes, 24);
  EXPECT_EQ(memory_stats(Device{}).buffers - before.buffers, 1);
}

}  // namespace
}  // namespace tessera::testing
