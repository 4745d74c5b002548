// Background threads (WAL checkpoints, stream-hook delivery) lower their own priority, so that
// when they share a core with request handling, requests go first; with a core to spare they run
// at full speed.
#pragma once

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace localddb::storage {

// Lowers the calling thread's scheduling priority (nice 10). On Linux a nice value set by thread
// id applies to that thread alone.
inline void LowerThisThreadPriority() {
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
}

}  // namespace localddb::storage
