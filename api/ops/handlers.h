// Declarations of every operation handler (one definition per file in api/ops/ and streams/).
#pragma once

#include "api/ops/operation.h"

namespace localddb::api {

#define LOCALDDB_HANDLER(Name) void Name(Context& ctx, const json::Value& input, Respond respond)

// Tables (api/ops/<snake_name>.cc)
LOCALDDB_HANDLER(CreateTable);
LOCALDDB_HANDLER(DescribeTable);
LOCALDDB_HANDLER(ListTables);
LOCALDDB_HANDLER(DeleteTable);
LOCALDDB_HANDLER(UpdateTable);
LOCALDDB_HANDLER(DescribeEndpoints);
LOCALDDB_HANDLER(DescribeLimits);
LOCALDDB_HANDLER(TagResource);
LOCALDDB_HANDLER(UntagResource);
LOCALDDB_HANDLER(ListTagsOfResource);
LOCALDDB_HANDLER(DescribeTimeToLive);
LOCALDDB_HANDLER(UpdateTimeToLive);
// Items
LOCALDDB_HANDLER(PutItem);
LOCALDDB_HANDLER(GetItem);
LOCALDDB_HANDLER(DeleteItem);
LOCALDDB_HANDLER(BatchWriteItem);
LOCALDDB_HANDLER(BatchGetItem);
LOCALDDB_HANDLER(UpdateItem);
LOCALDDB_HANDLER(TransactWriteItems);
LOCALDDB_HANDLER(TransactGetItems);
// Queries
LOCALDDB_HANDLER(Query);
LOCALDDB_HANDLER(Scan);
// Streams (streams/)
LOCALDDB_HANDLER(ListStreams);
LOCALDDB_HANDLER(DescribeStream);
LOCALDDB_HANDLER(GetShardIterator);
LOCALDDB_HANDLER(GetRecords);


}  // namespace localddb::api
