// NCCL collectives on CUDA device memory (loans tagged kDeviceBufferTag, host_buffer.h).
// Part of the MPI shim (mpi_shim.cpp), included where its world, its polling and its
// MPI all-reduce are defined: NCCL requests take the same queue, tickets and waits as MPI
// ones, run on the same thread (so every rank issues MPI and NCCL calls in one order),
// and fail the same way: a deadline per collective, after which the world is broken.
//
// The communicator is made on the first NCCL collective: rank 0 asks NCCL for a unique
// id, MPI broadcasts it, and every rank joins with device = localRank mod device count.
// Tessera's stream is synchronized when the main addon lends the memory (deviceBuffer),
// so NCCL runs on a stream of its own, and a request is done once that stream is idle.
// It relies on what mpi_shim.cpp includes (cuda_driver.h, nccl_loader.h among them).
#pragma once

struct Nccl {
  enum class State { kNone, kReady, kFailed };
  // Written by the thread running collectives, read by ncclInfo() on the JS thread: the
  // error is written before the state says kFailed.
  std::atomic<State> state{State::kNone};
  std::string error;  // why the communicator could not be made (kFailed), the same on every rank
  void* comm = nullptr;
  void* ctx = nullptr;     // the device's primary context (the CUDA runtime's)
  void* stream = nullptr;  // NCCL's kernels run here
  int device = -1;
};
Nccl& nccl = *new Nccl;

const char* nccl_state_name() {
  switch (nccl.state.load(std::memory_order_acquire)) {
    case Nccl::State::kNone: return "none";
    case Nccl::State::kReady: return "ready";
    case Nccl::State::kFailed: return "failed";
  }
  return "?";
}

std::string nccl_error(const char* call, int code) {
  const tessera::NcclApi& a = tessera::nccl_status().api;
  return std::string(call) + " failed: " + a.get_error_string(code) + " (" + std::to_string(code) + ")";
}

int nccl_dtype(MPI_Datatype t) {
  if (t == MPI_FLOAT) return tessera::kNcclFloat32;
  if (t == MPI_DOUBLE) return tessera::kNcclFloat64;
  if (t == MPI_INT32_T) return tessera::kNcclInt32;
  return tessera::kNcclUint8;
}

int nccl_op(MPI_Op op) {
  return op == MPI_MAX ? tessera::kNcclMax : op == MPI_MIN ? tessera::kNcclMin : tessera::kNcclSum;
}

// Every rank's `ok` combined (all true?), by a polled MPI all-reduce; "" or the MPI failure.
std::string all_ranks_agree(const Request& r, bool* ok) {
  // Static, as the checked all-reduce's stage: after a timeout MPI may still write them.
  static int mine, all;
  mine = *ok ? 1 : 0;
  all = 0;
  MPI_Request req = MPI_REQUEST_NULL;
  const int rc = MPI_Iallreduce(&mine, &all, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD, &req);
  if (rc != MPI_SUCCESS) return abandoned(mpi_error(rc));
  std::string err = wait_for(&req, r);
  *ok = all == 1;
  return err;
}

// This rank's device, context and stream for NCCL; "" or why not.
std::string nccl_local_setup(int device) {
  std::string why;
  const tessera_mpi::CudaDriver* cu = tessera_mpi::cuda_driver(&why);
  if (cu == nullptr) return why;
  int count = 0, rc = cu->device_get_count(&count);
  if (rc != tessera_mpi::kCudaSuccess) return tessera_mpi::cuda_error("cuDeviceGetCount", rc);
  if (count == 0) return "no CUDA device found";
  const int mine = g.local_rank % count;
  if (device != mine) {
    return "this rank's NCCL device is cuda:" + std::to_string(mine) + " (local rank " + std::to_string(g.local_rank) +
           " mod " + std::to_string(count) + " devices), but the tensor is on cuda:" + std::to_string(device) +
           "; put this rank's tensors on cuda:" + std::to_string(mine);
  }
  int dev = 0;
  if ((rc = cu->device_get(&dev, mine)) != 0) return tessera_mpi::cuda_error("cuDeviceGet", rc);
  if ((rc = cu->primary_ctx_retain(&nccl.ctx, dev)) != 0)
    return tessera_mpi::cuda_error("cuDevicePrimaryCtxRetain", rc);
  if ((rc = cu->ctx_set_current(nccl.ctx)) != 0) return tessera_mpi::cuda_error("cuCtxSetCurrent", rc);
  if ((rc = cu->stream_create(&nccl.stream, tessera_mpi::kCudaStreamNonBlocking)) != 0)
    return tessera_mpi::cuda_error("cuStreamCreate", rc);
  nccl.device = mine;
  return "";
}

