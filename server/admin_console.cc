// /_localddb/console: the web console, a single page (server/console/) served from the binary.
//
//   GET /console            index.html
//   GET /console/{file}     console.js, console.css
//
// The page talks only to the public DynamoDB API (POST /) and the documented admin API; it has no
// endpoint of its own. Its files are open to any local client, like health (see Admin::Handle):
// they hold no data, and a browser cannot present the admin token when it opens a page.
#include "server/admin.h"
#include "server/console_files.h"

namespace localddb::server {
namespace {

std::string_view ContentType(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
  };
  for (const auto& type : kTypes)
    if (name.ends_with(type.first)) return type.second;
  return "application/octet-stream";
}

// Nothing but our own files runs or loads in the page (no inline script or style, no other
// origin), and no other site may frame it.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

}  // namespace

Response Admin::Console(const Call& call) {
  if (call.req.method() != http::verb::get && call.req.method() != http::verb::head)
    return MethodNotAllowed(call, "GET");
  if (call.parts.size() > 2)
    return AdminError(call.envelope, http::status::not_found, "NotFound", "no such console file");
  const std::string_view name = call.parts.size() == 2 ? call.parts[1] : std::string_view("index.html");
  for (const ConsoleFile& file : ConsoleFiles()) {
    if (file.name != name) continue;
    Response res = MakeResponse(call.envelope, http::status::ok, std::string(file.bytes), ContentType(name));
    res.set("Content-Security-Policy", kContentSecurityPolicy);
    res.set("X-Content-Type-Options", "nosniff");
    res.set(http::field::x_frame_options, "DENY");
    res.set("Referrer-Policy", "no-referrer");
    res.set(http::field::cache_control, "no-cache");  // a rebuilt binary's console shows at once
    return res;
  }
  return AdminError(call.envelope, http::status::not_found, "NotFound",
                    "no console file named '" + json::Excerpt(name, 100) + "'");
}

}  // namespace localddb::server
