// NCCL, loaded at run time (never linked): libnccl.so.2 from the system, from
// TESSERA_NCCL_LIBRARY, or from the NVIDIA wheels (nvidia/nccl/lib) on the loader path.
#pragma once
#include <cstddef>
#include <string>

namespace tessera {

// The NCCL entry points Tessera uses, with NCCL's C types spelled as plain ints and
// pointers (its ABI: enums are int, ncclComm_t and cudaStream_t are pointers,
// ncclUniqueId is 128 bytes).
struct NcclUniqueId {
  char internal[128];
};
struct NcclApi {
  int (*get_version)(int*);
  int (*get_unique_id)(NcclUniqueId*);
  int (*comm_init_rank)(void** comm, int nranks, NcclUniqueId id, int rank);
  int (*all_reduce)(const void* send, void* recv, size_t count, int dtype, int op, void* comm, void* stream);
  int (*broadcast)(const void* send, void* recv, size_t count, int dtype, int root, void* comm, void* stream);
  int (*all_gather)(const void* send, void* recv, size_t count, int dtype, void* comm, void* stream);
  int (*comm_destroy)(void* comm);
  int (*comm_abort)(void* comm);
  int (*comm_get_async_error)(void* comm, int* result);
  int (*group_start)();
  int (*group_end)();
  const char* (*get_error_string)(int);
};

// NCCL's enum values (nccl.h).
constexpr int kNcclSuccess = 0;
constexpr int kNcclInProgress = 7;
constexpr int kNcclUint8 = 1, kNcclInt32 = 2, kNcclFloat32 = 7, kNcclFloat64 = 8;
constexpr int kNcclSum = 0, kNcclMax = 2, kNcclMin = 3;

struct NcclStatus {
  bool available = false;
  int version = 0;
  std::string path;
  std::string reason;  // why not available
  NcclApi api{};
};

// Loads NCCL once (thread-safe) and says what it found.
const NcclStatus& nccl_status();

}  // namespace tessera
