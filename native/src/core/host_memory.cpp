#include "tessera/host_memory.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>

namespace tessera {

namespace {

constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();

// "MemAvailable:   22000000 kB" -> bytes, for each key asked; 0 when absent.
uint64_t meminfo_bytes(const char* key) {
  std::ifstream in("/proc/meminfo");
  std::string line;
  const size_t n = std::strlen(key);
  while (std::getline(in, line)) {
    if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':') {
      return std::strtoull(line.c_str() + n + 1, nullptr, 10) * 1024;
    }
  }
  return 0;
}

// The cgroup v2 limit minus the cgroup's usage, or unlimited.
uint64_t cgroup_headroom() {
  std::ifstream max_file("/sys/fs/cgroup/memory.max"), current_file("/sys/fs/cgroup/memory.current");
  std::string max_text;
  uint64_t current = 0;
  if (!(max_file >> max_text) || max_text == "max" || !(current_file >> current)) return kUnlimited;
  const uint64_t limit = std::strtoull(max_text.c_str(), nullptr, 10);
  return limit > current ? limit - current : 0;
}

uint64_t rlimit_bytes(int resource) {
  struct rlimit r;
  if (getrlimit(resource, &r) != 0 || r.rlim_cur == RLIM_INFINITY) return kUnlimited;
  return static_cast<uint64_t>(r.rlim_cur);
}

}  // namespace

uint64_t host_memory_available() {
  uint64_t available = meminfo_bytes("MemAvailable");
  if (available > 0) {
    available += meminfo_bytes("SwapFree");
  } else {
    // No /proc/meminfo (not Linux): the physical memory.
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    available = pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : kUnlimited;
  }
  available = std::min(available, cgroup_headroom());
  available = std::min(available, rlimit_bytes(RLIMIT_AS));
  available = std::min(available, rlimit_bytes(RLIMIT_DATA));
  return available;
}

std::string format_bytes(uint64_t bytes) {
  static const char* const kUnits[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  if (bytes < 1024) return std::to_string(bytes) + " bytes";
  double v = static_cast<double>(bytes);
  int unit = -1;
  while (v >= 1024 && unit < 5) {
    v /= 1024;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, v < 10 ? "%.1f %s" : "%.0f %s", v, kUnits[unit]);
  return text;
}

}  // namespace tessera
