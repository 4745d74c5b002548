// DescribeContributorInsights, UpdateContributorInsights, ListContributorInsights: the setting per
// table and index is kept and described (ENABLED / DISABLED at once: nothing to provision); no
// insight rules produce data locally, so ContributorInsightsRuleList is empty.
#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/ops/table_settings.h"

namespace localddb::api {
namespace {

std::string Status(const TableSchema& t, const std::string& index) {
  json::Document doc;
  ReadTableSettings(t, doc);
  auto it = doc.FindMember("insights");
  if (it == doc.MemberEnd() || !it->value.IsObject()) return "DISABLED";
  auto s = it->value.FindMember(index.c_str());
  return s != it->value.MemberEnd() && s->value.IsString() ? std::string(json::View(s->value)) : "DISABLED";
}

std::string ReadIndex(const TableSchema& t, const json::Value& input) {
  auto index = input::String(input, "IndexName");
  if (!index) return {};
  if (!t.FindIndex(*index))
    throw ApiError::ResourceNotFound("Requested resource not found: Index: " + std::string(*index) +
                                     " not found for table: " + t.name);
  return std::string(*index);
}

void WriteIdentity(json::Writer& w, const TableSchema& t, const std::string& index) {
  w.Key("TableName");
  w.String(t.name.c_str());
  if (!index.empty()) {
    w.Key("IndexName");
    w.String(index.c_str());
  }
}

}  // namespace

void DescribeContributorInsights(Context& ctx, const json::Value& input, Respond respond) {
  TableSchemaPtr t = RequireNamedTable(ctx, input, [&](input::Violations& v) {
    input::CheckTableName(input::String(input, "IndexName"), "indexName", v, false);
  });
  const std::string index = ReadIndex(*t, input);
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  WriteIdentity(w, *t, index);
  w.Key("ContributorInsightsRuleList");
  w.StartArray();
  w.EndArray();
  w.Key("ContributorInsightsStatus");
  w.String(Status(*t, index).c_str());
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

void UpdateContributorInsights(Context& ctx, const json::Value& input, Respond respond) {
  auto action = input::String(input, "ContributorInsightsAction");
  TableSchemaPtr t = RequireNamedTable(ctx, input, [&](input::Violations& v) {
    input::CheckTableName(input::String(input, "IndexName"), "indexName", v, false);
    if (!action) v.Missing("contributorInsightsAction");
    input::CheckEnum(action, "contributorInsightsAction", {"ENABLE", "DISABLE"}, v);
  });
  const std::string index = ReadIndex(*t, input);
  const std::string status = *action == "ENABLE" ? "ENABLED" : "DISABLED";
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  WriteIdentity(w, *t, index);
  w.Key("ContributorInsightsStatus");
  w.String(status.c_str());
  w.EndObject();
  const std::string out(buf.GetString(), buf.GetSize());
  ChangeTableSettings(
      ctx, std::move(respond), t,
      [&](json::Document& doc) {
        json::Value& insights = SettingsObject(doc, "insights");
        insights.RemoveMember(index.c_str());
        insights.AddMember(json::Value(index.c_str(), doc.GetAllocator()),
                           json::Value(status.c_str(), doc.GetAllocator()), doc.GetAllocator());
        return true;
      },
      [out] { return out; });
}

void ListContributorInsights(Context& ctx, const json::Value& input, Respond respond) {
  input::RequireObject(input);
  auto table = input::String(input, "TableName");
  auto max = input::Integer(input, "MaxResults");
  input::Violations v;
  input::CheckRange(max, "maxResults", 0, 100, v);
  v.ThrowIfAny();
  std::vector<TableSchemaPtr> tables;
  if (table)
    tables.push_back(RequireNamedTable(ctx, input));
  else
    tables = ctx.catalog.List();
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("ContributorInsightsSummaries");
  w.StartArray();
  for (const auto& t : tables) {
    std::vector<std::string> names{""};
    for (const auto& i : t->indexes) names.push_back(i.name);
    for (const auto& index : names) {
      const std::string status = Status(*t, index);
      if (!table && status == "DISABLED") continue;  // across tables: the ones with insights on
      w.StartObject();
      WriteIdentity(w, *t, index);
      w.Key("ContributorInsightsStatus");
      w.String(status.c_str());
      w.EndObject();
    }
  }
  w.EndArray();
  w.EndObject();
  respond(Outcome::Ok({buf.GetString(), buf.GetSize()}));
}

}  // namespace localddb::api
