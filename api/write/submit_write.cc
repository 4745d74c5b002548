#include "api/write/submit_write.h"

#include "storage/storage_error.h"

namespace localddb::api {
namespace {

// What a storage failure means to the client. DynamoDB's InternalServerError, worded so that a
// user reading an SDK's exception knows what happened and that the request was not applied.
ApiError FromStorageError(const storage::StorageError& e) {
  switch (e.kind()) {
    case storage::StorageError::Kind::kFull:
      return ApiError::Internal(
          "localddb's disk is full: the request was not applied (reads still work; writes "
          "resume when space is freed)",
          e.what());
    case storage::StorageError::Kind::kGone:
      return ApiError::Internal(
          "localddb's database file was deleted while it was running: writes are refused; "
          "restart localddb",
          e.what());
    case storage::StorageError::Kind::kReadOnly:
      return ApiError::Internal("localddb's database file cannot be written: the request was not applied", e.what());
    case storage::StorageError::Kind::kOther:
      break;
  }
  return ApiError::Internal("Internal server error", e.what());
}

}  // namespace

Outcome OutcomeFromException(std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const ApiError& err) {
    return Outcome::Fail(err);
  } catch (const storage::StorageError& err) {
    return Outcome::Fail(FromStorageError(err));
  } catch (const std::exception& err) {
    return Outcome::Fail(ApiError::Internal("Internal server error", err.what()));
  } catch (...) {
    return Outcome::Fail(ApiError::Internal("Internal server error", "an exception of unknown type"));
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
