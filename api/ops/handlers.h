// Declarations of every operation handler, each defined in api/ops/<snake_name>.cc. Every one has
// the Handler signature (api/ops/operation.h).
#pragma once

#include "api/input/request.h"
#include "api/ops/operation.h"

namespace localddb::api {

// Tables (api/ops/<snake_name>.cc)
void CreateTable(Context& ctx, const json::Value& input, Respond respond);
void DescribeTable(Context& ctx, const json::Value& input, Respond respond);
void ListTables(Context& ctx, const json::Value& input, Respond respond);
void DeleteTable(Context& ctx, const json::Value& input, Respond respond);
void UpdateTable(Context& ctx, const json::Value& input, Respond respond);
void DescribeEndpoints(Context& ctx, const json::Value& input, Respond respond);
void DescribeLimits(Context& ctx, const json::Value& input, Respond respond);
void TagResource(Context& ctx, const json::Value& input, Respond respond);
void UntagResource(Context& ctx, const json::Value& input, Respond respond);
void ListTagsOfResource(Context& ctx, const json::Value& input, Respond respond);
void DescribeTimeToLive(Context& ctx, const json::Value& input, Respond respond);
void UpdateTimeToLive(Context& ctx, const json::Value& input, Respond respond);
// Items
void PutItem(Context& ctx, const json::Value& input, Respond respond);
void GetItem(Context& ctx, const json::Value& input, Respond respond);
void DeleteItem(Context& ctx, const json::Value& input, Respond respond);
void BatchWriteItem(Context& ctx, const json::Value& input, Respond respond);
void BatchGetItem(Context& ctx, const json::Value& input, Respond respond);
void UpdateItem(Context& ctx, const json::Value& input, Respond respond);
void TransactWriteItems(Context& ctx, const json::Value& input, Respond respond);
void TransactGetItems(Context& ctx, const json::Value& input, Respond respond);
// Queries
void Query(Context& ctx, const json::Value& input, Respond respond);
void Scan(Context& ctx, const json::Value& input, Respond respond);
// Backups and point-in-time recovery
void CreateBackup(Context& ctx, const json::Value& input, Respond respond);
void DescribeBackup(Context& ctx, const json::Value& input, Respond respond);
void ListBackups(Context& ctx, const json::Value& input, Respond respond);
void DeleteBackup(Context& ctx, const json::Value& input, Respond respond);
void RestoreTableFromBackup(Context& ctx, const json::Value& input, Respond respond);
void RestoreTableToPointInTime(Context& ctx, const json::Value& input, Respond respond);
void DescribeContinuousBackups(Context& ctx, const json::Value& input, Respond respond);
void UpdateContinuousBackups(Context& ctx, const json::Value& input, Respond respond);
// Exports to and imports from the directory standing in for S3 (--s3-dir)
void ExportTableToPointInTime(Context& ctx, const json::Value& input, Respond respond);
void DescribeExport(Context& ctx, const json::Value& input, Respond respond);
void ListExports(Context& ctx, const json::Value& input, Respond respond);
void ImportTable(Context& ctx, const json::Value& input, Respond respond);
void DescribeImport(Context& ctx, const json::Value& input, Respond respond);
void ListImports(Context& ctx, const json::Value& input, Respond respond);
// Stored and described, not acted on (resource policies, Contributor Insights, Kinesis), and
// global tables as DynamoDB answers for a table without replicas
void PutResourcePolicy(Context& ctx, const json::Value& input, Respond respond);
void GetResourcePolicy(Context& ctx, const json::Value& input, Respond respond);
void DeleteResourcePolicy(Context& ctx, const json::Value& input, Respond respond);
void DescribeContributorInsights(Context& ctx, const json::Value& input, Respond respond);
void UpdateContributorInsights(Context& ctx, const json::Value& input, Respond respond);
void ListContributorInsights(Context& ctx, const json::Value& input, Respond respond);
void EnableKinesisStreamingDestination(Context& ctx, const json::Value& input, Respond respond);
void DisableKinesisStreamingDestination(Context& ctx, const json::Value& input, Respond respond);
void UpdateKinesisStreamingDestination(Context& ctx, const json::Value& input, Respond respond);
void DescribeKinesisStreamingDestination(Context& ctx, const json::Value& input, Respond respond);
void DescribeGlobalTable(Context& ctx, const json::Value& input, Respond respond);
void DescribeGlobalTableSettings(Context& ctx, const json::Value& input, Respond respond);
void UpdateGlobalTable(Context& ctx, const json::Value& input, Respond respond);
void UpdateGlobalTableSettings(Context& ctx, const json::Value& input, Respond respond);
void CreateGlobalTable(Context& ctx, const json::Value& input, Respond respond);
void ListGlobalTables(Context& ctx, const json::Value& input, Respond respond);
void DescribeTableReplicaAutoScaling(Context& ctx, const json::Value& input, Respond respond);
void UpdateTableReplicaAutoScaling(Context& ctx, const json::Value& input, Respond respond);
// PartiQL (api/partiql: parsed, then run as the operations above)
void ExecuteStatement(Context& ctx, const json::Value& input, Respond respond);
void BatchExecuteStatement(Context& ctx, const json::Value& input, Respond respond);
void ExecuteTransaction(Context& ctx, const json::Value& input, Respond respond);
// DynamoDB Streams
void ListStreams(Context& ctx, const json::Value& input, Respond respond);
void DescribeStream(Context& ctx, const json::Value& input, Respond respond);
void GetShardIterator(Context& ctx, const json::Value& input, Respond respond);
void GetRecords(Context& ctx, const json::Value& input, Respond respond);

}  // namespace localddb::api
