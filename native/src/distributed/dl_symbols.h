// Symbols of a library loaded at run time (dlopen), for the shim's NCCL and CUDA driver
// loaders: each missing name is added to a list, so one message names every one.
#pragma once
#include <dlfcn.h>

#include <string>

namespace tessera_dl {

template <typename F>
bool resolve(void* handle, const char* name, F* out, std::string* missing) {
  *out = reinterpret_cast<F>(dlsym(handle, name));
  if (*out == nullptr) *missing += (missing->empty() ? "" : ", ") + std::string(name);
  return *out != nullptr;
}

}  // namespace tessera_dl
