#include "api/context.h"

#include <chrono>

namespace localddb::api {

double SystemClock() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

}  // namespace localddb::api
