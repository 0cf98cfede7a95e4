// Tessera's MPI shim: a small N-API module built with mpicxx against one MPI ABI (Open
// MPI or MPICH; scripts/build-mpi.mjs builds one per ABI) and loaded only by
// ts.distribute.init(), so the main addon never links MPI.
//
// Every MPI call runs on one background thread that owns MPI (Horovod's design): JS
// enqueues collective requests and gets either a Promise (resolved on the event loop
// through a thread-safe function) or, for training steps that must stay synchronous,
// blocks on a condition variable. Small and very large all-reduces and the other
// collectives are nonblocking MPI calls polled against a deadline (a dead or stuck rank
// ends with a catchable error); mid-size all-reduces are blocking MPI_Allreduce calls,
// faster there, watched by a deadline thread that ends the job when one overruns
// (blocking_collective.h).
#include <mpi.h>
#include <node_api.h>

#include <dlfcn.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "blocking_collective.h"
#include "cuda_driver.h"
#include "nccl_loader.h"
#include "tessera/host_buffer.h"
#include "timeline.h"

namespace {

enum class Kind { kAllReduce, kBroadcast, kAllGatherV, kBarrier, kFinalize, kShareUniqueId };

struct Request {
  Kind kind;
  void* data = nullptr;  // in place (allReduce, broadcast) or the input (allGatherV)
  void* out = nullptr;   // allGatherV's output
  int count = 0;
  std::vector<int> counts;  // allGatherV: elements per rank
  MPI_Datatype type = MPI_BYTE;
  MPI_Op op = MPI_SUM;
  int divide_by = 1;  // allReduce 'mean': the sum divided by the world size on this thread
  int elem_bytes = 1;
  int device = -1;  // -1: host memory (MPI); k: CUDA device k's memory (NCCL, nccl_collectives.h)
  // A checked allReduce: the caller's dtype-and-shape header (kHeaderInts int32, as
  // (h, -h)), reduced under MAX in the same message as the first payload bytes.
  int32_t* header = nullptr;
  int root = 0;
  double timeout_s = 0;
  const char* name = "";
  // Completion.
  bool done = false;
  std::string error;
  // Sync waiters.
  std::mutex mu;
  std::condition_variable cv;
  // Async: the promise and the JS buffers kept alive until completion.
  napi_deferred deferred = nullptr;
  std::vector<napi_ref> keep;
  // TESSERA_DIST_TRACE=1 (timeline.h); written by whichever thread runs or awaits it.
  mutable tessera_mpi::Timeline tl;
};

struct World {
  std::thread thread;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::shared_ptr<Request>> queue;
  bool started = false, ready = false, finalized = false;
  bool busy = false;  // the background thread is running a request (under mu)
  // Set by abort() and at environment teardown: the background thread makes no further MPI
  // call (a request in flight fails at its next poll) and leaves its loop. MPI is
  // initialized MPI_THREAD_SERIALIZED, so the JS thread may call MPI_Abort only once the
  // background thread is out of MPI; and at exit the process must not tear down (MPI's and
  // the C++ runtime's exit handlers) under a thread still polling.
  std::atomic<bool> stopping{false};
  bool stopped = false;  // the background thread left its loop (under mu)
  // A collective failed (timeout, MPI error, shutdown) with its MPI request still active:
  // MPI may still write the buffers its caller is about to free, so this process makes no
  // MPI call after it but MPI_Abort. Any thread sets it; Submit reads it on the JS thread.
  std::atomic<bool> broken{false};
  // The JS thread is blocked on a request (waiting for it, or running it itself): it has
  // nothing to compute, so polling may take the core rather than sleep between tests.
  std::atomic<int> waiters{0};
  // Wakes a poller pausing between tests when a waiter arrives (pause_poll).
  std::mutex hurry_mu;
  std::condition_variable hurry_cv;
  std::string init_error;
  int rank = 0, size = 1, local_rank = 0, local_size = 1, thread_level = 0;
  std::string library;
  napi_threadsafe_function tsfn = nullptr;
  int pending_async = 0;                            // JS thread only
  std::map<int, std::shared_ptr<Request>> tickets;  // JS thread only
  int next_ticket = 1;
  MPI_Comm local = MPI_COMM_NULL;
};

// Never destroyed: the background thread may still use it while the process exits.
World& g = *new World;

std::string mpi_error(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int len = 0;
  MPI_Error_string(code, text, &len);
  return std::string(text, len);
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::kAllReduce: return "allReduce";
    case Kind::kBroadcast: return "broadcast";
    case Kind::kAllGatherV: return "allGather";
    case Kind::kBarrier: return "barrier";
    case Kind::kFinalize: return "finalize";
    case Kind::kShareUniqueId: return "shareUniqueId";
  }
  return "?";
}

// Marks the world broken (World::broken) and passes the reason on.
std::string abandoned(std::string why) {
  g.broken.store(true, std::memory_order_release);
  return why;
}

// Pauses between polls are tens of microseconds: the default timer slack (50 us) would
// stretch each one to 55+ us. Set once per polling thread (this one, or the JS thread
// running a blocking collective itself).
void precise_sleeps() {
  thread_local bool done = false;
  if (!done) prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);  // 1 us
  done = true;
}

// The JS thread now blocks until a request queued for the background thread is done: it
// has nothing to compute, so the poller stops pausing long between tests.
void start_waiting() {
  {
    std::lock_guard<std::mutex> lock(g.hurry_mu);
    g.waiters++;
  }
  g.hurry_cv.notify_all();
}

// Sleeps up to `d` between two polls, waking early when the JS thread starts waiting for
// a result (World::waiters rises: start_waiting()).
void pause_poll(std::chrono::microseconds d) {
  std::unique_lock<std::mutex> lock(g.hurry_mu);
  g.hurry_cv.wait_for(lock, d, [] { return g.waiters.load() > 0 || g.stopping.load(); });
}