// NCCL's unique id, made by rank 0 (make_id: ncclGetUniqueId, or given bytes for the
// shareUniqueId request that tests this) and broadcast over MPI with a leading byte that
// says whether rank 0 could make it (so the other ranks fail with it rather than wait).
// `ok` in: rank 0 may make one; out: rank 0 made one.
template <typename MakeId>
std::string share_unique_id(const Request& r, bool* ok, tessera::NcclUniqueId* id, MakeId make_id) {
  static unsigned char message[1 + sizeof(tessera::NcclUniqueId)];  // static: see all_ranks_agree
  std::memset(message, 0, sizeof message);
  if (g.rank == 0 && *ok) {
    const int rc = make_id(id);
    message[0] = rc == tessera::kNcclSuccess ? 1 : 0;
    std::memcpy(message + 1, id, sizeof *id);
  }
  MPI_Request req = MPI_REQUEST_NULL;
  const int rc = MPI_Ibcast(message, sizeof message, MPI_BYTE, 0, MPI_COMM_WORLD, &req);
  if (rc != MPI_SUCCESS) return abandoned(mpi_error(rc));
  std::string err = wait_for(&req, r);
  if (!err.empty()) return err;
  std::memcpy(id, message + 1, sizeof *id);
  *ok = message[0] == 1;
  return "";
}

// Makes the communicator on the first NCCL request (every rank makes the same requests in
// the same order, so they all arrive here together). Failures are agreed on, so every rank
// fails with the same communicator state; "" once it is ready.
std::string nccl_ensure_comm(const Request& r) {
  if (nccl.state == Nccl::State::kFailed) return nccl.error;
  if (nccl.state == Nccl::State::kNone) {
    const auto fail = [&](const std::string& why) {
      nccl.error = "NCCL could not be set up (rank " + std::to_string(g.rank) + " of " + std::to_string(g.size) +
                   "): " + why + "; TESSERA_DIST_CUDA=mpi reduces CUDA tensors through host memory instead";
      nccl.state.store(Nccl::State::kFailed, std::memory_order_release);
      return nccl.error;
    };
    std::string local = nccl_local_setup(r.device);
    bool ok = local.empty();
    std::string err = all_ranks_agree(r, &ok);
    if (!err.empty()) return err;
    if (!ok) return fail(local.empty() ? "another rank could not use its GPU (its error says why)" : local);
    tessera::NcclUniqueId id{};
    ok = true;
    const auto make_id = [](tessera::NcclUniqueId* out) { return tessera::nccl_status().api.get_unique_id(out); };
    if (!(err = share_unique_id(r, &ok, &id, make_id)).empty()) return err;
    if (!ok) return fail("rank 0's ncclGetUniqueId failed");
    // ncclCommInitRank blocks until every rank joined: bounded by the deadline thread.
    int rc = tessera_mpi::blocking("ncclCommInitRank", r.timeout_s, g.rank, g.size, [&] {
      return tessera::nccl_status().api.comm_init_rank(&nccl.comm, g.size, id, g.rank);
    });
    ok = rc == tessera::kNcclSuccess;
    const std::string init_error = ok ? "" : nccl_error("ncclCommInitRank", rc);
    if (!(err = all_ranks_agree(r, &ok)).empty()) return err;
    if (!ok) {
      if (nccl.comm != nullptr && rc == tessera::kNcclSuccess) tessera::nccl_status().api.comm_destroy(nccl.comm);
      nccl.comm = nullptr;
      return fail(init_error.empty() ? "ncclCommInitRank failed on another rank (its error says why)" : init_error);
    }
    nccl.state = Nccl::State::kReady;
  }
  if (r.device != nccl.device) {
    return "the NCCL communicator of this rank is on cuda:" + std::to_string(nccl.device) +
           ", but the tensor is on cuda:" + std::to_string(r.device);
  }
  std::string why;
  const int rc = tessera_mpi::cuda_driver(&why)->ctx_set_current(nccl.ctx);  // this thread's device
  return rc == tessera_mpi::kCudaSuccess ? "" : tessera_mpi::cuda_error("cuCtxSetCurrent", rc);
}

// Waits until NCCL's stream is idle, polling as wait_for polls MPI, under the request's
// deadline. A timeout or an asynchronous NCCL error aborts the communicator and breaks the
// world (its kernels may still write the buffers).
std::string nccl_wait(const Request& r) {
  using clock = std::chrono::steady_clock;
  const tessera::NcclApi& a = tessera::nccl_status().api;
  std::string why;
  const tessera_mpi::CudaDriver* cu = tessera_mpi::cuda_driver(&why);
  const auto deadline =
      clock::now() + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(r.timeout_s));
  std::chrono::microseconds pause(5);
  for (;;) {
    if (g.stopping.load(std::memory_order_acquire))
      return abandoned("MPI is shutting down (this process is aborting or exiting)");
    const int rc = cu->stream_query(nccl.stream);
    if (rc == tessera_mpi::kCudaSuccess) return "";
    if (rc != tessera_mpi::kCudaErrorNotReady) {
      a.comm_abort(nccl.comm);
      return abandoned(tessera_mpi::cuda_error("cuStreamQuery", rc));
    }
    int async = tessera::kNcclSuccess;
    a.comm_get_async_error(nccl.comm, &async);
    if (async != tessera::kNcclSuccess && async != tessera::kNcclInProgress) {
      a.comm_abort(nccl.comm);
      return abandoned(nccl_error("NCCL", async));
    }
    if (r.timeout_s > 0 && clock::now() > deadline) {
      a.comm_abort(nccl.comm);
      char msg[256];
      std::snprintf(msg, sizeof msg,
                    "timed out after %.1f s on rank %d of %d (NCCL): another rank died, is stuck, or is running a "
                    "different collective",
                    r.timeout_s, g.rank, g.size);
      return abandoned(msg);
    }
    if (g.waiters.load(std::memory_order_relaxed) > 0) {
      std::this_thread::yield();
      continue;
    }
    pause = std::min(pause * 2, std::chrono::microseconds(1000));
    precise_sleeps();
    pause_poll(pause);
  }
}

