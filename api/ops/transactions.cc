#include "api/ops/transactions.h"

#include "api/input/request.h"
#include "api/write/item_key.h"

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
  ApiError e(ErrorKind::kTransactionCanceled,
             "Transaction cancelled, please refer cancellation reasons for specific reasons [" + summary + "]");
  e.set_extra_json("\"CancellationReasons\":" + std::string(buf.GetString(), buf.GetSize()));
  return e;
}

std::string KeyErrorReason(const ApiError& e) {
  if (e.kind() != ErrorKind::kValidation || IsEmptyKeyValueError(e)) throw e;
  return e.message();
}

void ThrowIfAnyInvalid(const std::vector<std::string>& invalid) {
  std::vector<CancellationReason> reasons(invalid.size());
  bool any = false;
  for (size_t i = 0; i < invalid.size(); ++i) {
    if (invalid[i].empty()) continue;
    reasons[i] = {"ValidationError", invalid[i], {}};
    any = true;
  }
  if (any) throw TransactionCanceled(reasons);
}

}  // namespace localddb::api
