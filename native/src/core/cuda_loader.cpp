#include "tessera/cuda_loader.h"

#include <dlfcn.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "tessera/ops.h"

namespace tessera {

namespace {

const char kLibraryName[] = "libtessera_cuda.so";

std::string directory_of_this_binary() {
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&directory_of_this_binary), &info) == 0 || !info.dli_fname) return ".";
  std::string path = info.dli_fname;
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

// Beside the addon (prebuilds), then the CMake dev build, then the package's linux-x64
// prebuild folder (for an addon built from source in build/Release), then
// TESSERA_CUDA_LIBRARY.
std::vector<std::string> candidate_paths() {
  const std::string here = directory_of_this_binary();
  std::vector<std::string> paths;
  paths.push_back(here + "/" + kLibraryName);
  paths.push_back(here + "/../../build-cmake/" + kLibraryName);
  paths.push_back(here + "/../../prebuilds/linux-x64/" + kLibraryName);
  if (const char* env = std::getenv("TESSERA_CUDA_LIBRARY")) paths.push_back(env);
  return paths;
}

struct Loaded {
  CudaStatus status;
  TkCudaApi api{};
};

Loaded load() {
  Loaded l;
  if (const char* env = std::getenv("TESSERA_DISABLE_CUDA"); env && std::string(env) == "1") {
    l.status.reason = "disabled by TESSERA_DISABLE_CUDA=1";
    return l;
  }
  void* handle = nullptr;
  std::string tried, last_error;
  for (const std::string& path : candidate_paths()) {
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle) {
      l.status.library_path = path;
      break;
    }
    tried += (tried.empty() ? "" : ", ") + path;
    const char* e = dlerror();
    if (e && std::string(e).find("No such file") == std::string::npos) last_error = e;
  }
  if (!handle) {
    l.status.reason = last_error.empty() ? std::string(kLibraryName) + " not found (looked in " + tried + ")"
                                         : "could not load the CUDA library: " + last_error;
    return l;
  }
  auto open = reinterpret_cast<TkCudaOpenFn>(dlsym(handle, "tk_cuda_open"));
  if (!open) {
    l.status.reason = l.status.library_path + " has no tk_cuda_open entry point";
    return l;
  }
  char err[512] = {0};
  if (open(&l.api, err, sizeof err) != 0) {
    l.status.reason = err;
    return l;
  }
  if (l.api.ops_def_hash != kOpsDefHash) {
    l.status.reason = l.status.library_path + " was built from a different ops.def (ABI mismatch); rebuild it";
    return l;
  }
  l.status.loaded = true;
  l.status.device_count = l.api.device_count;
  return l;
}

const Loaded& loaded() {
  static const Loaded l = load();
  return l;
}

}  // namespace

const CudaStatus& cuda_status() { return loaded().status; }

const TkCudaApi* cuda_api() { return loaded().status.loaded ? &loaded().api : nullptr; }

}  // namespace tessera
