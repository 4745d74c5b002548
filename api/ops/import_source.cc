#include "api/ops/import_source.h"

#include "api/error.h"
#include "api/json.h"
#include "api/ops/bucket_files.h"
#include "api/value/json_codec.h"

namespace localddb::api {
namespace {

size_t SkipSpace(std::string_view s, size_t pos) {
  while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t' || s[pos] == '\r')) ++pos;
  return pos;
}

// One line of DynamoDB JSON: {"Item": {...}} values, possibly several one after another.
void ReadJsonLine(std::string_view line, const std::string& where, ImportCounts& counts,
                  const std::function<void(value::Item&)>& put) {
  size_t pos = SkipSpace(line, 0);
  while (pos < line.size()) {
    ++counts.processed_items;
    json::Document doc;
    size_t consumed = 0;
    if (json::ParseFirst(doc, line.substr(pos), &consumed) != json::ParseStatus::kOk) {
      // The rest of the line cannot be split into values any more: DynamoDB "may skip
      // processing the remaining portion of the object" (S3DataImport.Validation).
      counts.Error(where, "not valid JSON");
      return;
    }
    pos = SkipSpace(line, pos + consumed);
    auto it = doc.IsObject() ? doc.FindMember("Item") : doc.MemberEnd();
    if (!doc.IsObject() || it == doc.MemberEnd() || !it->value.IsObject() || doc.MemberCount() != 1) {
      counts.Error(where, "not a DynamoDB JSON item: {\"Item\": {...}} expected");
      continue;
    }
    try {
      value::Item item = value::ParseItem(it->value);
      put(item);
      ++counts.imported;
    } catch (const ApiError& e) {
      counts.Error(where, e.message());
    }
  }
}

// Splits a CSV line at the delimiter; fields may be quoted ("a,b", "say ""hi"""). Returns false
// for an unterminated quote.
bool SplitCsv(std::string_view line, char delimiter, std::vector<std::string>& out) {
  out.clear();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  std::string field;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == delimiter) {
      out.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else {
      field += c;
    }
  }
  if (quoted) return false;
  out.push_back(std::move(field));
  return true;
}

// The defined type of a key attribute of the table or one of its indexes; "S" for the rest.
std::string CsvType(const TableSchema& table, const std::string& column) {
  for (const auto& d : table.attribute_definitions)
    if (d.name == column) return std::string(value::TypeName(d.type));
  return "S";
}

void ReadCsvRow(const std::vector<std::string>& header, const std::vector<std::string>& fields,
                const TableSchema& table, const std::string& where, ImportCounts& counts,
                const std::function<void(value::Item&)>& put) {
  if (fields.size() > header.size()) {
    counts.Error(where, "more fields (" + std::to_string(fields.size()) + ") than header columns (" +
                            std::to_string(header.size()) + ")");
    return;
  }
  json::Document doc;
  doc.SetObject();
  auto& a = doc.GetAllocator();
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].empty()) continue;  // an empty field: no attribute
    json::Value v(rapidjson::kObjectType);
    v.AddMember(json::Value(CsvType(table, header[i]), a), json::Value(fields[i].c_str(), a), a);
    if (doc.HasMember(header[i].c_str())) {
      counts.Error(where, "column " + header[i] + " appears twice in the header");
      return;
    }
    doc.AddMember(json::Value(header[i].c_str(), a), v, a);
  }
  try {
    value::Item item = value::ParseItem(doc);
    put(item);
    ++counts.imported;
  } catch (const ApiError& e) {
    counts.Error(where, e.message());
  }
}

}  // namespace

void ImportCounts::Error(const std::string& where, const std::string& what) {
  if (errors++ == 0) first_error = where + ": " + what;
}

void ReadImportObject(const std::filesystem::path& path, const std::string& key, const ImportFormat& format,
                      const TableSchema& table, ImportCounts& counts, const std::function<void(value::Item&)>& put) {
  int64_t line_number = 0;
  std::vector<std::string> header = format.header;
  std::vector<std::string> fields;
  ForEachLine(path, format.gzip, [&](std::string_view line) {
    ++line_number;
    counts.processed_bytes += static_cast<int64_t>(line.size()) + 1;
    if (SkipSpace(line, 0) == line.size()) return;  // a blank line: nothing to import
    const std::string where = key + " line " + std::to_string(line_number);
    if (!format.csv) {
      ReadJsonLine(line, where, counts, put);
      return;
    }
    const bool ok = SplitCsv(line, format.delimiter, fields);
    if (header.empty()) {  // the object's first line names its columns
      if (ok) header = fields;
      if (!ok) counts.Error(where, "an unterminated quoted field in the header");
      return;
    }
    ++counts.processed_items;
    if (!ok) {
      counts.Error(where, "an unterminated quoted field");
      return;
    }
    ReadCsvRow(header, fields, table, where, counts, put);
  });
}

}  // namespace localddb::api
