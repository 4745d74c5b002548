#include <array>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>

#include "api/ops/handlers.h"
#include "api/write/submit_write.h"

namespace localddb::api {
namespace {

constexpr std::string_view kDynamoPrefix = "DynamoDB_20120810.";
constexpr std::string_view kStreamsPrefix = "DynamoDBStreams_20120810.";

// Every operation, one line each. Keep sorted by service, then name. The value layer is the
// wording of attribute-value errors DynamoDB uses in that operation (captured, 2026).
constexpr Operation kOperations[] = {
    {"BatchExecuteStatement", Service::kDynamoDB, &BatchExecuteStatement, value::ValueLayer::kOlder},
    {"BatchGetItem", Service::kDynamoDB, &BatchGetItem},
    {"BatchWriteItem", Service::kDynamoDB, &BatchWriteItem, value::ValueLayer::kOlder},
    {"CreateBackup", Service::kDynamoDB, &CreateBackup},
    {"CreateGlobalTable", Service::kDynamoDB, &CreateGlobalTable},
    {"CreateTable", Service::kDynamoDB, &CreateTable},
    {"DeleteBackup", Service::kDynamoDB, &DeleteBackup},
    {"DeleteItem", Service::kDynamoDB, &DeleteItem, value::ValueLayer::kEnveloped},
    {"DeleteResourcePolicy", Service::kDynamoDB, &DeleteResourcePolicy},
    {"DeleteTable", Service::kDynamoDB, &DeleteTable},
    {"DescribeBackup", Service::kDynamoDB, &DescribeBackup},
    {"DescribeContinuousBackups", Service::kDynamoDB, &DescribeContinuousBackups},
    {"DescribeContributorInsights", Service::kDynamoDB, &DescribeContributorInsights},
    {"DescribeEndpoints", Service::kDynamoDB, &DescribeEndpoints},
    {"DescribeExport", Service::kDynamoDB, &DescribeExport},
    {"DescribeGlobalTable", Service::kDynamoDB, &DescribeGlobalTable},
    {"DescribeGlobalTableSettings", Service::kDynamoDB, &DescribeGlobalTableSettings},
    {"DescribeImport", Service::kDynamoDB, &DescribeImport},
    {"DescribeKinesisStreamingDestination", Service::kDynamoDB, &DescribeKinesisStreamingDestination},
    {"DescribeLimits", Service::kDynamoDB, &DescribeLimits},
    {"DescribeTable", Service::kDynamoDB, &DescribeTable},
    {"DescribeTableReplicaAutoScaling", Service::kDynamoDB, &DescribeTableReplicaAutoScaling},
    {"DescribeTimeToLive", Service::kDynamoDB, &DescribeTimeToLive},
    {"DisableKinesisStreamingDestination", Service::kDynamoDB, &DisableKinesisStreamingDestination},
    {"EnableKinesisStreamingDestination", Service::kDynamoDB, &EnableKinesisStreamingDestination},
    {"ExecuteStatement", Service::kDynamoDB, &ExecuteStatement, value::ValueLayer::kOlder},
    {"ExecuteTransaction", Service::kDynamoDB, &ExecuteTransaction, value::ValueLayer::kOlder},
    {"ExportTableToPointInTime", Service::kDynamoDB, &ExportTableToPointInTime},
    {"GetItem", Service::kDynamoDB, &GetItem},
    {"GetResourcePolicy", Service::kDynamoDB, &GetResourcePolicy},
    {"ImportTable", Service::kDynamoDB, &ImportTable},
    {"ListBackups", Service::kDynamoDB, &ListBackups},
    {"ListContributorInsights", Service::kDynamoDB, &ListContributorInsights},
    {"ListExports", Service::kDynamoDB, &ListExports},
    {"ListGlobalTables", Service::kDynamoDB, &ListGlobalTables},
    {"ListImports", Service::kDynamoDB, &ListImports},
    {"ListTables", Service::kDynamoDB, &ListTables},
    {"ListTagsOfResource", Service::kDynamoDB, &ListTagsOfResource},
    {"PutItem", Service::kDynamoDB, &PutItem, value::ValueLayer::kEnveloped},
    {"PutResourcePolicy", Service::kDynamoDB, &PutResourcePolicy},
    {"Query", Service::kDynamoDB, &Query},
    {"RestoreTableFromBackup", Service::kDynamoDB, &RestoreTableFromBackup},
    {"RestoreTableToPointInTime", Service::kDynamoDB, &RestoreTableToPointInTime},
    {"Scan", Service::kDynamoDB, &Scan, value::ValueLayer::kOlder},
    {"TagResource", Service::kDynamoDB, &TagResource},
    {"TransactGetItems", Service::kDynamoDB, &TransactGetItems},
    {"TransactWriteItems", Service::kDynamoDB, &TransactWriteItems, value::ValueLayer::kBare},
    {"UntagResource", Service::kDynamoDB, &UntagResource},
    {"UpdateContinuousBackups", Service::kDynamoDB, &UpdateContinuousBackups},
    {"UpdateContributorInsights", Service::kDynamoDB, &UpdateContributorInsights},
    {"UpdateGlobalTable", Service::kDynamoDB, &UpdateGlobalTable},
    {"UpdateGlobalTableSettings", Service::kDynamoDB, &UpdateGlobalTableSettings},
    {"UpdateItem", Service::kDynamoDB, &UpdateItem, value::ValueLayer::kEnveloped},
    {"UpdateKinesisStreamingDestination", Service::kDynamoDB, &UpdateKinesisStreamingDestination},
    {"UpdateTable", Service::kDynamoDB, &UpdateTable},
    {"UpdateTableReplicaAutoScaling", Service::kDynamoDB, &UpdateTableReplicaAutoScaling},
    {"UpdateTimeToLive", Service::kDynamoDB, &UpdateTimeToLive},
    {"DescribeStream", Service::kStreams, &DescribeStream},
    {"GetRecords", Service::kStreams, &GetRecords},
    {"GetShardIterator", Service::kStreams, &GetShardIterator},
    {"ListStreams", Service::kStreams, &ListStreams},
};

}  // namespace

const Operation* AllOperations(size_t* count) {
  *count = std::size(kOperations);
  return kOperations;
}

const Operation* FindOperation(std::string_view target) {
  Service service;
  if (target.starts_with(kDynamoPrefix)) {
    service = Service::kDynamoDB;
    target.remove_prefix(kDynamoPrefix.size());
  } else if (target.starts_with(kStreamsPrefix)) {
    service = Service::kStreams;
    target.remove_prefix(kStreamsPrefix.size());
  } else {
    return nullptr;
  }
  for (const auto& op : kOperations)
    if (op.service == service && op.name == target && op.handler != nullptr) return &op;
  return nullptr;
}

Outcome RunSync(Context& ctx, const Operation& op, const json::Value& input) {
  value::ScopedValueLayer layer(op.value_layer);
  auto promise = std::make_shared<std::promise<Outcome>>();
  auto future = promise->get_future();
  auto responded = std::make_shared<std::atomic<bool>>(false);
  Respond respond = [promise, responded](Outcome o) {
    if (!responded->exchange(true)) promise->set_value(std::move(o));
  };
  try {
    op.handler(ctx, input, respond);
  } catch (...) {
    respond(OutcomeFromException(std::current_exception()));
  }
  return future.get();
}

}  // namespace localddb::api
