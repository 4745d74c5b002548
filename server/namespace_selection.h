// Which namespace a request addresses, without any change to client code: an endpoint path prefix
// (http://127.0.0.1:8000/ns/<name>: SDKs keep a path in the endpoint URL), the header
// X-Localddb-Namespace, or, with --namespace-by access-key, the request's access key id. Admin
// requests may also say ?namespace=<name>. The first of these that is present wins; none: the
// default namespace.
#pragma once

#include <string>
#include <string_view>

#include "server/config.h"
#include "server/wire.h"

namespace localddb::server {

struct NamespaceSelection {
  std::string name;
  std::string path;  // the request's path (and query) with the /ns/<name> prefix taken off
};

NamespaceSelection SelectNamespace(const Request& req, const Config& config);

// The value of one query parameter of a target ("" if absent), percent-decoded.
std::string QueryParameter(std::string_view target, std::string_view name);

}  // namespace localddb::server
