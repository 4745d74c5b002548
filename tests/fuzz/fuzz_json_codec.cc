// fuzz_json_codec: untrusted JSON -> attribute values.
//
// Feeds: input byte 0 picks the value layer (value::ScopedValueLayer: '0'/'3'/... kEnveloped,
// '1' kBare, '2' kOlder: byte % 3), the rest is handed to json::Parse (api/json.h, the project's
// only entry for untrusted JSON). When that yields an object, it goes to value::ParseItem and to
// value::ParseAttributeValue, as a request's Item and as one AttributeValue.
//
// Checks: no crash / sanitizer report; no exception but api::ApiError escapes json::Parse,
// ParseItem or ParseAttributeValue (a rapidjson assertion would surface as std::logic_error).
// For every value that parses: ItemSize runs; ItemToJson -> ItemFromJson gives an equal item and
// the same JSON again (the stored form round-trips); the canonical JSON goes back through the
// untrusted path (json::Parse + ParseItem) unchanged, so what we write we accept.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/error.h"
#include "api/json.h"
#include "api/value/item_size.h"
#include "api/value/json_codec.h"
#include "fuzz_check.h"

using namespace localddb;

namespace {

void CheckItem(const value::Item& item) {
  const size_t size = value::ItemSize(item);
  const std::string first = value::ItemToJson(item);
  const value::Item stored = value::ItemFromJson(first);
  FUZZ_CHECK(stored == item, "ItemFromJson(ItemToJson(item)) != item; json: " + fuzz::Quote(first));
  const std::string second = value::ItemToJson(stored);
  FUZZ_CHECK(second == first, "unstable round trip:\n  " + fuzz::Quote(first) + "\n  " + fuzz::Quote(second));
  FUZZ_CHECK(value::ItemSize(stored) == size, "ItemSize changed over the round trip");

  // What we write, the untrusted path accepts, and reads back as the same item.
  json::Document doc;
  const json::ParseStatus status = json::Parse(doc, first);
  FUZZ_CHECK(status == json::ParseStatus::kOk, "json::Parse refused canonical item JSON (status " +
                                                   std::to_string(int(status)) + "): " + fuzz::Quote(first));
  try {
    const value::Item again = value::ParseItem(doc);
    FUZZ_CHECK(again == item, "ParseItem(canonical JSON) != item: " + fuzz::Quote(first));
  } catch (const api::ApiError& e) {
    FUZZ_CHECK(false, "ParseItem refused canonical JSON: " + std::string(e.name()) + ": " + e.message() +
                          "\n  json: " + fuzz::Quote(first));
  }
}

void CheckValue(const value::AttributeValue& v) {
  (void)value::ValueSize(v);
  const std::string text = value::AttributeValueToJson(v);
  json::Document doc;
  FUZZ_CHECK(json::Parse(doc, text) == json::ParseStatus::kOk,
             "json::Parse refused canonical value JSON: " + fuzz::Quote(text));
  try {
    const value::AttributeValue again = value::ParseAttributeValue(doc);
    FUZZ_CHECK(again == v, "ParseAttributeValue(canonical JSON) != value: " + fuzz::Quote(text));
    FUZZ_CHECK(value::AttributeValueToJson(again) == text, "unstable value JSON: " + fuzz::Quote(text));
  } catch (const api::ApiError& e) {
    FUZZ_CHECK(false, "ParseAttributeValue refused canonical JSON: " + e.message() + "\n  json: " + fuzz::Quote(text));
  }
  CheckItem(value::Item{{"a", v}});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static constexpr value::ValueLayer kLayers[] = {value::ValueLayer::kEnveloped, value::ValueLayer::kBare,
                                                  value::ValueLayer::kOlder};
  value::ScopedValueLayer layer(kLayers[data[0] % 3]);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);

  json::Document doc;
  if (json::Parse(doc, text) != json::ParseStatus::kOk || !doc.IsObject()) return 0;

  try {
    CheckItem(value::ParseItem(doc));
  } catch (const api::ApiError&) {
  }
  try {
    CheckValue(value::ParseAttributeValue(doc));
  } catch (const api::ApiError&) {
  }
  return 0;
}
