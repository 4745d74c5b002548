// Scan: the whole table or index in storage order, or one parallel-scan segment of it (a
// contiguous range of partition hashes, so every item falls in exactly one segment).
#include "api/ops/handlers.h"
#include "api/ops/paged_read.h"
#include "api/value/json_codec.h"

namespace localddb::api {

void Scan(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  input::Violations v;
  auto segment = input::Integer(input, "Segment");
  auto total = input::Integer(input, "TotalSegments");
  input::CheckRange(segment, "segment", 0, 999999, v);
  input::CheckRange(total, "totalSegments", 1, 1000000, v);
  RequestExpressions expressions(input);
  PagedRead read;
  ReadPagedRequest(ctx, input, expressions, "ScanFilter", read, v);
  expressions.Finish();
  if (segment && !total)
    throw ApiError::Validation(
        "The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
  if (total && !segment)
    throw ApiError::Validation(
        "The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
  if (segment && *segment >= *total)
    throw ApiError::Validation(
        "The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
        std::to_string(*segment) + " is not less than TotalSegments: " + std::to_string(*total));
  if (total) {
    const uint64_t space = uint64_t{1} << 32;
    read.range.h_low = static_cast<uint32_t>(space * static_cast<uint64_t>(*segment) / static_cast<uint64_t>(*total));
    read.range.h_high =
        static_cast<uint32_t>(space * static_cast<uint64_t>(*segment + 1) / static_cast<uint64_t>(*total) - 1);
  }
  ApplyExclusiveStartKey(input, read);
  respond(Outcome::Ok(RunPagedRead(ctx, read)));
}

}  // namespace localddb::api
