#include "api/admin/seed.h"

#include <charconv>
#include <future>
#include <vector>

#include "api/error.h"
#include "api/ops/table_definition.h"
#include "api/ops/write_request.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"
#include "api/write/item_change.h"

namespace localddb::api {
namespace {

// A plain JSON value as DynamoDB's document clients marshal it.
value::AttributeValue FromPlain(const json::Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return value::AttributeValue::Null();
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return value::AttributeValue::Bool(v.GetBool());
    case rapidjson::kStringType:
      return value::AttributeValue::S(std::string(json::View(v)));
    case rapidjson::kNumberType: {
      // The shortest text that reads back as the same double: 0.1 stays "0.1", as a document
      // client sends it (not "0.10000000000000001").
      char buf[40];
      char* end = v.IsInt64()    ? std::to_chars(buf, buf + sizeof buf, v.GetInt64()).ptr
                  : v.IsUint64() ? std::to_chars(buf, buf + sizeof buf, v.GetUint64()).ptr
                                 : std::to_chars(buf, buf + sizeof buf, v.GetDouble()).ptr;
      const std::string text(buf, end);
      std::string error;
      auto d = value::Decimal::Parse(text, &error);
      if (!d) throw ApiError::Validation("the number " + text + " cannot be stored: " + error);
      return value::AttributeValue::N(*d);
    }
    case rapidjson::kArrayType: {
      value::List list;
      for (const auto& e : v.GetArray()) list.push_back(FromPlain(e));
      return value::AttributeValue::L(std::move(list));
    }
    case rapidjson::kObjectType: {
      value::Item map;
      for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
        map.insert_or_assign(std::string(json::View(it->name)), FromPlain(it->value));
      return value::AttributeValue::M(std::move(map));
    }
  }
  return value::AttributeValue::Null();
}

value::Item PlainItem(const json::Value& v) {
  if (!v.IsObject()) throw ApiError::Validation("an item must be a JSON object");
  value::Item item;
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it)
    item.insert_or_assign(std::string(json::View(it->name)), FromPlain(it->value));
  if (value::NestingDepth(item) > value::kMaxNestingDepth) throw value::NestingLimitExceeded();
  return item;
}

struct PendingItem {
  std::string table;
  size_t index = 0;
  const json::Value* json = nullptr;
};

}  // namespace

SeedSummary ApplySeed(Context& ctx, const json::Value& document, std::string_view source) {
  const std::string where = "seed " + std::string(source);
  if (!document.IsObject()) throw SeedError(where + ": expected a JSON object");
  const bool cli_file = !document.HasMember("tables") && !document.HasMember("items") && !document.HasMember("format");
  bool plain = false;
  if (auto it = document.FindMember("format"); it != document.MemberEnd()) {
    if (!it->value.IsString() || (json::View(it->value) != "plain" && json::View(it->value) != "dynamodb"))
      throw SeedError(where + ": \"format\" is \"plain\" or \"dynamodb\"");
    plain = json::View(it->value) == "plain";
  }

  // Everything is read and checked first; the writer then applies it in one transaction.
  std::vector<std::shared_ptr<TableSchema>> tables;
  if (auto it = document.FindMember("tables"); it != document.MemberEnd()) {
    if (!it->value.IsArray()) throw SeedError(where + ": \"tables\" is a list of CreateTable inputs");
    for (rapidjson::SizeType i = 0; i < it->value.Size(); ++i) {
      try {
        tables.push_back(ReadTableDefinition(ctx, it->value[i]));
      } catch (const ApiError& e) {
        throw SeedError(where + ": table " + std::to_string(i) + ": " + e.message());
      }
    }
  }
  std::vector<PendingItem> pending;
  auto collect = [&](std::string_view table, const json::Value& list, bool requests) {
    if (!list.IsArray()) throw SeedError(where + ": table " + std::string(table) + ": expected a list of items");
    for (rapidjson::SizeType i = 0; i < list.Size(); ++i) {
      const json::Value* item = &list[i];
      if (requests) {  // {"PutRequest": {"Item": ...}}; a DeleteRequest has nothing to seed
        if (!item->IsObject())
          throw SeedError(where + ": table " + std::string(table) + ", item " + std::to_string(i) +
                          ": expected a PutRequest");
        auto put = item->FindMember("PutRequest");
        if (put == item->MemberEnd()) continue;
        if (!put->value.IsObject() || !put->value.HasMember("Item"))
          throw SeedError(where + ": table " + std::string(table) + ", item " + std::to_string(i) +
                          ": PutRequest without an Item");
        item = &put->value["Item"];
      }
      pending.push_back({std::string(table), i, item});
    }
  };
  if (cli_file) {
    for (auto it = document.MemberBegin(); it != document.MemberEnd(); ++it)
      collect(json::View(it->name), it->value, true);
  } else if (auto it = document.FindMember("items"); it != document.MemberEnd()) {
    if (!it->value.IsObject()) throw SeedError(where + ": \"items\" maps table names to lists of items");
    for (auto t = it->value.MemberBegin(); t != it->value.MemberEnd(); ++t)
      collect(json::View(t->name), t->value, false);
  }

  SeedSummary summary{static_cast<int64_t>(tables.size()), static_cast<int64_t>(pending.size())};
  std::vector<std::shared_ptr<TableSchema>> published;  // to take back out of the catalog on failure
  auto undo = [&] {
    for (const auto& t : published) ctx.catalog.Remove(t->name);
    published.clear();
  };
  try {
    ctx.db.Write([&](storage::WriteTxn& txn) {
      try {
        for (const auto& t : tables) {
          try {
            CreateTableInTxn(ctx, txn, t);
          } catch (const ApiError& e) {
            throw SeedError(where + ": table " + t->name + ": " + e.message());
          }
          published.push_back(t);
        }
        for (const auto& p : pending) {
          try {
            TableSchemaPtr table = ctx.catalog.Find(p.table);
            if (!table) throw ApiError::ResourceNotFound("no such table (create it in \"tables\", or before seeding)");
            storage::EntryKey key;
            ItemImage image =
                plain ? ImageOfNewItem(*table, PlainItem(*p.json), &key) : ParseNewItem(*table, *p.json, &key);
            PutChange change(table, std::move(key), WriteCondition{}, std::move(image), false);
            StagedChange staged = Stage(ctx, txn, change, table);
            WriteStaged(ctx, txn, staged);
          } catch (const ApiError& e) {
            throw SeedError(where + ": table " + p.table + ", item " + std::to_string(p.index) + ": " + e.message());
          }
        }
      } catch (...) {
        undo();
        throw;
      }
    });
  } catch (const SeedError&) {
    throw;
  } catch (const std::exception& e) {
    undo();
    throw SeedError(where + ": " + e.what());
  }
  return summary;
}

}  // namespace localddb::api