// Polls a nonblocking collective until it completes or its deadline passes. Open MPI and
// MPICH progress a collective only inside MPI calls (bench/native/iallreduce_progress.c):
// each round of the ring waits for a test on every rank, so a pause between tests is a
// pause in the transfer, while the polling thread's CPU is taken from the ranks' compute
// (two ranks on two cores share them with their pollers). So:
// - while the JS thread computes (backward runs while buckets are in flight), sleep
//   between tests, doubling the pause up to 1 ms, and wake as soon as it starts waiting;
// - from the moment it waits (it has nothing to compute), test back to back for 2 ms,
//   yielding between tests (on oversubscribed cores the peer rank may need this core),
//   as a blocking MPI_Allreduce would spin: the timeline (TESSERA_DIST_TRACE) showed a
//   0.9 MB bucket awaited for 450-550 us of which the ranks' skew explained 100-200, the
//   rest being rounds that waited for the 10-100 us pauses that began 300 us after the
//   request started (so a bucket started during backward got no tight polling at all);
// - past 2 ms (a peer far behind) sleep again, up to 100 us between tests, 500 us after
//   20 ms: the peer gets the core and a pause adds at most a few percent.
std::string wait_for(MPI_Request* req, const Request& r) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const bool bounded = r.timeout_s > 0;
  const auto deadline = start + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(r.timeout_s));
  std::chrono::microseconds pause(5);
  clock::time_point awaited_since{};  // when the JS thread began to wait (epoch: not yet)
  if (tessera_mpi::tracing() && r.tl.started == 0) r.tl.started = tessera_mpi::trace_now();
  for (;;) {
    int flag = 0;
    if (g.stopping.load(std::memory_order_acquire))
      return abandoned("MPI is shutting down (this process is aborting or exiting)");
    const int rc = MPI_Test(req, &flag, MPI_STATUS_IGNORE);
    r.tl.tests++;
    if (rc != MPI_SUCCESS) return abandoned(mpi_error(rc));
    if (flag) {
      if (tessera_mpi::tracing()) r.tl.completed = tessera_mpi::trace_now();
      return "";
    }
    const auto now = clock::now();
    if (bounded && now > deadline) {
      char msg[256];
      std::snprintf(
          msg, sizeof msg,
          "timed out after %.1f s on rank %d of %d: another rank died, is stuck, or is running a different collective",
          r.timeout_s, g.rank, g.size);
      return abandoned(msg);
    }
    const bool awaited = g.waiters.load(std::memory_order_relaxed) > 0;
    if (!awaited) {
      awaited_since = clock::time_point{};
    } else if (awaited_since == clock::time_point{}) {
      awaited_since = now;
      pause = std::chrono::microseconds(5);
    }
    const auto waited = now - awaited_since;
    if (awaited && waited <= std::chrono::milliseconds(2)) {
      // A sleep's wake-up would add its latency to every round; the first 50 us not even
      // a yield (a system call per test, most of a small all-reduce's time).
      if (waited > std::chrono::microseconds(50)) std::this_thread::yield();
      continue;
    }
    const auto cap = !awaited ? 1000 : waited > std::chrono::milliseconds(20) ? 500 : 100;
    pause = std::min(pause * 2, std::chrono::microseconds(cap));
    precise_sleeps();
    pause_poll(pause);
  }
}

template <typename T>
void divide(void* data, int count, int n) {
  T* p = static_cast<T*>(data);
  if constexpr (std::is_floating_point_v<T>) {
    // By a power of two (2, 4, 8... ranks) a product by the reciprocal is exact, the same
    // bits as the quotient, and several times faster (a scalar division was 280 us per MB).
    if ((n & (n - 1)) == 0) {
      const T scale = T(1) / static_cast<T>(n);
      for (int i = 0; i < count; i++) p[i] *= scale;
      return;
    }
  }
  for (int i = 0; i < count; i++) p[i] /= n;  // integers: toward zero, as C++ divides
}

// The mean of an allReduce: the sum divided in place, off the JS thread.
void divide_result(const Request& r) {
  void* out = r.out != nullptr ? r.out : r.data;
  if (r.type == MPI_FLOAT) divide<float>(out, r.count, r.divide_by);
  if (r.type == MPI_DOUBLE) divide<double>(out, r.count, r.divide_by);
  if (r.type == MPI_INT32_T) divide<int32_t>(out, r.count, r.divide_by);
}

// ---- A checked allReduce in one message ----
// The public allReduce checks that every rank passes the same dtype and shape before
// reducing (a mismatch would mix unrelated data). Rather than a second all-reduce for the
// check (which doubled a small all-reduce's latency), the header rides in the same
// message as the first kFusedPayloadBytes of the data: one fixed-size element of a
// contiguous type, reduced by a user op (header under MAX, payload under the request's
// op). Every rank sends that same fixed-size message whatever its tensor, so ranks that
// disagree still match; they find out from the header and send nothing more. Data past
// the first kFusedPayloadBytes follows in a second all-reduce, straight from the tensor.
constexpr int kHeaderInts = 20;  // src/distribute/collectives.ts: 2 x (dtype, rank, 8 dims)
constexpr size_t kHeaderBytes = kHeaderInts * 4;
// The whole message stays under Open MPI's shared-memory eager limit (btl_vader_eager_limit,
// 4096 bytes with the PML's own header): at 4176 bytes every checked all-reduce, 1 KB
// ones included, went by the single-copy rendezvous (a process_vm_readv system call per
// transfer, about 12% of a 1 KB allReduceSync loop's samples). A multiple of 8 bytes.
constexpr size_t kFusedBytes = 4096 - 64;
constexpr size_t kFusedPayloadBytes = kFusedBytes - kHeaderBytes;

