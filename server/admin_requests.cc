// /_localddb/requests: the last requests of the DynamoDB API (server/request_log.h).
//
//   GET    /requests          newest first, without bodies (?limit=N, default all kept; ?all=true:
//                             every namespace, not only the one addressed)
//   GET    /requests/{id}     one request, by its x-amzn-RequestId, with its bodies (cut to 16 KiB)
//   DELETE /requests          forgets them
#include <charconv>

#include "server/admin.h"

namespace localddb::server {

Response Admin::Requests(const Call& call) {
  constexpr std::string_view kJson = "application/json";
  const auto method = call.req.method();
  if (!requests_.enabled())
    return AdminError(call.envelope, http::status::not_found, "RequestLogOff",
                      "the request log is off (--request-log-size 0)");
  if (call.parts.size() == 2) {
    if (method != http::verb::get) return MethodNotAllowed(call, "GET");
    std::optional<std::string> entry = requests_.EntryJson(call.parts[1]);
    if (!entry)
      return AdminError(call.envelope, http::status::not_found, "RequestNotFound",
                        "no request with id '" + json::Excerpt(call.parts[1], 100) + "' among the last " +
                            std::to_string(requests_.size()));
    return MakeResponse(call.envelope, http::status::ok, std::move(*entry), kJson);
  }
  if (method == http::verb::delete_) {
    requests_.Clear();
    return MakeResponse(call.envelope, http::status::ok, requests_.ListJson(call.ns, 0), kJson);
  }
  if (method != http::verb::get) return MethodNotAllowed(call, "GET or DELETE");
  size_t limit = requests_.size();
  if (const std::string text = QueryParameter(call.req.target(), "limit"); !text.empty()) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (ec != std::errc() || end != text.data() + text.size() || limit < 1)
      return AdminError(call.envelope, http::status::bad_request, "BadRequest",
                        "limit must be a whole number of at least 1");
  }
  const std::string all = QueryParameter(call.req.target(), "all");
  const bool every_namespace = all == "true" || all == "1";
  return MakeResponse(call.envelope, http::status::ok, requests_.ListJson(every_namespace ? "" : call.ns, limit),
                      kJson);
}

}  // namespace localddb::server
