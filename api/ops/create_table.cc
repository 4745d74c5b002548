// CreateTable: validate the definition, allocate storage spaces, write the catalog row, and
// answer with the new TableDescription. Tables are usable at once (localddb has nothing to
// provision), so DescribeTable reports ACTIVE immediately.
#include <set>

#include "api/catalog/describe.h"
#include "api/ops/handlers.h"
#include "api/ops/table_definition.h"
#include "api/write/submit_write.h"

namespace localddb::api {
namespace {

constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";
constexpr size_t kMaxLocalIndexes = 5;
constexpr size_t kMaxGlobalIndexes = 20;

struct IndexRequest {
  std::string name;
  std::vector<RawKeyElement> key;
  Projection projection;
  std::optional<Throughput> throughput;
  std::optional<WarmThroughput> warm;
};

std::vector<IndexRequest> ReadIndexes(const json::Value& in, const char* member, const std::string& path,
                                      input::Violations& v, size_t max_key_elements) {
  std::vector<IndexRequest> out;
  const json::Value* arr = input::Array(in, member);
  if (!arr) return out;
  for (rapidjson::SizeType i = 0; i < arr->Size(); ++i) {
    const json::Value& e = (*arr)[i];
    input::RequireObject(e);
    const std::string p = path + "." + std::to_string(i + 1) + ".member";
    IndexRequest r;
    auto name = input::String(e, "IndexName");
    input::CheckTableName(name, p + ".indexName", v);
    r.name = std::string(name.value_or(""));
    r.key = ReadKeySchema(input::Array(e, "KeySchema"), p + ".keySchema", v, true, max_key_elements);
    r.projection = ReadProjection(input::Object(e, "Projection"), p + ".projection", v);
    r.throughput = ReadThroughput(input::Object(e, "ProvisionedThroughput"), p + ".provisionedThroughput", v);
    r.warm = ReadWarmThroughput(input::Object(e, "WarmThroughput"), p + ".warmThroughput", v);
    out.push_back(std::move(r));
  }
  return out;
}

void CheckProjection(const Projection& p, std::set<std::string>& all_non_key) {
  if (p.type == ProjectionType::kInclude && p.non_key_attributes.empty())
    throw ApiError::Validation(std::string(kInvalid) +
                               "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  if (p.type != ProjectionType::kInclude && !p.non_key_attributes.empty())
    throw ApiError::Validation(std::string(kInvalid) +
                               "NonKeyAttributes must not be specified when ProjectionType is " +
                               (p.type == ProjectionType::kAll ? "ALL" : "KEYS_ONLY"));
  for (const auto& a : p.non_key_attributes) all_non_key.insert(a);
  if (all_non_key.size() > 100)
    throw ApiError::Validation(std::string(kInvalid) +
                               "The sum of all NonKeyAttributes across all indexes is greater than 100");
}

}  // namespace

std::shared_ptr<TableSchema> ReadTableDefinition(const Context& ctx, const json::Value& input) {
  input::RequireObject(input);
  input::Violations v;
  auto definitions = ReadAttributeDefinitions(input::Array(input, "AttributeDefinitions"), "attributeDefinitions", v);
  auto name = input::String(input, "TableName");
  if (name) input::CheckTableName(name, "tableName", v);
  auto key = ReadKeySchema(input::Array(input, "KeySchema"), "keySchema", v);
  // DynamoDB reports GSI violations before LSI ones, whatever the request's order.
  auto gsis = ReadIndexes(input, "GlobalSecondaryIndexes", "globalSecondaryIndexes", v, kMaxGlobalIndexKeyElements);
  auto lsis = ReadIndexes(input, "LocalSecondaryIndexes", "localSecondaryIndexes", v, kMaxKeyElements);
  auto billing = input::String(input, "BillingMode");
  input::CheckEnum(billing, "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"}, v);
  auto throughput = ReadThroughput(input::Object(input, "ProvisionedThroughput"), "provisionedThroughput", v);
  auto stream = ReadStreamSpecification(input::Object(input, "StreamSpecification"), "streamSpecification", v);
  auto warm = ReadWarmThroughput(input::Object(input, "WarmThroughput"), "warmThroughput", v);
  auto table_class = input::String(input, "TableClass");
  input::CheckEnum(table_class, "tableClass", {"STANDARD", "STANDARD_INFREQUENT_ACCESS"}, v);
  auto deletion_protection = input::Bool(input, "DeletionProtectionEnabled");
  const json::Value* sse = input::Object(input, "SSESpecification");
  const json::Value* tags = input::Array(input, "Tags");
  // A missing TableName is reported alone, before any other constraint (but after the shape of
  // every member, which the accessors above check).
  if (!name) throw input::RequiredParameterMissing("TableName");
  v.ThrowIfAny();