struct Fused {
  MPI_Datatype type = MPI_DATATYPE_NULL;  // kFusedBytes contiguous bytes
  MPI_Op op = MPI_OP_NULL;                // fused_reduce
  // The payload of the collective in flight (one at a time: run() is serialized).
  MPI_Datatype payload_type = MPI_FLOAT;
  MPI_Op payload_op = MPI_SUM;
  int payload_count = 0;
  alignas(16) char stage[kFusedBytes];  // the message; static, so MPI may never write freed memory
};
Fused& fused = *new Fused;

template <typename T>
void reduce_into(const void* in, void* inout, int n, MPI_Op op) {
  const T* a = static_cast<const T*>(in);
  T* b = static_cast<T*>(inout);
  if (op == MPI_SUM)
    for (int i = 0; i < n; i++) b[i] += a[i];
  else if (op == MPI_MAX)
    for (int i = 0; i < n; i++) b[i] = a[i] > b[i] ? a[i] : b[i];
  else
    for (int i = 0; i < n; i++) b[i] = a[i] < b[i] ? a[i] : b[i];
}

void fused_reduce(void* in, void* inout, int* len, MPI_Datatype*) {
  for (int e = 0; e < *len; e++) {
    char* a = static_cast<char*>(in) + e * kFusedBytes;
    char* b = static_cast<char*>(inout) + e * kFusedBytes;
    reduce_into<int32_t>(a, b, kHeaderInts, MPI_MAX);
    a += kHeaderBytes;
    b += kHeaderBytes;
    const int n = fused.payload_count;
    const MPI_Datatype t = fused.payload_type;
    if (t == MPI_FLOAT) reduce_into<float>(a, b, n, fused.payload_op);
    else if (t == MPI_DOUBLE) reduce_into<double>(a, b, n, fused.payload_op);
    else if (t == MPI_INT32_T) reduce_into<int32_t>(a, b, n, fused.payload_op);
    else reduce_into<uint8_t>(a, b, n, fused.payload_op);
  }
}

std::string create_fused_type() {
  int rc = MPI_Type_contiguous(static_cast<int>(kFusedBytes), MPI_BYTE, &fused.type);
  if (rc == MPI_SUCCESS) rc = MPI_Type_commit(&fused.type);
  if (rc == MPI_SUCCESS) rc = MPI_Op_create(fused_reduce, 1, &fused.op);
  return rc == MPI_SUCCESS ? "" : "creating the checked all-reduce's type: " + mpi_error(rc);
}

bool header_agrees(const int32_t* h) {
  for (int i = 0; i < kHeaderInts / 2; i++)
    if (h[i] != -h[kHeaderInts / 2 + i]) return false;
  return true;
}

// Reduces `count` elements of r's type from `in` (MPI_IN_PLACE: `out` itself) into `out`,
// blocking or polled by size (blocking_collective.h); the same choice on every rank, since
// every rank passes the same count.
std::string all_reduce(const Request& r, const void* in, void* out, int count) {
  if (tessera_mpi::use_blocking(static_cast<size_t>(count) * r.elem_bytes)) {
    if (g.stopping.load(std::memory_order_acquire))
      return abandoned("MPI is shutting down (this process is aborting or exiting)");
    r.tl.blocking = true;
    if (tessera_mpi::tracing() && r.tl.started == 0) r.tl.started = tessera_mpi::trace_now();
    const int rc = tessera_mpi::blocking(r.name, r.timeout_s, g.rank, g.size,
                                         [&] { return MPI_Allreduce(in, out, count, r.type, r.op, MPI_COMM_WORLD); });
    if (tessera_mpi::tracing()) r.tl.completed = tessera_mpi::trace_now();
    return rc == MPI_SUCCESS ? "" : abandoned(mpi_error(rc));
  }
  MPI_Request req = MPI_REQUEST_NULL;
  const int rc = MPI_Iallreduce(in, out, count, r.type, r.op, MPI_COMM_WORLD, &req);
  if (rc != MPI_SUCCESS) return mpi_error(rc);
  return wait_for(&req, r);
}

// On disagreement, returns "" with the reduced header written back and the data untouched:
// the caller reads the header and throws its own message (every rank does the same).
std::string wait_for(MPI_Request* req, const Request& r);
std::string run_checked_all_reduce(Request& r) {
  char* in = static_cast<char*>(r.data);
  char* out = static_cast<char*>(r.out != nullptr ? r.out : r.data);
  const int head = std::min<int>(r.count, static_cast<int>(kFusedPayloadBytes / r.elem_bytes));
  const size_t head_bytes = static_cast<size_t>(head) * r.elem_bytes;
  std::memcpy(fused.stage, r.header, kHeaderBytes);
  std::memset(fused.stage + kHeaderBytes + head_bytes, 0, kFusedPayloadBytes - head_bytes);
  if (head_bytes > 0) std::memcpy(fused.stage + kHeaderBytes, in, head_bytes);
  fused.payload_type = r.type;
  fused.payload_op = r.op;
  fused.payload_count = head;
  MPI_Request req = MPI_REQUEST_NULL;
  int rc = MPI_Iallreduce(MPI_IN_PLACE, fused.stage, 1, fused.type, fused.op, MPI_COMM_WORLD, &req);
  if (rc != MPI_SUCCESS) return mpi_error(rc);
  std::string err = wait_for(&req, r);
  if (!err.empty()) return err;
  std::memcpy(r.header, fused.stage, kHeaderBytes);
  if (!header_agrees(r.header)) return "";
  if (head_bytes > 0) std::memcpy(out, fused.stage + kHeaderBytes, head_bytes);
  if (r.count > head)
    err = all_reduce(r, r.out != nullptr ? in + head_bytes : MPI_IN_PLACE, out + head_bytes, r.count - head);
  return err;
}

