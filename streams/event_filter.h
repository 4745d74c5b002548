// Lambda's event filtering (FilterCriteria) for stream hooks: a record is delivered if it matches
// any filter; records that match none are skipped, and count as processed, as Lambda does.
//
// A pattern is a JSON object whose members name fields of the record (eventName, dynamodb.Keys,
// dynamodb.NewImage, ...; nested objects descend) and whose leaves are lists of accepted values:
// exact values (strings, numbers, booleans, null), {"prefix": "..."}, {"suffix": "..."},
// {"equals-ignore-case": "..."}, {"anything-but": value or [values] or {"prefix": ...}},
// {"numeric": [">", 0, "<=", 10]} and {"exists": true|false}. All members must match; one value of
// a list is enough. A record field that is a list matches if any element does.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "api/json.h"

namespace localddb::streams {

class EventFilter {
 public:
  // Parses FilterCriteria {"Filters": [{"Pattern": "<JSON text>"}, ...]}; throws
  // std::invalid_argument with what is wrong. No filters: every record passes.
  static EventFilter Parse(const json::Value& criteria);
  EventFilter();
  ~EventFilter();
  EventFilter(EventFilter&&) noexcept;
  EventFilter& operator=(EventFilter&&) noexcept;
  EventFilter(const EventFilter& other);
  EventFilter& operator=(const EventFilter& other);

  bool empty() const { return patterns_.empty(); }
  // record: one stream record as Lambda receives it (JSON object).
  bool Matches(const json::Value& record) const;
  // The criteria as given, for listing.
  const std::string& json() const { return json_; }

 private:
  std::string json_;
  std::vector<std::shared_ptr<json::Document>> patterns_;
};

}  // namespace localddb::streams
