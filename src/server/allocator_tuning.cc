#include "server/allocator_tuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace hoglet::server {

void TuneAllocatorForServing() {
#if defined(__GLIBC__)
  // Setting either threshold also turns off glibc's dynamic adjustment of the other, so both
  // are set. A refusal (never seen for these values) leaves the defaults: nothing to report.
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(kTrimThresholdBytes));
  mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMmapThresholdBytes));
#endif
}

}  // namespace hoglet::server
