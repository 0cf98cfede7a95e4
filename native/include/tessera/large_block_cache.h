// Free lists of large host blocks, by exact size. Large blocks come from mmap in glibc,
// and every fresh one is page-faulted and zeroed by the kernel on first touch: for the
// activations of a training step (MBs each, the same sizes every step) that cost as much
// as the kernels writing them. Released blocks of at least `min_bytes` are kept by exact
// (page-rounded) size and handed out again.
//
// Bounds: no block over `floor_bytes` is kept (one huge tensor's memory goes back at
// once), and the cache holds at most the larger of `floor_bytes` and twice the most bytes
// of such blocks ever lent at once. A step whose working set exceeds a fixed cap (the CNN
// at batch 1,024: over 512 MB) takes back blocks of the same sizes every step, and a cap
// below it made every step fault most of them in afresh (3,000-25,000 page faults a
// step, 2x slower); the live peak alone is not enough, as a freed block serves only its
// own size. Over the cap the sizes least recently taken or given back go first: in no
// order, a model's step lost its own sizes while an earlier model's stayed (an LSTM after
// a large CNN faulted 16,000 pages a step in afresh).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tessera {

class LargeBlockCache {
 public:
  LargeBlockCache(size_t min_bytes, size_t floor_bytes) : min_bytes_(min_bytes), floor_bytes_(floor_bytes) {}

  // A cached block of exactly `bytes` (counted as lent), or nullptr: then the caller
  // allocates one with std::malloc or aligned_alloc and reports it to lent_fresh.
  void* take(size_t bytes) {
    if (bytes < min_bytes_) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = free_.find(bytes);
    if (it == free_.end() || it->second.blocks.empty()) return nullptr;
    it->second.last_use = ++uses_;
    void* block = it->second.blocks.back();
    it->second.blocks.pop_back();
    cached_ -= bytes;
    lend(bytes);
    return block;
  }

  // A fresh block of `bytes` went out (the cache had none of its size).
  void lent_fresh(size_t bytes) {
    if (bytes < min_bytes_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    lend(bytes);
  }

  // Keeps a block that was lent for reuse; false when it is not kept (the caller frees it).
  bool give(void* block, size_t bytes) {
    if (bytes < min_bytes_) return false;
    std::lock_guard<std::mutex> lock(mutex_);
    lent_ -= bytes;
    if (bytes > floor_bytes_) return false;
    const size_t cap = limit();
    if (cached_ + bytes > cap) trim(cap - bytes, bytes);
    if (cached_ + bytes > cap) return false;
    Blocks& list = free_[bytes];
    list.blocks.push_back(block);
    list.last_use = ++uses_;
    cached_ += bytes;
    return true;
  }

  // Bytes held for reuse (not counted as live by memory_stats).
  size_t cached() {
    std::lock_guard<std::mutex> lock(mutex_);
    return cached_;
  }

  // The most bytes the cache may hold now.
  size_t capacity() {
    std::lock_guard<std::mutex> lock(mutex_);
    return limit();
  }

  // Frees every cached block (after a failed allocation).
  void clear() {
    std::lock_guard<std::mutex> lock(mutex_);
    trim(0, 0);
  }

 private:
  struct Blocks {
    std::vector<void*> blocks;
    uint64_t last_use = 0;
  };

  size_t limit() const { return std::max(floor_bytes_, 2 * peak_lent_); }

  void lend(size_t bytes) {
    lent_ += bytes;
    peak_lent_ = std::max(peak_lent_, lent_);
  }

  // Frees cached blocks until at most `limit` bytes stay, sparing blocks of size `keep`,
  // the least recently used sizes first. Runs only when the cache is full.
  void trim(size_t limit, size_t keep) {
    std::vector<std::pair<uint64_t, size_t>> by_age;  // (last use, size)
    for (const auto& [bytes, list] : free_) {
      if (bytes != keep && !list.blocks.empty()) by_age.emplace_back(list.last_use, bytes);
    }
    std::sort(by_age.begin(), by_age.end());
    for (const auto& [last_use, bytes] : by_age) {
      auto it = free_.find(bytes);
      while (!it->second.blocks.empty() && cached_ > limit) {
        std::free(it->second.blocks.back());
        it->second.blocks.pop_back();
        cached_ -= bytes;
      }
      if (it->second.blocks.empty()) free_.erase(it);
      if (cached_ <= limit) break;
    }
  }

  const size_t min_bytes_;
  const size_t floor_bytes_;
  std::mutex mutex_;
  std::unordered_map<size_t, Blocks> free_;
  size_t cached_ = 0;
  size_t lent_ = 0;       // blocks of min_bytes_ or more now out
  size_t peak_lent_ = 0;  // the most of them out at once
  uint64_t uses_ = 0;
};

}  // namespace tessera
