#include "server/fault_actions.h"

#include <algorithm>
#include <map>
#include <set>

#include "api/ops/transactions.h"

namespace localddb::server {
namespace {

// Takes the unprocessed items out of a batch request; returns them as the answer member's value.
std::string TakeOut(const FaultDecision& d, std::string_view operation, json::Document& request) {
  const bool get = operation == "BatchGetItem";
  std::map<std::string, std::set<size_t>> chosen;
  for (const auto& [table, position] : d.unprocessed_items) chosen[table].insert(position);
  json::Document out;
  out.SetObject();
  auto& alloc = out.GetAllocator();
  auto items = request.FindMember("RequestItems");
  if (items == request.MemberEnd() || !items->value.IsObject()) return "{}";
  std::vector<std::string> emptied;
  for (auto t = items->value.MemberBegin(); t != items->value.MemberEnd(); ++t) {
    const std::string table(json::View(t->name));
    auto it = chosen.find(table);
    if (it == chosen.end()) continue;
    json::Value* list = &t->value;
    if (get) {
      auto keys = t->value.FindMember("Keys");
      if (keys == t->value.MemberEnd() || !keys->value.IsArray()) continue;
      list = &keys->value;
    }
    if (!list->IsArray()) continue;
    json::Value taken(rapidjson::kArrayType);
    // From the back, so the positions still name the same elements.
    for (auto p = it->second.rbegin(); p != it->second.rend(); ++p) {
      if (*p >= list->Size()) continue;
      json::Value copy((*list)[static_cast<rapidjson::SizeType>(*p)], alloc);
      taken.PushBack(copy, alloc);
      list->Erase(list->Begin() + static_cast<rapidjson::SizeType>(*p));
    }
    std::reverse(taken.Begin(), taken.End());
    json::Value name(table.c_str(), static_cast<rapidjson::SizeType>(table.size()), alloc);
    if (get) {
      // The table's other members (ProjectionExpression, ...) go with its keys, as DynamoDB returns them.
      json::Value entry(t->value, alloc);
      entry["Keys"] = taken;
      out.AddMember(name, entry, alloc);
    } else {
      out.AddMember(name, taken, alloc);
    }
    if (list->Empty()) emptied.push_back(table);
  }
  for (const auto& table : emptied) items->value.RemoveMember(table.c_str());
  return json::Dump(out);
}

}  // namespace

PreparedFault PrepareFault(const FaultDecision& d, std::string_view operation, json::Document& request) {
  PreparedFault p;
  if (d.error) {
    p.answer = d.error;
    return p;
  }
  if (d.transaction_conflict) {
    if (operation == "TransactWriteItems" || operation == "TransactGetItems") {
      // The items under the rule conflict; the others would have gone through.
      size_t n = 0;
      if (auto it = request.FindMember("TransactItems"); it != request.MemberEnd() && it->value.IsArray())
        n = it->value.Size();
      std::vector<api::CancellationReason> reasons(n);
      for (size_t position : d.conflicted)
        if (position < n) reasons[position] = {"TransactionConflict", "Transaction is ongoing for the item", {}};
      if (d.conflicted.empty())
        for (auto& r : reasons) r = {"TransactionConflict", "Transaction is ongoing for the item", {}};
      p.answer = api::TransactionCanceled(reasons);
    } else {
      p.answer = api::ApiError(api::ErrorKind::kTransactionConflict, "Transaction is ongoing for the item");
    }
    return p;
  }
  if (d.unprocessed && (operation == "BatchWriteItem" || operation == "BatchGetItem")) {
    p.unprocessed_member = operation == "BatchWriteItem" ? "UnprocessedItems" : "UnprocessedKeys";
    p.unprocessed_json = TakeOut(d, operation, request);
    auto items = request.FindMember("RequestItems");
    if (items != request.MemberEnd() && items->value.IsObject() && items->value.MemberCount() == 0) {
      // Nothing left to apply: DynamoDB answers with everything unprocessed.
      p.body = "{\"" + p.unprocessed_member + "\":" + p.unprocessed_json +
               (operation == "BatchGetItem" ? ",\"Responses\":{}}" : "}");
    }
  }
  return p;
}

std::string MergeUnprocessed(const std::string& body, const PreparedFault& p) {
  if (p.unprocessed_member.empty() || p.body) return body;
  json::Document doc;
  if (json::Parse(doc, body) != json::ParseStatus::kOk || !doc.IsObject()) return body;
  json::Document unprocessed;
  json::Parse(unprocessed, p.unprocessed_json);
  json::Value value(unprocessed, doc.GetAllocator());
  if (auto it = doc.FindMember(p.unprocessed_member.c_str()); it != doc.MemberEnd())
    it->value = value;
  else
    doc.AddMember(json::Value(p.unprocessed_member.c_str(), doc.GetAllocator()), value, doc.GetAllocator());
  return json::Dump(doc);
}

void MarkResponse(Response& res, const FaultDecision& d) {
  if (d.latency_ms > 0) res.set(kDelayMarker, std::to_string(d.latency_ms));
  if (d.drop_connection) res.set(kDropMarker, "1");
  if (d.bad_crc) {
    // A checksum that does not match the body: SDKs treat it as corruption in transit, and retry.
    const std::string crc(res["x-amz-crc32"]);
    res.set("x-amz-crc32", std::to_string((crc.empty() ? 0ull : std::stoull(crc)) + 1));
  }
}

}  // namespace localddb::server
