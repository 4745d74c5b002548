#include "api/catalog/catalog.h"

#include "api/error.h"

namespace localddb::api {

void Catalog::Load(storage::Reader& reader) {
  std::map<std::string, TableSchemaPtr, std::less<>> loaded;
  for (const auto& row : reader.LoadCatalog())
    loaded.emplace(row.name, std::make_shared<const TableSchema>(TableSchema::FromJson(row.description)));
  std::unique_lock lock(mu_);
  tables_ = std::move(loaded);
}

TableSchemaPtr Catalog::Find(std::string_view name) const {
  std::shared_lock lock(mu_);
  auto it = tables_.find(name);
  return it == tables_.end() ? nullptr : it->second;
}

TableSchemaPtr Catalog::Require(std::string_view name) const {
  if (name.starts_with("arn:")) {
    const size_t at = name.find(":table/");
    const std::string_view table = at == std::string_view::npos ? std::string_view() : name.substr(at + 7);
    if (table.empty() || table.find('/') != std::string_view::npos)
      throw ApiError::Validation("Invalid TableArn: Invalid ResourceArn provided as input " + std::string(name));
    name = table;
  }
  TableSchemaPtr t = Find(name);
  if (!t) throw ApiError::ResourceNotFound("Requested resource not found");
  return t;
}

TableSchemaPtr Catalog::RequireCurrent(const TableSchema& seen) const {
  TableSchemaPtr t = Find(seen.name);
  if (!t || t->space != seen.space) throw ApiError::ResourceNotFound("Requested resource not found");
  return t;
}

std::vector<TableSchemaPtr> Catalog::List() const {
  std::shared_lock lock(mu_);
  std::vector<TableSchemaPtr> out;
  out.reserve(tables_.size());
  for (const auto& [name, t] : tables_) out.push_back(t);
  return out;
}

void Catalog::Put(TableSchemaPtr schema) {
  std::unique_lock lock(mu_);
  tables_.insert_or_assign(schema->name, std::move(schema));
}

void Catalog::Remove(std::string_view name) {
  std::unique_lock lock(mu_);
  auto it = tables_.find(name);
  if (it != tables_.end()) tables_.erase(it);
}

}  // namespace localddb::api
