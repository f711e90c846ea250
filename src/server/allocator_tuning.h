// How the process's memory allocator (glibc malloc) is set up for serving.
//
// By default glibc hands freed memory back to the kernel as soon as the top of a thread's arena
// has more than 128 KiB free, and serves blocks of 128 KiB and up with mmap. A server that
// builds and frees responses and request bodies of tens of kilobytes on every request then pays
// a madvise, page faults and a TLB shootdown per request: measured at about a quarter of the
// CPU time of /flags under load (bench/RESULTS.md). TuneAllocatorForServing keeps up to
// kTrimThresholdBytes of free memory per arena and serves blocks below kMmapThresholdBytes from
// the arenas. Idle memory is unchanged; after a burst each arena may keep that much free memory.
#pragma once

#include <cstddef>

namespace hoglet::server {

inline constexpr size_t kTrimThresholdBytes = 32 << 20;
inline constexpr size_t kMmapThresholdBytes = 4 << 20;

// Call once, before the first thread starts. Does nothing where malloc is not glibc's.
void TuneAllocatorForServing();

}  // namespace hoglet::server