// The dtype-and-shape header of a checked all-reduce on device memory: reduced by MPI on
// its own (host memory) before NCCL runs; "" also when the ranks disagree (the caller
// reads the header and throws, as for host memory).
std::string nccl_reduce_header(const Request& r) {
  Request h;
  h.kind = Kind::kAllReduce;
  h.type = MPI_INT32_T;
  h.op = MPI_MAX;
  h.elem_bytes = 4;
  h.timeout_s = r.timeout_s;
  h.name = r.name;
  return all_reduce(h, MPI_IN_PLACE, r.header, kHeaderInts);
}

// The shareUniqueId request: the id broadcast above, with rank 0's id and its success
// byte taken from the request's 129 bytes (byte 0: 1 if rank 0 made one; then the id),
// which every rank gets back as rank 0 sent them. No NCCL call: it checks the framing.
std::string run_share_unique_id(Request& r) {
  auto* bytes = static_cast<unsigned char*>(r.data);
  bool ok = bytes[0] == 1;
  tessera::NcclUniqueId id{};
  std::string err = share_unique_id(r, &ok, &id, [&](tessera::NcclUniqueId* out) {
    std::memcpy(out, bytes + 1, sizeof *out);
    return tessera::kNcclSuccess;
  });
  if (!err.empty()) return err;
  bytes[0] = ok ? 1 : 0;
  std::memcpy(bytes + 1, &id, sizeof id);
  return "";
}

// Runs a request whose buffers are CUDA device memory.
std::string run_nccl(Request& r) {
  if (r.kind == Kind::kAllReduce && r.header != nullptr) {
    std::string err = nccl_reduce_header(r);
    if (!err.empty() || !header_agrees(r.header)) return err;
  }
  std::string err = nccl_ensure_comm(r);
  if (!err.empty()) return err;
  const tessera::NcclApi& a = tessera::nccl_status().api;
  const int dtype = nccl_dtype(r.type);
  int rc = tessera::kNcclSuccess;
  const char* call = "";
  switch (r.kind) {
    case Kind::kAllReduce:
      if (r.count == 0) return "";
      call = "ncclAllReduce";
      rc = a.all_reduce(r.data, r.out != nullptr ? r.out : r.data, r.count, dtype, nccl_op(r.op), nccl.comm,
                        nccl.stream);
      break;
    case Kind::kBroadcast:
      if (r.count == 0) return "";
      call = "ncclBroadcast";
      rc = a.broadcast(r.data, r.out != nullptr ? r.out : r.data, r.count, dtype, r.root, nccl.comm, nccl.stream);
      break;
    case Kind::kAllGatherV: {
      // NCCL has no all-gather of uneven parts: one broadcast per rank into its place,
      // grouped so NCCL runs them as one operation.
      call = "ncclBroadcast (allGather)";
      char* out = static_cast<char*>(r.out);
      size_t offset = 0;
      rc = a.group_start();
      for (int i = 0; i < g.size && rc == tessera::kNcclSuccess; i++) {
        if (r.counts[i] > 0)
          rc = a.broadcast(r.data, out + offset * r.elem_bytes, r.counts[i], dtype, i, nccl.comm, nccl.stream);
        offset += r.counts[i];
      }
      const int end = a.group_end();
      if (rc == tessera::kNcclSuccess) rc = end;
      break;
    }
    default: return std::string("tessera mpi shim: ") + r.name + " takes no device memory";
  }
  if (rc != tessera::kNcclSuccess) {
    a.comm_abort(nccl.comm);
    return abandoned(nccl_error(call, rc));
  }
  return nccl_wait(r);
}

// At MPI_Finalize: the communicator goes first (its kernels are done: every request waited
// for its stream).
void nccl_shutdown() {
  if (nccl.state != Nccl::State::kReady) return;
  std::string why;
  tessera_mpi::cuda_driver(&why)->ctx_set_current(nccl.ctx);
  tessera::nccl_status().api.comm_destroy(nccl.comm);
  nccl.comm = nullptr;
  nccl.state = Nccl::State::kNone;
}