#include "nccl_collectives.h"  // NOLINT(build/include): part of this file, using the above

constexpr const char* kBrokenMessage =
    "an earlier collective of this process failed and may still be using its buffers, so MPI cannot be used again "
    "here; end the process (an uncaught error aborts every rank)";

std::string run(Request& r) {
  // Requests queued before the failure are not started either.
  if (g.broken.load(std::memory_order_acquire)) return kBrokenMessage;
  if (r.device >= 0) return run_nccl(r);
  MPI_Request req = MPI_REQUEST_NULL;
  int rc = MPI_SUCCESS;
  switch (r.kind) {
    case Kind::kAllReduce: {
      if (r.header != nullptr) {
        std::string err = run_checked_all_reduce(r);
        if (err.empty() && r.divide_by > 1 && header_agrees(r.header)) divide_result(r);
        return err;
      }
      if (r.count == 0) return "";
      // With `out`: reduced from the input into `out` (the input stays as it was).
      std::string err =
          all_reduce(r, r.out != nullptr ? r.data : MPI_IN_PLACE, r.out != nullptr ? r.out : r.data, r.count);
      if (err.empty() && r.divide_by > 1) divide_result(r);
      return err;
    }
    case Kind::kBroadcast:
      if (r.count == 0) return "";
      rc = MPI_Ibcast(r.data, r.count, r.type, r.root, MPI_COMM_WORLD, &req);
      break;
    case Kind::kAllGatherV: {
      std::vector<int> displs(r.counts.size());
      for (size_t i = 1; i < displs.size(); i++) displs[i] = displs[i - 1] + r.counts[i - 1];
      rc =
          MPI_Iallgatherv(r.data, r.count, r.type, r.out, r.counts.data(), displs.data(), r.type, MPI_COMM_WORLD, &req);
      if (rc == MPI_SUCCESS) return wait_for(&req, r);  // displs must outlive the request
      break;
    }
    case Kind::kBarrier: rc = MPI_Ibarrier(MPI_COMM_WORLD, &req); break;
    case Kind::kShareUniqueId: return run_share_unique_id(r);
    case Kind::kFinalize:
      tessera_mpi::dump_timeline(g.rank);
      nccl_shutdown();
      if (g.local != MPI_COMM_NULL) MPI_Comm_free(&g.local);
      rc = MPI_Finalize();
      return rc == MPI_SUCCESS ? "" : mpi_error(rc);
  }
  if (rc != MPI_SUCCESS) return mpi_error(rc);
  return wait_for(&req, r);
}

void loop() {
  pthread_setname_np(pthread_self(), "tessera-mpi");  // its CPU time shows in top -H, /proc
  int provided = 0;
  // SERIALIZED: the JS thread may run a blocking collective itself when the background
  // thread is idle (one thread at a time, ordered by mu), saving two thread hand-offs.
  int rc = MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
  {
    std::lock_guard<std::mutex> lock(g.mu);
    if (rc != MPI_SUCCESS) {
      g.init_error = "MPI_Init_thread failed: " + mpi_error(rc);
    } else {
      MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
      MPI_Comm_rank(MPI_COMM_WORLD, &g.rank);
      MPI_Comm_size(MPI_COMM_WORLD, &g.size);
      MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, g.rank, MPI_INFO_NULL, &g.local);
      MPI_Comm_rank(g.local, &g.local_rank);
      MPI_Comm_size(g.local, &g.local_size);
      g.thread_level = provided;
      char version[MPI_MAX_LIBRARY_VERSION_STRING];
      int len = 0;
      MPI_Get_library_version(version, &len);
      g.library.assign(version, len);
      while (!g.library.empty() && (g.library.back() == '\n' || g.library.back() == ' ')) g.library.pop_back();
      g.init_error = tessera_mpi::configure_blocking();
      if (g.init_error.empty()) g.init_error = create_fused_type();
    }
    g.ready = true;
  }
  g.cv.notify_all();
  if (rc != MPI_SUCCESS) return;
  for (;;) {
    std::shared_ptr<Request> r;
    {
      std::unique_lock<std::mutex> lock(g.mu);
      g.cv.wait(lock, [] { return g.stopping.load() || (!g.queue.empty() && !g.busy); });
      if (g.stopping.load()) {
        g.stopped = true;
        g.cv.notify_all();
        return;  // requests still queued are never started (their buffers may be gone)
      }
      r = g.queue.front();
      g.queue.pop_front();
      g.busy = true;
    }
    std::string err = run(*r);
    {
      std::lock_guard<std::mutex> lock(g.mu);
      g.busy = false;
    }
    const bool finalize = r->kind == Kind::kFinalize;
    {
      std::lock_guard<std::mutex> lock(r->mu);
      r->error = err;
      r->done = true;
    }
    r->cv.notify_all();
    if (r->deferred && !g.stopping.load()) {
      auto* boxed = new std::shared_ptr<Request>(r);
      if (napi_call_threadsafe_function(g.tsfn, boxed, napi_tsfn_nonblocking) != napi_ok) delete boxed;
    }
    if (finalize) {
      std::lock_guard<std::mutex> lock(g.mu);
      g.stopped = true;
      g.cv.notify_all();
      return;
    }
  }
}

