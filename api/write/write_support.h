// SubmitWrite: the one way an operation hands work to the storage writer and answers later.
//
// work runs on the writer thread inside the group's transaction (it may throw ApiError: its own
// writes are rolled back and the error is the answer). Once the transaction has committed,
// output() builds the response body on the writer thread and respond is called with it. If the
// work or the commit fails, on_failure (if given) undoes in-memory effects and respond gets the
// error (a StorageError or anything unexpected becomes InternalServerError, logged by the caller).
#pragma once

#include <functional>
#include <string>

#include "api/context.h"
#include "api/outcome.h"

namespace localddb::api {

void SubmitWrite(Context& ctx, Respond respond, std::function<void(storage::WriteTxn&)> work,
                 std::function<std::string()> output, std::function<void()> on_failure = {});

// Converts any exception into the Outcome the client gets.
Outcome OutcomeFromException(std::exception_ptr e);

}  // namespace localddb::api