  const bool on_demand = billing == "PAY_PER_REQUEST";
  if (on_demand && throughput)
    throw ApiError::Validation(
        std::string(kInvalid) +
        "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
  if (!on_demand && !throughput)
    throw ApiError::Validation(
        std::string(kInvalid) +
        "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");

  auto schema = std::make_shared<TableSchema>();
  schema->name = std::string(*name);
  if (warm) schema->warm = *warm;
  schema->key = ResolveKeySchema(key, definitions, "");
  {
    std::set<std::string> seen;
    for (const auto& d : definitions)
      if (!seen.insert(d.name).second)
        throw ApiError::Validation(std::string(kInvalid) +
                                   "Duplicate AttributeName in AttributeDefinitions: " + d.name);
  }
  schema->attribute_definitions = definitions;

  if (!lsis.empty() && !schema->key.range)
    throw ApiError::Validation(
        std::string(kInvalid) +
        "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex");
  if (lsis.size() > kMaxLocalIndexes)
    throw ApiError::Validation(std::string(kInvalid) + "Number of LocalSecondaryIndexes exceeds per-table limit of 5");
  if (gsis.size() > kMaxGlobalIndexes)
    throw ApiError::LimitExceeded("GlobalSecondaryIndex count exceeds the per-table limit of 20");

  std::set<std::string> index_names, non_key, used_attributes;
  used_attributes.insert(schema->key.hash.name);
  if (schema->key.range) used_attributes.insert(schema->key.range->name);
  for (bool global : {false, true}) {
    for (auto& r : global ? gsis : lsis) {
      if (!index_names.insert(r.name).second)
        throw ApiError::Validation(std::string(kInvalid) + "Duplicate index name: " + r.name);
      SecondaryIndex index;
      index.name = r.name;
      index.global = global;
      index.key = ResolveKeySchema(r.key, definitions, r.name, /*multi_attribute=*/global);
      if (!global) {
        if (!index.key.range)
          throw ApiError::Validation(std::string(kInvalid) +
                                     "Index KeySchema does not have a range key for index: " + r.name);
        if (index.key.hash.name != schema->key.hash.name)
          throw ApiError::Validation(
              std::string(kInvalid) +
              "Index KeySchema does not have the same leading hash key as table KeySchema for index: " + r.name +
              ". index hash key: " + index.key.hash.name + ", table hash key: " + schema->key.hash.name);
      }
      CheckProjection(r.projection, non_key);
      index.projection = r.projection;
      if (global) {
        if (on_demand && r.throughput)
          throw ApiError::Validation(std::string(kInvalid) +
                                     "ProvisionedThroughput should not be specified for index: " + r.name +
                                     " when BillingMode is PAY_PER_REQUEST");
        if (!on_demand && !r.throughput)
          throw ApiError::Validation(std::string(kInvalid) +
                                     "ProvisionedThroughput must be specified for index: " + r.name);
        if (r.throughput) index.throughput = *r.throughput;
        if (r.warm) index.warm = *r.warm;
      }
      for (const KeyAttribute* k : index.key.All()) used_attributes.insert(k->name);
      schema->indexes.push_back(std::move(index));
    }
  }
  if (used_attributes.size() != definitions.size())
    throw ApiError::Validation(std::string(kInvalid) +
                               "Number of attributes in KeySchema does not exactly match number of attributes defined "
                               "in AttributeDefinitions");

  schema->billing_mode = on_demand ? "PAY_PER_REQUEST" : "PROVISIONED";
  if (throughput) schema->throughput = *throughput;
  const double now = ctx.now();
  if (stream) {
    if (stream->enabled && !stream->view_type)
      throw ApiError::Validation(
          "One or more parameter values were invalid: StreamSpecification: StreamViewType must be specified when "
          "StreamEnabled is true");
    if (!stream->enabled && stream->view_type)
      throw ApiError::Validation(
          "One or more parameter values were invalid: StreamSpecification: StreamViewType should not be specified when "
          "StreamEnabled is false");
    if (stream->enabled) {
      schema->stream.enabled = true;
      schema->stream.view_type = *stream->view_type;
      schema->stream.label = NewStreamLabel(now);
      schema->stream.created = now;
    }
  }
  schema->table_class = std::string(table_class.value_or("STANDARD"));
  schema->deletion_protection = deletion_protection.value_or(false);
  if (sse) {
    schema->sse_enabled = input::Bool(*sse, "Enabled").value_or(false);
    schema->sse_type = std::string(input::String(*sse, "SSEType").value_or(schema->sse_enabled ? "KMS" : ""));
    schema->sse_kms_key_id = std::string(input::String(*sse, "KMSMasterKeyId").value_or(""));
  }
  if (tags) {
    for (const auto& t : tags->GetArray()) {
      input::RequireObject(t);
      schema->tags.emplace_back(std::string(input::String(t, "Key").value_or("")),
                                std::string(input::String(t, "Value").value_or("")));
    }
  }
  ReadOnDemandThroughput(input, *schema);
  schema->table_id = NewUuid();
  schema->creation_time = now;

  return schema;
}

void CreateTableInTxn(Context& ctx, storage::WriteTxn& txn, const std::shared_ptr<TableSchema>& schema) {
  if (ctx.catalog.Find(schema->name)) throw ApiError::ResourceInUse("Table already exists: " + schema->name);
  schema->space = txn.AllocateId();
  for (auto& i : schema->indexes) i.space = txn.AllocateId();
  if (schema->stream.enabled) schema->stream.space = txn.AllocateId();
  txn.PutTable({schema->space, schema->name, schema->ToJson()});
  // Published inside the writer so that a later write in the same group sees it; a failed commit
  // removes it again (the caller's failure path).
  ctx.catalog.Put(schema);
}

void CreateTable(Context& ctx, const json::Value& input, Respond respond) {
  std::shared_ptr<TableSchema> schema = ReadTableDefinition(ctx, input);
  if (ctx.catalog.Find(schema->name)) throw ApiError::ResourceInUse("Table already exists: " + schema->name);
  // Ids and the catalog row are written by the single writer; the name check is repeated there,
  // where it cannot race with another CreateTable.
  SubmitWrite(
      ctx, std::move(respond), [&ctx, schema](storage::WriteTxn& txn) { CreateTableInTxn(ctx, txn, schema); },
      [&ctx, schema]() {
        rapidjson::StringBuffer buf;
        json::Writer w(buf);
        w.StartObject();
        w.Key("TableDescription");
        WriteTableDescription(w, ctx, *schema, "CREATING", false);
        w.EndObject();
        return std::string(buf.GetString(), buf.GetSize());
      },
      [&ctx, schema]() { ctx.catalog.Remove(schema->name); });
}

}  // namespace localddb::api