// Stops the background thread and waits until it is out of MPI (it polls, so a request in
// flight ends at its next MPI_Test), or inside a blocking collective, which nothing can
// stop (the caller then ends the job). Afterwards only the calling thread may call MPI.
// Called on the JS thread, which is then not inside MPI itself.
void stop_background_thread() {
  std::unique_lock<std::mutex> lock(g.mu);
  if (!g.started) return;
  g.stopping.store(true, std::memory_order_release);
  g.cv.notify_all();
  {
    std::lock_guard<std::mutex> hurry(g.hurry_mu);  // a poller pausing between tests
  }
  g.hurry_cv.notify_all();
  // A thread inside a blocking collective cannot be stopped (blocking_collective.h): not
  // waited for; it may enter one between the checks, hence the re-check every millisecond.
  const auto out = [] { return g.stopped || !g.ready || !g.init_error.empty() || tessera_mpi::in_blocking_call(); };
  while (!g.cv.wait_for(lock, std::chrono::milliseconds(1), out)) {
  }
}

// Environment teardown (the end of the process, or of a worker thread that loaded the
// shim): the background thread must not be inside MPI while the process exits.
void on_env_cleanup(void*) {
  stop_background_thread();
  tessera_mpi::dump_timeline(g.rank);
}

// ---- N-API helpers ----

#define CHECK(call)                                               \
  do {                                                            \
    if ((call) != napi_ok) {                                      \
      napi_throw_error(env, nullptr, "tessera mpi shim: " #call); \
      return nullptr;                                             \
    }                                                             \
  } while (0)

napi_value throw_error(napi_env env, const std::string& msg) {
  napi_throw_error(env, nullptr, msg.c_str());
  return nullptr;
}

napi_value make_int(napi_env env, int v) {
  napi_value out;
  napi_create_int32(env, v, &out);
  return out;
}

void set(napi_env env, napi_value obj, const char* key, napi_value v) { napi_set_named_property(env, obj, key, v); }

napi_value info_object(napi_env env) {
  napi_value obj, lib;
  napi_create_object(env, &obj);
  set(env, obj, "rank", make_int(env, g.rank));
  set(env, obj, "size", make_int(env, g.size));
  set(env, obj, "localRank", make_int(env, g.local_rank));
  set(env, obj, "localSize", make_int(env, g.local_size));
  set(env, obj, "threadLevel", make_int(env, g.thread_level));
  napi_create_string_utf8(env, g.library.c_str(), g.library.size(), &lib);
  set(env, obj, "library", lib);
  return obj;
}

// Resolves or rejects an async request's promise on the JS thread.
void deliver(napi_env env, napi_value, void*, void* data) {
  auto* boxed = static_cast<std::shared_ptr<Request>*>(data);
  std::shared_ptr<Request> r = *boxed;
  delete boxed;
  if (env == nullptr) return;  // shutting down
  for (napi_ref ref : r->keep) napi_delete_reference(env, ref);
  r->keep.clear();
  if (--g.pending_async == 0) napi_unref_threadsafe_function(env, g.tsfn);
  if (tessera_mpi::tracing()) {
    r->tl.returned = tessera_mpi::trace_now();
    tessera_mpi::record(r->tl);
  }
  if (r->error.empty()) {
    napi_value undefined;
    napi_get_undefined(env, &undefined);
    napi_resolve_deferred(env, r->deferred, undefined);
  } else {
    napi_value msg, err;
    const std::string text = std::string(r->name) + ": " + r->error;
    napi_create_string_utf8(env, text.c_str(), text.size(), &msg);
    napi_create_error(env, nullptr, msg, &err);
    napi_reject_deferred(env, r->deferred, err);
  }
}

// init() -> {rank, size, localRank, localSize, threadLevel, library}
napi_value Init(napi_env env, napi_callback_info) {
  std::unique_lock<std::mutex> lock(g.mu);
  if (!g.started) {
    g.started = true;
    napi_value name;
    napi_create_string_utf8(env, "tessera-mpi", NAPI_AUTO_LENGTH, &name);
    CHECK(napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, nullptr, nullptr, nullptr, deliver,
                                          &g.tsfn));
    napi_unref_threadsafe_function(env, g.tsfn);
    g.thread = std::thread(loop);
    g.thread.detach();
    napi_add_env_cleanup_hook(env, on_env_cleanup, nullptr);
  }
  g.cv.wait(lock, [] { return g.ready; });
  if (!g.init_error.empty()) return throw_error(env, g.init_error);
  lock.unlock();
  return info_object(env);
}

bool typed_array(napi_env env, napi_value v, void** data, size_t* bytes) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  size_t length = 0, offset = 0;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &length, data, &ab, &offset) != napi_ok) return false;
  size_t elem = 1;
  switch (type) {
    case napi_float32_array:
    case napi_int32_array:
    case napi_uint32_array: elem = 4; break;
    case napi_float64_array:
    case napi_bigint64_array:
    case napi_biguint64_array: elem = 8; break;
    case napi_int16_array:
    case napi_uint16_array: elem = 2; break;
    default: elem = 1;
  }
  *bytes = length * elem;
  return true;
}

// The loan behind `v` when it is an External tagged `tag` (host_buffer.h), else null.
const tessera::HostBuffer* loan_of(napi_env env, napi_value v, const napi_type_tag& tag) {
  napi_valuetype type;
  bool tagged = false;
  if (napi_typeof(env, v, &type) != napi_ok || type != napi_external) return nullptr;
  if (napi_check_object_type_tag(env, v, &tag, &tagged) != napi_ok || !tagged) return nullptr;
  void* raw = nullptr;
  if (napi_get_value_external(env, v, &raw) != napi_ok) return nullptr;
  return static_cast<const tessera::HostBuffer*>(raw);
}

// The bytes of a TypedArray, or of a tensor lent by the main addon's hostBuffer() (an
// External tagged as a HostBuffer: the tensor's own memory, no copy).
bool buffer_of(napi_env env, napi_value v, void** data, size_t* bytes) {
  if (typed_array(env, v, data, bytes)) return true;
  const tessera::HostBuffer* view = loan_of(env, v, tessera::kHostBufferTag);
  if (view == nullptr || (view->data == nullptr && view->bytes > 0)) return false;
  *data = view->data;
  *bytes = view->bytes;
  return true;
}

