#include "api/write/write_support.h"

#include <cstdio>

namespace localddb::api {

Outcome OutcomeFromException(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const ApiError& err) {
    return Outcome::Fail(err);
  } catch (const std::exception& err) {
    std::fprintf(stderr, "localddb: internal error in write: %s\n", err.what());
    return Outcome::Fail(ApiError::Internal());
  } catch (...) {
    return Outcome::Fail(ApiError::Internal());
  }
}

void SubmitWrite(Context& ctx, Respond respond, std::function<void(storage::WriteTxn&)> work,
                 std::function<std::string()> output, std::function<void()> on_failure) {
  ctx.db.Submit(std::move(work), [respond = std::move(respond), output = std::move(output),
                                  on_failure = std::move(on_failure)](std::exception_ptr e) {
    if (e) {
      if (on_failure) on_failure();
      respond(OutcomeFromException(e));
      return;
    }
    try {
      respond(Outcome::Ok(output()));
    } catch (...) {
      respond(OutcomeFromException(std::current_exception()));
    }
  });
}

}  // namespace localddb::api
