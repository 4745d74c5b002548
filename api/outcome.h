// The result of one operation, handed to a Respond callback: a JSON response body, or an error.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "api/error.h"

namespace localddb::api {

struct Outcome {
  std::string body;
  std::optional<ApiError> error;

  static Outcome Ok(std::string body) { return {std::move(body), std::nullopt}; }
  static Outcome Fail(ApiError e) { return {{}, std::move(e)}; }
};

// Called exactly once per request, possibly from the writer thread.
using Respond = std::function<void(Outcome)>;

}  // namespace localddb::api
