// The large block cache's policy (native/include/tessera/large_block_cache.h) at small
// sizes: exact-size reuse, the cap that grows with the peak lent, no block over the floor,
// and least recently used sizes dropped first.
#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "tessera/large_block_cache.h"

namespace {

using tessera::LargeBlockCache;

constexpr size_t kMin = 1024;
constexpr size_t kFloor = 10 * 1024;

// Lends `count` blocks of `bytes`, from the cache where it has them.
std::vector<void*> lend(LargeBlockCache& cache, size_t bytes, int count) {
  std::vector<void*> blocks;
  for (int i = 0; i < count; ++i) {
    void* block = cache.take(bytes);
    if (block == nullptr) {
      block = std::malloc(bytes);
      cache.lent_fresh(bytes);
    }
    blocks.push_back(block);
  }
  return blocks;
}

// Gives the blocks back; frees those the cache does not keep.
void give_back(LargeBlockCache& cache, const std::vector<void*>& blocks, size_t bytes) {
  for (void* block : blocks) {
    if (!cache.give(block, bytes)) std::free(block);
  }
}

TEST(LargeBlockCache, HandsBackBlocksOfTheExactSizeOnly) {
  LargeBlockCache cache(kMin, kFloor);
  std::vector<void*> a = lend(cache, 2048, 1);
  give_back(cache, a, 2048);
  EXPECT_EQ(cache.cached(), 2048u);
  EXPECT_EQ(cache.take(4096), nullptr);
  EXPECT_EQ(cache.take(512), nullptr);  // below the minimum: never cached
  void* again = cache.take(2048);
  EXPECT_EQ(again, a[0]);
  EXPECT_EQ(cache.cached(), 0u);
  give_back(cache, {again}, 2048);
  cache.clear();
  EXPECT_EQ(cache.cached(), 0u);
}

TEST(LargeBlockCache, CapIsTheFloorOrTwiceThePeakLent) {
  LargeBlockCache cache(kMin, kFloor);
  EXPECT_EQ(cache.capacity(), kFloor);
  // 8 blocks of 2 KiB out at once: 16 KiB lent, so up to 32 KiB may be cached.
  std::vector<void*> step = lend(cache, 2048, 8);
  EXPECT_EQ(cache.capacity(), 2 * 8 * 2048u);
  give_back(cache, step, 2048);
  EXPECT_EQ(cache.cached(), 8 * 2048u);  // all kept, though more than the 10 KiB floor
  // The next step takes all eight back from the cache.
  step = lend(cache, 2048, 8);
  EXPECT_EQ(cache.cached(), 0u);
  give_back(cache, step, 2048);
  cache.clear();
}

TEST(LargeBlockCache, KeepsNoBlockOverTheFloor) {
  LargeBlockCache cache(kMin, kFloor);
  std::vector<void*> big = lend(cache, 2 * kFloor, 1);
  EXPECT_FALSE(cache.give(big[0], 2 * kFloor));
  std::free(big[0]);
  EXPECT_EQ(cache.cached(), 0u);
  EXPECT_EQ(cache.capacity(), 4 * kFloor);  // it still counted as lent
}

TEST(LargeBlockCache, DropsTheLeastRecentlyUsedSizesFirst) {
  LargeBlockCache cache(kMin, kFloor);           // peak lent stays at 4 KiB: the cap is the 10 KiB floor
  give_back(cache, lend(cache, 2048, 2), 2048);  // an earlier model's sizes: 4 KiB cached
  give_back(cache, lend(cache, 1536, 2), 1536);  // 7 KiB
  give_back(cache, lend(cache, 1024, 2), 1024);  // 9 KiB
  // This model uses 1,536 again, then adds 2,560: over the cap by 1,536, so one of the
  // oldest size's blocks (2,048) goes, and none of the sizes used since.
  give_back(cache, lend(cache, 1536, 2), 1536);
  give_back(cache, lend(cache, 2560, 1), 2560);
  EXPECT_EQ(cache.cached(), 2048u + 2 * 1536u + 2 * 1024u + 2560u);
  std::vector<void*> kept = lend(cache, 1536, 2);
  std::vector<void*> kept_too = lend(cache, 1024, 2);
  EXPECT_EQ(cache.cached(), 2048u + 2560u);  // all four came from the cache
  give_back(cache, kept, 1536);
  give_back(cache, kept_too, 1024);
  cache.clear();
}

}  // namespace
