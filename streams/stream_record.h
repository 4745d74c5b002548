// Stream records: the JSON of one change, in the shape DynamoDB Streams' GetRecords returns and
// AWS Lambda receives (the hook adds eventSourceARN), and DynamoDB-style sequence numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "api/catalog/table_schema.h"

namespace localddb::streams {

// Sequence numbers are 21-digit decimal strings that increase with the global counter.
std::string FormatSequenceNumber(int64_t seq);
// nullopt if text is not a sequence number this server issued.
std::optional<int64_t> ParseSequenceNumber(std::string_view text);

struct Change {
  const value::Item* old_item = nullptr;  // nullptr for INSERT
  const value::Item* new_item = nullptr;  // nullptr for REMOVE
  // The same items as the writer already holds them (wire JSON and DynamoDB size), when it does:
  // the record then splices the JSON instead of serialising and measuring the items again.
  const std::string* old_json = nullptr;
  const std::string* new_json = nullptr;
  size_t old_size = 0, new_size = 0;
  // Made by DynamoDB itself (a TTL expiry): the record says so in userIdentity.
  bool by_service = false;
};

// The record JSON: {"eventID","eventName","eventVersion","eventSource","awsRegion",
// "dynamodb":{ApproximateCreationDateTime, Keys, NewImage?, OldImage?, SequenceNumber, SizeBytes,
// StreamViewType}}. Images follow the table's StreamViewType.
std::string BuildRecord(const api::TableSchema& table, const std::string& region, double now, int64_t seq,
                        const Change& change);

// The record with eventSourceARN added, as Lambda receives it.
std::string WithEventSourceArn(std::string_view record, const std::string& stream_arn);

}  // namespace localddb::streams
