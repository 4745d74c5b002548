// What the three PartiQL operations share: reading a statement from a request, finding its table,
// running its translation through the operation it stands for, and paging tokens.
#pragma once

#include <string>

#include "api/ops/operation.h"
#include "api/partiql/statement.h"
#include "api/partiql/translate.h"

namespace localddb::api {

// Statement (required, 1 to 8192 characters) and Parameters (1 or more) of one statement request,
// parsed; ValidationException in DynamoDB's words otherwise. path is the member path for
// messages ("statement", or "statements.1.member.statement").
partiql::Statement ReadStatement(const json::Value& request, const std::string& path);

// The statement's table; ResourceNotFoundException if there is none.
TableSchemaPtr StatementTable(Context& ctx, const partiql::Statement& st);

// Runs one translated request (the operation's members plus extra members, JSON without braces)
// through its handler. done gets the handler's outcome (anything thrown becomes one).
void RunTranslation(Context& ctx, const partiql::Translation& t, const std::string& extra, Respond done);

// NextToken: an opaque form of a LastEvaluatedKey, and back (ValidationException if it is not one).
std::string EncodeNextToken(const json::Value& last_evaluated_key);
std::string DecodeNextToken(std::string_view token);

}  // namespace localddb::api
