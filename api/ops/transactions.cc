#include "api/ops/transactions.h"

#include "api/input/request.h"

namespace localddb::api {

const json::Value& RequireTransactItems(const json::Value& input) {
  const json::Value* items = input::Array(input, "TransactItems");
  if (!items) {
    input::Violations v;
    v.Missing("transactItems");
    v.ThrowIfAny();
  }
  if (items->Empty())
    throw ApiError::Validation(
        "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy constraint: Member must have "
        "length greater than or equal to 1");
  if (items->Size() > 100)
    throw ApiError::Validation(
        "1 validation error detected: Value at 'TransactItems' failed to satisfy constraint: Member must have "
        "length less than or equal to 100");
  return *items;
}

ApiError TransactionCanceled(const std::vector<CancellationReason>& reasons) {
  std::string summary;
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartArray();
  for (const auto& r : reasons) {
    if (!summary.empty()) summary += ", ";
    summary += r.code;
    w.StartObject();
    if (!r.item_json.empty()) {
      w.Key("Item");
      json::WriteRaw(w, buf, r.item_json);
    }
    w.Key("Code");
    w.String(r.code);
    if (!r.message.empty()) {
      w.Key("Message");
      w.String(r.message);
    }
    w.EndObject();
  }
  w.EndArray();
  ApiError e("TransactionCanceledException",
             "Transaction cancelled, please refer cancellation reasons for specific reasons [" + summary + "]");
  e.set_extra_json("\"CancellationReasons\":" + std::string(buf.GetString(), buf.GetSize()));
  return e;
}

std::string KeyErrorReason(const ApiError& e) {
  if (e.name() != "ValidationException" ||
      e.message().find("cannot contain an empty") != std::string::npos)
    throw e;
  return e.message();
}

}  // namespace localddb::api