// The device memory of a CUDA tensor lent by the main addon's deviceBuffer() (an External
// tagged kDeviceBufferTag): its address, size and device.
bool device_buffer_of(napi_env env, napi_value v, void** data, size_t* bytes, int* device) {
  const tessera::HostBuffer* view = loan_of(env, v, tessera::kDeviceBufferTag);
  if (view == nullptr || view->device < 0 || (view->data == nullptr && view->bytes > 0)) return false;
  *data = view->data;
  *bytes = view->bytes;
  *device = view->device;
  return true;
}

// Host memory (device -1) or a CUDA device's (its index), whichever `v` lends.
bool lent_buffer(napi_env env, napi_value v, void** data, size_t* bytes, int* device) {
  *device = -1;
  return buffer_of(env, v, data, bytes) || device_buffer_of(env, v, data, bytes, device);
}

MPI_Datatype datatype(int code) {
  switch (code) {  // native/include/tessera/abi.h's dtype codes
    case 0: return MPI_FLOAT;
    case 1: return MPI_INT32_T;
    case 2: return MPI_DOUBLE;
    case 3: return MPI_UINT8_T;
  }
  return MPI_DATATYPE_NULL;
}

int datatype_bytes(int code) { return code == 2 ? 8 : code == 3 ? 1 : 4; }

size_t bytes_of(const Request& r, int code) { return static_cast<size_t>(r.count) * datatype_bytes(code); }

