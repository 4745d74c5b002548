// SubmitWrite: the one way an operation hands work to the storage writer and answers later; and
// OutcomeFromException: the one conversion of anything thrown into the answer a client gets.
//
// work runs on the writer thread inside the group's transaction (it may throw ApiError: its own
// writes are rolled back and the error is the answer). Once the transaction has committed,
// output() builds the response body on the writer thread and respond is called with it. If the
// work or the commit fails, on_failure (if given) undoes in-memory effects and respond gets the
// error (see OutcomeFromException).
#pragma once

#include <functional>
#include <string>

#include "api/context.h"
#include "api/outcome.h"

namespace localddb::api {

void SubmitWrite(Context& ctx, Respond respond, std::function<void(storage::WriteTxn&)> work,
                 std::function<std::string()> output, std::function<void()> on_failure = {});

// Converts anything thrown into the Outcome the client gets: an ApiError as it is; a storage
// failure as an InternalServerError that says what the user can do (disk full, database gone);
// anything else as an InternalServerError. What went wrong travels in ApiError::cause(), which
// the router logs with the request id.
Outcome OutcomeFromException(std::exception_ptr e);

}  // namespace localddb::api
