#include "api/ops/unsupported.h"

#include <array>
#include <string_view>

#include "api/error.h"

namespace localddb::api {
namespace {
// Nothing is pending at the moment; keep the mechanism for the next feature that lands in parts.
constexpr std::array<std::string_view, 0> kNotYet = {};
}  // namespace

void RejectUnsupported(const json::Value& input) {
  if (!input.IsObject()) return;
  for (auto name : kNotYet) {
    auto it = input.FindMember(rapidjson::StringRef(name.data(), name.size()));
    if (it != input.MemberEnd() && !it->value.IsNull())
      throw ApiError::Validation("localddb does not support the parameter " + std::string(name) + " yet");
  }
}

}  // namespace localddb::api