// submit(kind, data, dtypeCode, arg, timeoutSeconds, mode, [out, counts | header])
//   mode 0: blocks and returns undefined; 1: returns a Promise; 2: returns a ticket for
//   wait(ticket) (the caller keeps the buffers alive), so JS can pack the next gradient
//   bucket while this one is on the wire.
//   data (and out) are TypedArrays or host buffers (main addon's hostBuffer(): a tensor's
//   own bytes), which the shim reads and writes in place, or device buffers (deviceBuffer():
//   a CUDA tensor's device memory), which NCCL reads and writes (nccl_collectives.h; no
//   'mean': JS submits 'sum' and scales on the device).
//   kind: 0 allReduce (arg: 0 sum, 1 max, 2 min, 3 mean; out, when given, receives the
//         result and the input is left alone; header, when given, is checked in the same
//         message: see run_checked_all_reduce), 1 broadcast (arg: root; out: device memory only),
//         2 allGatherV (out: the gathered TypedArray, counts: Int32Array of elements per rank),
//         3 barrier, 4 finalize, 5 shareUniqueId (data: 129 bytes, see run_share_unique_id).
napi_value Submit(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc < 6) return throw_error(env, "tessera mpi shim: submit expects 6 to 8 arguments");
  if (!g.ready || !g.init_error.empty()) return throw_error(env, "tessera mpi shim: init() first");
  if (g.finalized)
    return throw_error(env, "tessera.distribute: MPI was already finalized (this process called shutdown())");
  if (g.stopping.load())
    return throw_error(env, "tessera.distribute: MPI is shutting down (this process is aborting or exiting)");
  if (g.broken.load(std::memory_order_acquire))
    return throw_error(env, std::string("tessera.distribute: ") + kBrokenMessage);
  int kind = 0, code = 0, arg = 0;
  double timeout = 0;
  int mode = 0;
  CHECK(napi_get_value_int32(env, argv[0], &kind));
  CHECK(napi_get_value_int32(env, argv[2], &code));
  CHECK(napi_get_value_int32(env, argv[3], &arg));
  CHECK(napi_get_value_double(env, argv[4], &timeout));
  CHECK(napi_get_value_int32(env, argv[5], &mode));
  if (kind < 0 || kind > static_cast<int>(Kind::kShareUniqueId))
    return throw_error(env, "tessera mpi shim: submit's kind must be 0 to 5, got " + std::to_string(kind));
  const bool async = mode == 1;
  auto r = std::make_shared<Request>();
  r->kind = static_cast<Kind>(kind);
  r->name = kind_name(r->kind);
  r->timeout_s = timeout;
  if (tessera_mpi::tracing()) {
    r->tl.submitted = tessera_mpi::trace_now();
    r->tl.name = r->name;
    if (mode == 0) r->tl.awaited = r->tl.submitted;
  }
  r->type = datatype(code);
  if (r->kind != Kind::kBarrier && r->kind != Kind::kFinalize) {
    size_t bytes = 0;
    if (!lent_buffer(env, argv[1], &r->data, &bytes, &r->device))
      return throw_error(env,
                         "tessera mpi shim: data must be a TypedArray, a live host buffer or a live device buffer");
    if (r->device >= 0) {
      const tessera::NcclStatus& nccl_found = tessera::nccl_status();
      if (!nccl_found.available)
        return throw_error(env, std::string("tessera.distribute: ") + r->name +
                                    " of a CUDA tensor needs NCCL, which is not available: " + nccl_found.reason +
                                    "; TESSERA_DIST_CUDA=mpi reduces CUDA tensors through host memory instead");
      if (r->kind == Kind::kAllReduce && arg == 3)
        return throw_error(env,
                           "tessera mpi shim: allReduce 'mean' of device memory is not supported: submit 'sum' (0) and "
                           "scale on the device");
    }
    if (r->type == MPI_DATATYPE_NULL) return throw_error(env, "tessera mpi shim: unknown dtype code");
    if (bytes % datatype_bytes(code) != 0)
      return throw_error(env, "tessera mpi shim: the buffer's size is not a whole number of elements of its dtype");
    r->count = static_cast<int>(bytes / datatype_bytes(code));
    r->tl.bytes = static_cast<long>(bytes);
    r->elem_bytes = datatype_bytes(code);
    if (bytes / datatype_bytes(code) > static_cast<size_t>(INT32_MAX))
      return throw_error(env, "tessera.distribute: a single collective is limited to 2^31-1 elements");
  }
  if (r->kind == Kind::kAllReduce) {
    r->op = arg == 1 ? MPI_MAX : arg == 2 ? MPI_MIN : MPI_SUM;
    if (arg == 3) r->divide_by = g.size;
    napi_valuetype out_type = napi_undefined;
    if (argc > 6) napi_typeof(env, argv[6], &out_type);
    if (out_type != napi_undefined && out_type != napi_null) {
      size_t out_bytes = 0;
      int out_device = -1;
      if (!lent_buffer(env, argv[6], &r->out, &out_bytes, &out_device) || out_device != r->device)
        return throw_error(env,
                           "tessera mpi shim: allReduce's out must be memory of the input's device (a TypedArray or "
                           "a live host buffer for host memory, a live device buffer for a CUDA device's)");
      if (out_bytes != bytes_of(*r, code))
        return throw_error(env, "tessera mpi shim: allReduce's out must have as many bytes as its input");
    }
    r->tl.in_place = r->out == nullptr;
    napi_valuetype header_type = napi_undefined;
    if (argc > 7) napi_typeof(env, argv[7], &header_type);
    if (header_type != napi_undefined && header_type != napi_null) {
      void* header = nullptr;
      size_t header_bytes = 0;
      if (!typed_array(env, argv[7], &header, &header_bytes) || header_bytes != kHeaderBytes)
        return throw_error(env, "tessera mpi shim: allReduce's header must be an Int32Array of 20 elements");
      r->header = static_cast<int32_t*>(header);
    }
  }
  if (r->kind == Kind::kBroadcast) {
    r->root = arg;
    // Device memory only: an out receives the root's data and the input is left alone.
    napi_valuetype out_type = napi_undefined;
    if (argc > 6) napi_typeof(env, argv[6], &out_type);
    if (out_type != napi_undefined && out_type != napi_null) {
      size_t out_bytes = 0;
      int out_device = -1;
      if (r->device < 0 || !lent_buffer(env, argv[6], &r->out, &out_bytes, &out_device) || out_device != r->device ||
          out_bytes != bytes_of(*r, code))
        return throw_error(env,
                           "tessera mpi shim: broadcast's out must be a live device buffer of the input's device and "
                           "size (host memory is broadcast in place)");
    }
  }
  if (r->kind == Kind::kAllGatherV) {
    if (argc < 8) return throw_error(env, "tessera mpi shim: allGatherV needs out and counts");
    size_t out_bytes = 0, counts_bytes = 0;
    void* counts = nullptr;
    int out_device = -1;
    if (!lent_buffer(env, argv[6], &r->out, &out_bytes, &out_device) || out_device != r->device ||
        !typed_array(env, argv[7], &counts, &counts_bytes)) {
      return throw_error(env,
                         "tessera mpi shim: allGatherV's out must be memory of the input's device and counts an "
                         "Int32Array");
    }
    r->counts.assign(static_cast<int*>(counts), static_cast<int*>(counts) + counts_bytes / 4);
    if (static_cast<int>(r->counts.size()) != g.size)
      return throw_error(env, "tessera mpi shim: counts must have one entry per rank");
  }
  if (r->kind == Kind::kShareUniqueId &&
      (r->device >= 0 || bytes_of(*r, code) != 1 + sizeof(tessera::NcclUniqueId) || code != 3))
    return throw_error(env, "tessera mpi shim: shareUniqueId's data must be a Uint8Array of 129 bytes (uint8, code 3)");
  if (r->kind == Kind::kFinalize) g.finalized = true;
  napi_value promise = nullptr;
  if (async) {
    CHECK(napi_create_promise(env, &r->deferred, &promise));
    for (int i : {1, 6, 7}) {
      if (static_cast<size_t>(i) >= argc) continue;
      napi_ref ref;
      if (napi_create_reference(env, argv[i], 1, &ref) == napi_ok) r->keep.push_back(ref);
    }
    if (g.pending_async++ == 0) napi_ref_threadsafe_function(env, g.tsfn);
  }
  {
    std::lock_guard<std::mutex> lock(g.mu);
    // A blocking request with nothing queued before it runs here, on the JS thread: the
    // order of collectives stays the order of submission.
    if (mode == 0 && g.queue.empty() && !g.busy && g.thread_level >= MPI_THREAD_SERIALIZED &&
        r->kind != Kind::kFinalize) {
      g.busy = true;
    } else {
      g.queue.push_back(r);
      mode = mode == 0 ? -1 : mode;
    }
  }
  if (mode == 0) {
    g.waiters++;  // the JS thread polls for itself: nothing else to do meanwhile
    r->tl.on_js_thread = true;
    std::string err = run(*r);
    g.waiters--;
    if (tessera_mpi::tracing()) {
      r->tl.returned = tessera_mpi::trace_now();
      tessera_mpi::record(r->tl);
    }
    {
      std::lock_guard<std::mutex> lock(g.mu);
      g.busy = false;
    }
    g.cv.notify_all();
    if (!err.empty()) return throw_error(env, std::string(r->name) + ": " + err);
    napi_value undefined;
    napi_get_undefined(env, &undefined);
    return undefined;
  }
  g.cv.notify_all();
  if (async) return promise;
  if (mode == 2) {
    g.tickets[g.next_ticket] = r;
    return make_int(env, g.next_ticket++);
  }
  start_waiting();
  std::unique_lock<std::mutex> lock(r->mu);
  r->cv.wait(lock, [&] { return r->done; });
  g.waiters--;
  if (tessera_mpi::tracing()) {
    r->tl.returned = tessera_mpi::trace_now();
    tessera_mpi::record(r->tl);
  }
  if (!r->error.empty()) return throw_error(env, std::string(r->name) + ": " + r->error);
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  return undefined;
}

