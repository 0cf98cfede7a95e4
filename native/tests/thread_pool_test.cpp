// The thread pool: coverage, exceptions, nesting and resizing.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kernel_reference.h"

namespace tessera::testing {
namespace {

// Runs parallel_for over [begin, end) and expects every index claimed exactly once, by
// chunks of at least `grain` (but the last), inside the range.
void expect_exact_cover(int64_t begin, int64_t end, int64_t grain) {
  SCOPED_TRACE(::testing::Message() << "[" << begin << ", " << end << ") grain " << grain << " on " << num_threads()
                                    << " threads");
  const int64_t n = std::max<int64_t>(0, end - begin);
  std::unique_ptr<std::atomic<int>[]> hits(new std::atomic<int>[n]);
  for (int64_t i = 0; i < n; ++i) hits[i] = 0;
  std::atomic<int64_t> short_chunks{0}, out_of_range{0};
  parallel_for(begin, end, grain, [&](int64_t lo, int64_t hi) {
    if (lo < begin || hi > end || lo >= hi) ++out_of_range;
    if (hi - lo < grain && hi != end) ++short_chunks;
    for (int64_t i = std::max(lo, begin); i < std::min(hi, end); ++i) ++hits[i - begin];
  });
  EXPECT_EQ(out_of_range.load(), 0);
  EXPECT_EQ(short_chunks.load(), 0);
  for (int64_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << "index " << begin + i;
}

TEST(ThreadPool, ParallelForCoversTheRangeExactlyOnce) {
  for (int threads : {1, 2, 3, 8}) {
    ScopedThreads scoped(threads);
    for (int64_t n : {0, 1, 7, 17, 129, 100003})
      for (int64_t grain : {1, 7, 64, 1 << 20}) expect_exact_cover(5, 5 + n, grain);
    expect_exact_cover(10, 3, 1);  // an empty range calls nothing
  }
}

TEST(ThreadPool, ExceptionInATaskReachesTheCaller) {
  ScopedThreads scoped(4);
  for (int round = 0; round < 20; ++round) {
    const int64_t bad = round * 37 % 1000;
    EXPECT_THROW(parallel_for(0, 1000, 1,
                              [&](int64_t lo, int64_t hi) {
                                if (lo <= bad && bad < hi) throw std::runtime_error("task failed");
                              }),
                 std::runtime_error);
  }
  // The pool still works afterwards.
  expect_exact_cover(0, 5000, 3);
}

TEST(ThreadPool, TesseraErrorKeepsItsType) {
  ScopedThreads scoped(2);
  EXPECT_THROW(parallel_for(0, 100, 1, [](int64_t, int64_t) { throw Error("kernel: bad input"); }), Error);
}

TEST(ThreadPool, NestedParallelForRunsSeriallyWithoutDeadlock) {
  ScopedThreads scoped(4);
  std::atomic<int64_t> total{0};
  std::atomic<int> nested_calls{0}, nested_splits{0};
  parallel_for(0, 64, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) {
      const std::thread::id outer = std::this_thread::get_id();
      int chunks = 0;
      parallel_for(0, 1000, 1, [&](int64_t a, int64_t b) {
        ++chunks;
        if (std::this_thread::get_id() != outer) ++nested_splits;
        total += b - a;
      });
      ++nested_calls;
      if (chunks != 1) ++nested_splits;
    }
  });
  EXPECT_EQ(nested_calls.load(), 64);
  EXPECT_EQ(total.load(), 64 * 1000);
  EXPECT_EQ(nested_splits.load(), 0);
}

TEST(ThreadPool, UsesSeveralThreadsForLargeRanges) {
  ScopedThreads scoped(2);
  std::mutex m;
  std::vector<std::thread::id> seen;
  std::atomic<bool> go{false};
  parallel_for(0, 64, 1, [&](int64_t, int64_t) {
    {
      std::lock_guard<std::mutex> lock(m);
      if (std::find(seen.begin(), seen.end(), std::this_thread::get_id()) == seen.end())
        seen.push_back(std::this_thread::get_id());
      if (seen.size() == 2) go = true;
    }
    // Wait a little for the other thread so that one thread cannot take every chunk.
    for (int spin = 0; spin < 2000 && !go; ++spin) std::this_thread::sleep_for(std::chrono::microseconds(50));
  });
  EXPECT_EQ(seen.size(), 2u);
}

TEST(ThreadPool, SetNumThreadsChangesNumThreads) {
  const int saved = num_threads();
  for (int n : {1, 2, 5, 3}) {
    set_num_threads(n);
    EXPECT_EQ(num_threads(), n);
  }
  set_num_threads(0);  // clamped to one
  EXPECT_EQ(num_threads(), 1);
  set_num_threads(saved);
  EXPECT_EQ(num_threads(), saved);
}

TEST(ThreadPool, BackToBackJobsOnMoreThreadsThanCores) {
  // Workers that wake late (descheduled) must never claim a chunk of a finished job or of
  // the next one; the caller finishes a job without them.
  ScopedThreads scoped(8);
  for (int round = 0; round < 2000; ++round) {
    expect_exact_cover(0, 64 + round % 7, 1);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(ThreadPool, CallerTakesChunksFromTheFrontWorkersFromTheBack) {
  // So that each thread gets the same end of every job (the data it wrote in the last
  // one): whoever arrives when, the caller's chunks are a prefix of the range and the
  // workers' the rest. Chunks sleep a little, so that workers do take some.
  for (int threads : {2, 3}) {
    ScopedThreads scoped(threads);
    int jobs_with_workers = 0;
    for (int round = 0; round < 20; ++round) {
      SCOPED_TRACE("threads=" + std::to_string(threads) + " round=" + std::to_string(round));
      const std::thread::id caller = std::this_thread::get_id();
      constexpr int64_t n = 64;
      std::vector<int> by_caller(n, -1);
      parallel_for(0, n, 1, [&](int64_t lo, int64_t hi) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
        for (int64_t i = lo; i < hi; ++i) by_caller[i] = std::this_thread::get_id() == caller ? 1 : 0;
      });
      const auto first_worker = std::find(by_caller.begin(), by_caller.end(), 0);
      ASSERT_TRUE(std::all_of(by_caller.begin(), first_worker, [](int c) { return c == 1; }));
      ASSERT_TRUE(std::all_of(first_worker, by_caller.end(), [](int c) { return c == 0; }))
          << "the caller ran a chunk after one a worker ran";
      if (first_worker != by_caller.end()) ++jobs_with_workers;
    }
    EXPECT_GT(jobs_with_workers, 0) << "no worker ever took a chunk";
  }
}

TEST(ThreadPool, ParallelPartsRunsEachPartOnceThePartZeroOnTheCaller) {
  for (int threads : {1, 2, 3, 8}) {
    ScopedThreads scoped(threads);
    for (int64_t work : {int64_t(0), int64_t(100), int64_t(2 * 16384 - 1), int64_t(2 * 16384), int64_t(235146)}) {
      SCOPED_TRACE("threads=" + std::to_string(threads) + " work=" + std::to_string(work));
      // As many parts as threads, fewer when a part would hold under one grain (at least 1).
      const int want = static_cast<int>(std::clamp<int64_t>(work / 16384, 1, threads));
      const std::thread::id caller = std::this_thread::get_id();
      std::vector<std::atomic<int>> calls(16);
      std::atomic<int> wrong_count{0}, part0_elsewhere{0};
      parallel_parts(work, 16384, [&](int part, int parts) {
        if (parts != want || part < 0 || part >= parts) ++wrong_count;
        else ++calls[part];
        if (part == 0 && std::this_thread::get_id() != caller) ++part0_elsewhere;
      });
      EXPECT_EQ(wrong_count.load(), 0);
      EXPECT_EQ(part0_elsewhere.load(), 0) << "part 0 must run on the caller";
      for (int p = 0; p < 16; ++p) EXPECT_EQ(calls[p].load(), p < want ? 1 : 0) << "part " << p;
    }
  }
}

TEST(ThreadPool, ParallelPartsInsideAPoolTaskIsOnePart) {
  ScopedThreads scoped(2);
  std::atomic<int> nested_parts{0}, tasks{0};
  parallel_for(0, 2, 1, [&](int64_t lo, int64_t hi) {
    for (int64_t i = lo; i < hi; ++i) {
      ++tasks;
      parallel_parts(1 << 20, 1, [&](int part, int parts) { nested_parts += part == 0 && parts == 1; });
    }
  });
  EXPECT_EQ(nested_parts.load(), tasks.load());
}

TEST(ThreadPool, ResizingBetweenJobsLosesNoWork) {
  // Workers started by a resize must wait for the next job, not join the one before it.
  ScopedThreads restore(num_threads());
  for (int round = 0; round < 200; ++round) {
    set_num_threads(2 + round % 3);
    expect_exact_cover(0, 4096, 16);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

}  // namespace
}  // namespace tessera::testing
