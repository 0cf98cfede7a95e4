#include "nccl_loader.h"

#include <dlfcn.h>

#include "dl_symbols.h"

#include <cstdlib>
#include <vector>

namespace tessera {

namespace {

using tessera_dl::resolve;

NcclStatus load() {
  NcclStatus s;
  std::vector<std::string> paths;
  if (const char* env = std::getenv("TESSERA_NCCL_LIBRARY")) paths.push_back(env);
  paths.push_back("libnccl.so.2");
  void* handle = nullptr;
  std::string errors;
  for (const std::string& p : paths) {
    handle = dlopen(p.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle) {
      s.path = p;
      break;
    }
    const char* e = dlerror();
    errors += (errors.empty() ? "" : "; ") + std::string(e ? e : p);
  }
  if (!handle) {
    s.reason = "libnccl.so.2 not found (" + errors +
               "); install NCCL (apt install libnccl2, or pip install nvidia-nccl-cu12 and add its nvidia/nccl/lib to "
               "LD_LIBRARY_PATH) or set TESSERA_NCCL_LIBRARY";
    return s;
  }
  std::string missing;
  NcclApi& a = s.api;
  resolve(handle, "ncclGetVersion", &a.get_version, &missing);
  resolve(handle, "ncclGetUniqueId", &a.get_unique_id, &missing);
  resolve(handle, "ncclCommInitRank", &a.comm_init_rank, &missing);
  resolve(handle, "ncclAllReduce", &a.all_reduce, &missing);
  resolve(handle, "ncclBroadcast", &a.broadcast, &missing);
  resolve(handle, "ncclAllGather", &a.all_gather, &missing);
  resolve(handle, "ncclCommDestroy", &a.comm_destroy, &missing);
  resolve(handle, "ncclCommAbort", &a.comm_abort, &missing);
  resolve(handle, "ncclCommGetAsyncError", &a.comm_get_async_error, &missing);
  resolve(handle, "ncclGroupStart", &a.group_start, &missing);
  resolve(handle, "ncclGroupEnd", &a.group_end, &missing);
  resolve(handle, "ncclGetErrorString", &a.get_error_string, &missing);
  if (!missing.empty()) {
    s.reason = s.path + " lacks " + missing;
    return s;
  }
  a.get_version(&s.version);
  s.available = true;
  return s;
}

}  // namespace

const NcclStatus& nccl_status() {
  static const NcclStatus status = load();
  return status;
}

}  // namespace tessera
