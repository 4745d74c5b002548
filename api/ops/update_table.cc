// UpdateTable: throughput, billing mode, GSI create (with backfill) / update / delete, stream
// settings and deletion protection. A new TableSchema is built and swapped in after commit.
#include <limits>

#include "api/catalog/describe.h"
#include "api/ops/handlers.h"
#include "api/ops/table_definition.h"
#include "api/ops/table_lookup.h"
#include "api/value/json_codec.h"
#include "api/write/item_key.h"
#include "api/write/item_writer.h"
#include "api/write/submit_write.h"

namespace localddb::api {
namespace {

constexpr std::string_view kInvalid = "One or more parameter values were invalid: ";

// Adds the definitions of a new index's key attributes to the table. Definitions the index does
// not use are dropped, and a conflicting redeclaration of an existing attribute keeps the stored
// type (both as DynamoDB does).
void MergeDefinitions(TableSchema& t, const SecondaryIndex& index) {
  for (const KeyAttribute* k : index.key.All())
    if (!t.DefinedType(k->name)) t.attribute_definitions.push_back(*k);
}

}  // namespace

void UpdateTable(Context& ctx, const json::Value& input, Respond respond) {
  const std::string_view table_name = RequireTableName(input);
  input::Violations v;
  auto definitions =
      input.HasMember("AttributeDefinitions") && !input["AttributeDefinitions"].IsNull()
          ? ReadAttributeDefinitions(input::Array(input, "AttributeDefinitions"), "attributeDefinitions", v)
          : std::vector<KeyAttribute>{};
  auto billing = input::String(input, "BillingMode");
  input::CheckEnum(billing, "billingMode", {"PROVISIONED", "PAY_PER_REQUEST"}, v);
  auto throughput = ReadThroughput(input::Object(input, "ProvisionedThroughput"), "provisionedThroughput", v);
  auto stream = ReadStreamSpecification(input::Object(input, "StreamSpecification"), "streamSpecification", v);
  auto deletion_protection = input::Bool(input, "DeletionProtectionEnabled");
  auto table_class = input::String(input, "TableClass");
  input::CheckEnum(table_class, "tableClass", {"STANDARD", "STANDARD_INFREQUENT_ACCESS"}, v);
  const json::Value* gsi_updates = input::Array(input, "GlobalSecondaryIndexUpdates");
  auto warm = ReadWarmThroughput(input::Object(input, "WarmThroughput"), "warmThroughput", v);
  input::CheckListLength(input::Array(input, "ReplicaUpdates"), "replicaUpdates", 1, std::numeric_limits<size_t>::max(),
                         v);
  v.ThrowIfAny();
  // The request is checked whole before the table is looked up, as DynamoDB does.
  TableSchemaPtr current = RequireTableForTableOp(ctx, table_name);

  const bool on_demand_throughput = input.HasMember("OnDemandThroughput") && !input["OnDemandThroughput"].IsNull();
  if (!billing && !throughput && !stream && !deletion_protection && !table_class && !gsi_updates &&
      !on_demand_throughput && !warm)
    throw ApiError::Validation(
        "At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
        "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");

  auto next = std::make_shared<TableSchema>(*current);
  const double now = ctx.now();
  if (billing && *billing != next->billing_mode) {
    next->billing_mode = std::string(*billing);
    next->billing_mode_changed = now;
  }
  const bool on_demand = next->billing_mode == "PAY_PER_REQUEST";
  if (throughput) {
    if (on_demand)
      throw ApiError::Validation(
          std::string(kInvalid) +
          "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST");
    // Re-sending BillingMode PROVISIONED with the current throughput changes nothing either.
    if (current->billing_mode == "PROVISIONED" && (!billing || *billing == "PROVISIONED") && !gsi_updates && !stream &&
        *throughput == current->throughput)
      throw ApiError::Validation(
          "The provisioned throughput for the table will not change. The requested value equals the current value. "
          "Current ReadCapacityUnits provisioned for the table: " +
          std::to_string(current->throughput.read) +
          ". Requested ReadCapacityUnits: " + std::to_string(throughput->read) +
          ". Current WriteCapacityUnits provisioned for the table: " + std::to_string(current->throughput.write) +
          ". Requested WriteCapacityUnits: " + std::to_string(throughput->write) +
          ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
    next->throughput = *throughput;
  } else if (billing == "PROVISIONED" && current->billing_mode != "PROVISIONED") {
    throw ApiError::Validation(std::string(kInvalid) +
                               "ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
  }
  if (deletion_protection) next->deletion_protection = *deletion_protection;
  if (warm) next->warm = Raised(next->warm, *warm);
  ReadOnDemandThroughput(input, *next);
  if (table_class) next->table_class = std::string(*table_class);
  if (stream) {
    if (stream->enabled && !stream->view_type)
      throw ApiError::Validation(
          "One or more parameter values were invalid: StreamSpecification: StreamViewType must be specified when "
          "StreamEnabled is true");
    if (stream->enabled && current->stream.enabled)
      throw ApiError::Validation("Table already has an enabled stream: " + TableArn(ctx.settings, current->name) +
                                 "/stream/" + current->stream.label);
    if (!stream->enabled && !current->stream.enabled) throw ApiError::Validation("Table already has stream disabled");
    next->stream.enabled = stream->enabled;
    if (!stream->enabled) next->stream.disabled = now;
    if (stream->enabled) {
      // The stream it replaces stays listed and readable (DISABLED) for a day, as on DynamoDB.
      std::erase_if(next->past_streams,
                    [now](const StreamSettings& s) { return now - s.disabled > kPastStreamSeconds; });
      if (current->stream.space != 0 && now - current->stream.disabled <= kPastStreamSeconds)
        next->past_streams.push_back(current->stream);
      next->stream.disabled = 0;
      next->stream.view_type = *stream->view_type;
      // Labels name streams (ARNs end in them): a new one never repeats the last one's, even when a
      // test's clock stands still.
      next->stream.created = std::max(now, current->stream.created + 0.001);
      next->stream.label = NewStreamLabel(next->stream.created);
      next->stream.space = 0;  // a new stream: allocated in the write below
    }
  }

  // Index changes: at most one create or delete per request, as DynamoDB allows.
  std::vector<SecondaryIndex*> created;
  std::vector<SecondaryIndex> deleted;
  if (gsi_updates) {
    for (const auto& u : gsi_updates->GetArray()) {
      input::RequireObject(u);
      if (const json::Value* c = input::Object(u, "Create")) {
        input::Violations cv;
        auto name = input::String(*c, "IndexName");
        input::CheckTableName(name, "globalSecondaryIndexUpdates.1.member.create.indexName", cv);
        auto key = ReadKeySchema(input::Array(*c, "KeySchema"), "globalSecondaryIndexUpdates.1.member.create.keySchema",
                                 cv, true, kMaxGlobalIndexKeyElements);
        auto projection = ReadProjection(input::Object(*c, "Projection"),
                                         "globalSecondaryIndexUpdates.1.member.create.projection", cv);
        auto tp = ReadThroughput(input::Object(*c, "ProvisionedThroughput"),
                                 "globalSecondaryIndexUpdates.1.member.create.provisionedThroughput", cv);
        auto index_warm = ReadWarmThroughput(input::Object(*c, "WarmThroughput"),
                                             "globalSecondaryIndexUpdates.1.member.create.warmThroughput", cv);
        cv.ThrowIfAny();
        if (next->FindIndex(*name))
          throw ApiError::Validation(
              "One or more parameter values were invalid: Index with name: " + std::string(*name) + " already exists");
        SecondaryIndex index;
        index.name = std::string(*name);
        index.global = true;
        // The new index's key attributes must be declared in this request's AttributeDefinitions.
        index.key = ResolveKeySchema(key, definitions, index.name, /*multi_attribute=*/true);
        auto retype = [&](KeyAttribute& k) { k.type = next->DefinedType(k.name).value_or(k.type); };
        retype(index.key.hash);
        if (index.key.range) retype(*index.key.range);
        for (auto* more : {&index.key.more_hash, &index.key.more_range})
          for (KeyAttribute& k : *more) retype(k);
        MergeDefinitions(*next, index);
        index.projection = projection;
        if (!on_demand && !tp)
          throw ApiError::Validation(std::string(kInvalid) +
                                     "ProvisionedThroughput must be specified for index: " + index.name);
        if (tp) index.throughput = *tp;
        if (index_warm) index.warm = *index_warm;
        next->indexes.push_back(std::move(index));
      } else if (const json::Value* d = input::Object(u, "Delete")) {
        auto name = input::String(*d, "IndexName").value_or("");
        auto it = std::find_if(next->indexes.begin(), next->indexes.end(),
                               [&](const SecondaryIndex& i) { return i.global && i.name == name; });
        if (it == next->indexes.end())
          throw ApiError::ResourceNotFound("Requested resource not found: Index: " + std::string(name) + " not found");
        deleted.push_back(*it);
        next->indexes.erase(it);
      } else if (const json::Value* up = input::Object(u, "Update")) {
        auto name = input::String(*up, "IndexName").value_or("");
        auto it = std::find_if(next->indexes.begin(), next->indexes.end(),
                               [&](const SecondaryIndex& i) { return i.global && i.name == name; });
        if (it == next->indexes.end())
          throw ApiError::ResourceNotFound("Requested resource not found: Index: " + std::string(name) + " not found");
        input::Violations uv;
        auto tp = ReadThroughput(input::Object(*up, "ProvisionedThroughput"),
                                 "globalSecondaryIndexUpdates.1.member.update.provisionedThroughput", uv);
        auto index_warm = ReadWarmThroughput(input::Object(*up, "WarmThroughput"),
                                             "globalSecondaryIndexUpdates.1.member.update.warmThroughput", uv);
        uv.ThrowIfAny();
        if (tp) it->throughput = *tp;
        if (index_warm) it->warm = Raised(it->warm, *index_warm);
      }
    }
  }

  SubmitWrite(
      ctx, std::move(respond),
      [&ctx, current, next, deleted](storage::WriteTxn& txn) {
        if (ctx.catalog.Find(current->name) != current)
          throw ApiError::ResourceInUse("Attempt to change a resource which is still in use: Table is being updated: " +
                                        current->name);
        for (const auto& d : deleted) txn.DropSpace(d.space);
        if (next->stream.enabled && next->stream.space == 0) next->stream.space = txn.AllocateId();
        // Backfill every new index from the base table, inside this transaction.
        for (auto& index : next->indexes) {
          if (index.space != 0) continue;
          index.space = txn.AllocateId();
          struct Backfill {
            storage::EntryKey key;
            ItemImage projected;
            int64_t ref;
          };
          std::vector<Backfill> entries;
          storage::Range all = storage::Range::Whole(next->space);
          txn.Scan(all, [&](const storage::EntryView& e) {
            ItemImage image;
            image.item = value::ItemFromJson(e.item);
            image.json = std::string(e.item);
            image.size = e.size;
            storage::EntryKey table_key{e.h, std::string(e.hk), std::string(e.rk), {}};
            if (auto key = IndexEntryKey(index, image.item, table_key))
              entries.push_back({std::move(*key), ProjectForIndex(*next, index, image), e.ref});
            return true;
          });
          // An entry references its base item; a base item from before schema v3 (no ref) gets a
          // copy of its projection inline, as entries had then.
          for (const auto& b : entries)
            txn.PutIndex(index.space, b.key, static_cast<uint32_t>(b.projected.size), b.ref,
                         b.ref ? std::string_view() : std::string_view(b.projected.json));
        }
        txn.PutTable({next->space, next->name, next->ToJson()});
        ctx.catalog.Put(next);
      },
      [&ctx, next]() {
        rapidjson::StringBuffer buf;
        json::Writer w(buf);
        w.StartObject();
        w.Key("TableDescription");
        WriteTableDescription(w, ctx, *next, "UPDATING");
        w.EndObject();
        return std::string(buf.GetString(), buf.GetSize());
      },
      [&ctx, current]() { ctx.catalog.Put(current); });
}

}  // namespace localddb::api
