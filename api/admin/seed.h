// Seed data: tables and items from a JSON document, applied all at once or not at all (one writer
// transaction), for --seed and POST /_localddb/seed. Three shapes are read:
//   {"tables": [<CreateTable input>, ...], "items": {"<Table>": [<item>, ...]}}   items in DynamoDB JSON
//   the same with "format": "plain" at the top: items as plain JSON (as DynamoDB's document
//     clients marshal them: strings, numbers, booleans, null, lists, maps)
//   an AWS CLI `batch-write-item --request-items` file: {"<Table>": [{"PutRequest": {"Item": ...}}]}
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

#include "api/context.h"
#include "api/json.h"

namespace localddb::api {

// A document that cannot be applied; the message names the source, the table and the item.
struct SeedError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct SeedSummary {
  int64_t tables = 0;  // created
  int64_t items = 0;   // written
};

// source names the document in messages (a file name, or "request body").
SeedSummary ApplySeed(Context& ctx, const json::Value& document, std::string_view source);

}  // namespace localddb::api
