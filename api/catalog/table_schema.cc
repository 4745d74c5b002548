#include "api/catalog/table_schema.h"

#include <stdexcept>

#include "api/json.h"

namespace localddb::api {

KeyParts KeySchema::HashParts() const {
  KeyParts out;
  out.push_back(&hash);
  for (const auto& k : more_hash) out.push_back(&k);
  return out;
}

KeyParts KeySchema::RangeParts() const {
  KeyParts out;
  if (range) out.push_back(&*range);
  for (const auto& k : more_range) out.push_back(&k);
  return out;
}

KeyParts KeySchema::All() const {
  KeyParts out = HashParts();
  for (const KeyAttribute* k : RangeParts()) out.push_back(k);
  return out;
}

bool KeySchema::Has(std::string_view attribute) const {
  for (const KeyAttribute* k : All())
    if (k->name == attribute) return true;
  return false;
}

value::Item KeyAttributes(const KeySchema& k, const value::Item& item) {
  value::Item out;
  for (const KeyAttribute* a : k.All())
    if (auto it = item.find(a->name); it != item.end()) out.emplace(it->first, it->second);
  return out;
}
namespace {

// On disk (the catalog's JSON): member names are part of the file format; add, never rename.

value::Type TypeFromName(std::string_view n) {
  if (n == "N") return value::Type::kN;
  if (n == "B") return value::Type::kB;
  return value::Type::kS;
}

void WriteKeyAttribute(json::Writer& w, const KeyAttribute& k) {
  w.StartObject();
  w.Key("name");
  w.String(k.name);
  w.Key("type");
  w.String(std::string(value::TypeName(k.type)));
  w.EndObject();
}

KeyAttribute ReadKeyAttribute(const json::Value& v) {
  return {std::string(json::View(v["name"])), TypeFromName(json::View(v["type"]))};
}

void WriteKeySchema(json::Writer& w, const KeySchema& k) {
  w.StartObject();
  w.Key("hash");
  WriteKeyAttribute(w, k.hash);
  if (k.range) {
    w.Key("range");
    WriteKeyAttribute(w, *k.range);
  }
  auto write_more = [&](const char* name, const std::vector<KeyAttribute>& more) {
    if (more.empty()) return;
    w.Key(name);
    w.StartArray();
    for (const auto& a : more) WriteKeyAttribute(w, a);
    w.EndArray();
  };
  write_more("more_hash", k.more_hash);
  write_more("more_range", k.more_range);
  w.EndObject();
}

KeySchema ReadKeySchema(const json::Value& v) {
  KeySchema k{ReadKeyAttribute(v["hash"]), std::nullopt, {}, {}};
  if (v.HasMember("range")) k.range = ReadKeyAttribute(v["range"]);
  if (auto it = v.FindMember("more_hash"); it != v.MemberEnd())
    for (const auto& a : it->value.GetArray()) k.more_hash.push_back(ReadKeyAttribute(a));
  if (auto it = v.FindMember("more_range"); it != v.MemberEnd())
    for (const auto& a : it->value.GetArray()) k.more_range.push_back(ReadKeyAttribute(a));
  return k;
}

int64_t Int(const json::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it != obj.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}
bool Flag(const json::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  return it != obj.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}

}  // namespace

const SecondaryIndex* TableSchema::FindIndex(std::string_view index_name) const {
  for (const auto& i : indexes)
    if (i.name == index_name) return &i;
  return nullptr;
}

std::optional<value::Type> TableSchema::DefinedType(std::string_view attribute) const {
  for (const auto& a : attribute_definitions)
    if (a.name == attribute) return a.type;
  return std::nullopt;
}

std::string TableSchema::ToJson() const {
  rapidjson::StringBuffer buf;
  json::Writer w(buf);
  w.StartObject();
  w.Key("name");
  w.String(name);
  w.Key("space");
  w.Int64(space);
  w.Key("table_id");
  w.String(table_id);
  w.Key("creation_time");
  w.Double(creation_time);
  w.Key("key");
  WriteKeySchema(w, key);
  w.Key("attribute_definitions");
  w.StartArray();
  for (const auto& a : attribute_definitions) WriteKeyAttribute(w, a);
  w.EndArray();
  w.Key("indexes");
  w.StartArray();
  for (const auto& i : indexes) {
    w.StartObject();
    w.Key("name");
    w.String(i.name);
    w.Key("global");
    w.Bool(i.global);
    w.Key("space");
    w.Int64(i.space);
    w.Key("key");
    WriteKeySchema(w, i.key);
    w.Key("projection");
    w.Int(static_cast<int>(i.projection.type));
    w.Key("non_key_attributes");
    w.StartArray();
    for (const auto& a : i.projection.non_key_attributes) w.String(a);
    w.EndArray();
    w.Key("read");
    w.Int64(i.throughput.read);
    w.Key("write");
    w.Int64(i.throughput.write);
    w.Key("status");
    w.String(i.status);
    w.Key("warm_read");
    w.Int64(i.warm.read);
    w.Key("warm_write");
    w.Int64(i.warm.write);
    w.EndObject();
  }
  w.EndArray();
  w.Key("billing_mode");
  w.String(billing_mode);
  w.Key("read");
  w.Int64(throughput.read);
  w.Key("write");
  w.Int64(throughput.write);
  w.Key("restore_source_backup");
  w.String(restore_source_backup);
  w.Key("restore_source_table");
  w.String(restore_source_table);
  w.Key("restore_time");
  w.Double(restore_time);
  w.Key("warm_read");
  w.Int64(warm.read);
  w.Key("warm_write");
  w.Int64(warm.write);
  w.Key("stream_enabled");
  w.Bool(stream.enabled);
  w.Key("stream_view_type");
  w.String(stream.view_type);
  w.Key("stream_label");
  w.String(stream.label);
  w.Key("stream_space");
  w.Int64(stream.space);
  w.Key("stream_created");
  w.Double(stream.created);
  w.Key("stream_disabled");
  w.Double(stream.disabled);
  w.Key("past_streams");
  w.StartArray();
  for (const auto& s : past_streams) {
    w.StartObject();
    w.Key("view_type");
    w.String(s.view_type);
    w.Key("label");
    w.String(s.label);
    w.Key("space");
    w.Int64(s.space);
    w.Key("created");
    w.Double(s.created);
    w.Key("disabled");
    w.Double(s.disabled);
    w.EndObject();
  }
  w.EndArray();
  w.Key("deletion_protection");
  w.Bool(deletion_protection);
  w.Key("table_class");
  w.String(table_class);
  w.Key("sse_enabled");
  w.Bool(sse_enabled);
  w.Key("sse_type");
  w.String(sse_type);
  w.Key("sse_kms_key_id");
  w.String(sse_kms_key_id);
  w.Key("tags");
  w.StartArray();
  for (const auto& [k, v] : tags) {
    w.StartArray();
    w.String(k);
    w.String(v);
    w.EndArray();
  }
  w.EndArray();
  w.Key("ttl_attribute");
  w.String(ttl_attribute);
  w.Key("billing_mode_changed");
  w.Double(billing_mode_changed);
  w.Key("on_demand_max_read");
  w.Int64(on_demand_max_read);
  w.Key("on_demand_max_write");
  w.Int64(on_demand_max_write);
  w.Key("pitr_since");
  w.Double(pitr_since);
  w.Key("pitr_days");
  w.Int64(pitr_days);
  w.Key("settings");
  w.String(settings_json.c_str(), static_cast<rapidjson::SizeType>(settings_json.size()));
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

TableSchema TableSchema::FromJson(std::string_view text) {
  json::Document d;
  d.Parse(text.data(), text.size());
  if (d.HasParseError() || !d.IsObject()) throw std::runtime_error("corrupt catalog entry");
  TableSchema t;
  t.name = json::StringOr(d, "name");
  t.space = Int(d, "space");
  t.table_id = json::StringOr(d, "table_id");
  t.creation_time = d["creation_time"].GetDouble();
  t.key = ReadKeySchema(d["key"]);
  for (const auto& a : d["attribute_definitions"].GetArray()) t.attribute_definitions.push_back(ReadKeyAttribute(a));
  for (const auto& v : d["indexes"].GetArray()) {
    SecondaryIndex i;
    i.name = json::StringOr(v, "name");
    i.global = Flag(v, "global");
    i.space = Int(v, "space");
    i.key = ReadKeySchema(v["key"]);
    i.projection.type = static_cast<ProjectionType>(Int(v, "projection"));
    for (const auto& a : v["non_key_attributes"].GetArray())
      i.projection.non_key_attributes.emplace_back(json::View(a));
    i.throughput = {Int(v, "read"), Int(v, "write")};
    i.status = json::StringOr(v, "status", "ACTIVE");
    i.warm = {Int(v, "warm_read"), Int(v, "warm_write")};
    t.indexes.push_back(std::move(i));
  }
  t.billing_mode = json::StringOr(d, "billing_mode", "PROVISIONED");
  t.throughput = {Int(d, "read"), Int(d, "write")};
  t.warm = {Int(d, "warm_read"), Int(d, "warm_write")};
  t.restore_source_backup = json::StringOr(d, "restore_source_backup");
  t.restore_source_table = json::StringOr(d, "restore_source_table");
  if (d.HasMember("restore_time")) t.restore_time = d["restore_time"].GetDouble();
  t.stream.enabled = Flag(d, "stream_enabled");
  t.stream.view_type = json::StringOr(d, "stream_view_type");
  t.stream.label = json::StringOr(d, "stream_label");
  t.stream.space = Int(d, "stream_space");
  if (d.HasMember("stream_created")) t.stream.created = d["stream_created"].GetDouble();
  if (d.HasMember("stream_disabled")) t.stream.disabled = d["stream_disabled"].GetDouble();
  if (auto it = d.FindMember("past_streams"); it != d.MemberEnd()) {
    for (const auto& v : it->value.GetArray()) {
      StreamSettings s;
      s.view_type = json::StringOr(v, "view_type");
      s.label = json::StringOr(v, "label");
      s.space = Int(v, "space");
      s.created = v["created"].GetDouble();
      s.disabled = v["disabled"].GetDouble();
      t.past_streams.push_back(std::move(s));
    }
  }
  t.deletion_protection = Flag(d, "deletion_protection");
  t.table_class = json::StringOr(d, "table_class", "STANDARD");
  t.sse_enabled = Flag(d, "sse_enabled");
  t.sse_type = json::StringOr(d, "sse_type");
  t.sse_kms_key_id = json::StringOr(d, "sse_kms_key_id");
  for (const auto& tag : d["tags"].GetArray())
    t.tags.emplace_back(std::string(json::View(tag[0])), std::string(json::View(tag[1])));
  t.ttl_attribute = json::StringOr(d, "ttl_attribute");
  if (d.HasMember("billing_mode_changed")) t.billing_mode_changed = d["billing_mode_changed"].GetDouble();
  t.on_demand_max_read = Int(d, "on_demand_max_read");
  t.on_demand_max_write = Int(d, "on_demand_max_write");
  if (d.HasMember("pitr_since")) t.pitr_since = d["pitr_since"].GetDouble();
  if (d.HasMember("pitr_days")) t.pitr_days = Int(d, "pitr_days");
  t.settings_json = json::StringOr(d, "settings", "{}");
  return t;
}

}  // namespace localddb::api