// wait(ticket): blocks until a mode-2 request completes; throws its error.
napi_value Wait(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int id = 0;
  CHECK(napi_get_value_int32(env, argv[0], &id));
  auto it = g.tickets.find(id);
  if (it == g.tickets.end()) return throw_error(env, "tessera mpi shim: unknown ticket");
  std::shared_ptr<Request> r = it->second;
  g.tickets.erase(it);
  if (tessera_mpi::tracing()) r->tl.awaited = tessera_mpi::trace_now();
  // Not started yet and next in line, with the background thread idle: run it here
  // (saves two thread hand-offs); otherwise wait, telling the poller to hurry.
  bool here = false;
  {
    std::lock_guard<std::mutex> lock(g.mu);
    if (!g.busy && !g.queue.empty() && g.queue.front() == r && g.thread_level >= MPI_THREAD_SERIALIZED) {
      g.queue.pop_front();
      g.busy = true;
      here = true;
    }
  }
  if (here) {
    g.waiters++;
    r->tl.on_js_thread = true;
    r->error = run(*r);
    g.waiters--;
    r->done = true;
    {
      std::lock_guard<std::mutex> lock(g.mu);
      g.busy = false;
    }
    g.cv.notify_all();
  } else {
    start_waiting();
    std::unique_lock<std::mutex> lock(r->mu);
    r->cv.wait(lock, [&] { return r->done; });
    g.waiters--;
  }
  if (tessera_mpi::tracing()) {
    r->tl.returned = tessera_mpi::trace_now();
    tessera_mpi::record(r->tl);
  }
  if (!r->error.empty()) return throw_error(env, std::string(r->name) + ": " + r->error);
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  return undefined;
}

// When stderr is a pipe (mpirun's launcher forwards it), waits briefly until the launcher
// has read what was written: MPI_Abort makes it kill every rank at once, and output still
// in the pipe, the reason for the abort included, could be dropped with the processes.
void drain_stderr() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  for (;;) {
    int unread = 0;
    if (ioctl(STDERR_FILENO, FIONREAD, &unread) != 0 || unread <= 0) return;
    if (std::chrono::steady_clock::now() > deadline) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

[[noreturn]] void end_job(int code);

// abort(code, message): prints the message and ends every rank (MPI_Abort), from any state.
napi_value Abort(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  int code = 1;
  napi_get_value_int32(env, argv[0], &code);
  char msg[4096] = {0};
  size_t len = 0;
  napi_get_value_string_utf8(env, argv[1], msg, sizeof msg, &len);
  std::fprintf(stderr, "%s\n", msg);
  std::fflush(stderr);
  // MPI_THREAD_SERIALIZED: the background thread may be polling a collective right now
  // (buckets in flight when a rank fails). MPI_Abort from this thread must wait until it
  // is out of MPI; it polls, so that is at most one MPI_Test away.
  stop_background_thread();
  end_job(code == 0 ? 1 : code);
}

// MPI_Abort, once stderr is read. A thread may still be inside a blocking collective
// (blocking_collective.h), which MPI_THREAD_SERIALIZED does not allow beside this call:
// should MPI_Abort not return nor end the job, the process ends itself after a while (the
// launcher then ends the other ranks, as for any rank that dies).
[[noreturn]] void end_job(int code) {
  drain_stderr();
  std::thread([code] {
    std::this_thread::sleep_for(std::chrono::seconds(10));
    std::_Exit(code);
  }).detach();
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

// ncclInfo() -> {available, version, path, reason, communicator, communicatorError}
napi_value NcclInfo(napi_env env, napi_callback_info) {
  const tessera::NcclStatus& s = tessera::nccl_status();
  napi_value obj, v;
  napi_create_object(env, &obj);
  napi_get_boolean(env, s.available, &v);
  set(env, obj, "available", v);
  set(env, obj, "version", make_int(env, s.version));
  napi_create_string_utf8(env, s.path.c_str(), s.path.size(), &v);
  set(env, obj, "path", v);
  napi_create_string_utf8(env, s.reason.c_str(), s.reason.size(), &v);
  set(env, obj, "reason", v);
  // The communicator (nccl_collectives.h): 'none' until the first CUDA collective, then
  // 'ready' or 'failed' (with the reason, the same on every rank).
  const char* state = nccl_state_name();
  napi_create_string_utf8(env, state, NAPI_AUTO_LENGTH, &v);
  set(env, obj, "communicator", v);
  const std::string error = nccl.state.load(std::memory_order_acquire) == Nccl::State::kFailed ? nccl.error : "";
  napi_create_string_utf8(env, error.c_str(), error.size(), &v);
  set(env, obj, "communicatorError", v);
  return obj;
}

napi_value Register(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"init", nullptr, Init, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"submit", nullptr, Submit, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"wait", nullptr, Wait, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"abort", nullptr, Abort, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"ncclInfo", nullptr, NcclInfo, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

}  // namespace

// A blocking collective overran its deadline (blocking_collective.h): this process makes no
// further MPI call but MPI_Abort.
void tessera_mpi::abort_job(const std::string& message) {
  g.broken.store(true, std::memory_order_release);
  g.stopping.store(true, std::memory_order_release);
  std::fprintf(stderr, "%s\n", message.c_str());
  std::fflush(stderr);
  end_job(1);
}

NAPI_MODULE(tessera_mpi, Register)
