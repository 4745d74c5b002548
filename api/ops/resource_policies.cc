// PutResourcePolicy, GetResourcePolicy, DeleteResourcePolicy: a policy per table or stream ARN,
// stored with a revision id (the same policy put again keeps its revision, as in DynamoDB), and
// ExpectedRevisionId / NO_POLICY honoured. localddb does not enforce policies: requests are
// authorised as before (see the README's "Admin API and security").
#include "api/input/request.h"
#include "api/ops/handlers.h"
#include "api/ops/table_settings.h"

namespace localddb::api {
namespace {

constexpr size_t kMaxPolicyBytes = 20 * 1024;

ApiError PolicyNotFound(std::string_view arn) {
  return ApiError(ErrorKind::kPolicyNotFound,
                  "Resource-based policy not found for the provided ResourceArn: " + std::string(arn));
}

std::string_view RequireArn(const json::Value& input) {
  input::RequireObject(input);
  auto arn = input::String(input, "ResourceArn");
  input::Violations v;
  if (!arn)
    v.Missing("resourceArn");
  else if (arn->empty() || arn->size() > 1283)
    v.Add("resourceArn", input::Quote(json::Excerpt(*arn, 64)),
          arn->empty() ? "Member must have length greater than or equal to 1"
                       : "Member must have length less than or equal to 1283");
  v.ThrowIfAny();
  return *arn;
}

const json::Value* FindPolicy(json::Document& doc, std::string_view arn) {
  json::Value& policies = SettingsObject(doc, "policies");
  auto it = policies.FindMember(json::Value(arn.data(), static_cast<rapidjson::SizeType>(arn.size())));
  return it == policies.MemberEnd() ? nullptr : &it->value;
}

std::string Revision(const json::Value& policy) { return std::string(json::View(policy["revision"])); }

}  // namespace

void PutResourcePolicy(Context& ctx, const json::Value& input, Respond respond) {
  const std::string arn(RequireArn(input));
  auto policy = input::String(input, "Policy");
  auto expected = input::String(input, "ExpectedRevisionId");
  input::Violations v;
  if (!policy) v.Missing("policy");
  v.ThrowIfAny();
  // The size first: nothing larger is parsed.
  if (policy->size() > kMaxPolicyBytes) throw ApiError::Validation("Policy document exceeds the maximum size of 20 KB");
  json::Document parsed;
  if (json::Parse(parsed, *policy) != json::ParseStatus::kOk || !parsed.IsObject())
    throw ApiError::Validation("Invalid policy document: the policy must be a JSON object");
  TableSchemaPtr table = RequireTableOfArn(ctx, arn);
  auto revision = std::make_shared<std::string>();
  const std::string text(*policy);
  const std::string wanted = expected ? std::string(*expected) : std::string();
  const std::string fresh = std::to_string(static_cast<int64_t>(ctx.now() * 1000000));
  ChangeTableSettings(
      ctx, std::move(respond), table,
      [&](json::Document& doc) {
        const json::Value* current = FindPolicy(doc, arn);
        if (!wanted.empty() && (wanted == "NO_POLICY" ? current != nullptr : !current || Revision(*current) != wanted))
          throw PolicyNotFound(arn);
        if (current && json::View((*current)["policy"]) == text) {
          *revision = Revision(*current);
          return false;  // the same policy: the same revision, nothing to write
        }
        *revision = fresh;
        auto& a = doc.GetAllocator();
        json::Value entry(rapidjson::kObjectType);
        entry.AddMember("policy", json::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), a), a);
        entry.AddMember("revision", json::Value(fresh.c_str(), a), a);
        json::Value& policies = SettingsObject(doc, "policies");
        policies.RemoveMember(arn.c_str());
        policies.AddMember(json::Value(arn.c_str(), a), entry, a);
        return true;
      },
      [revision] { return "{\"RevisionId\":\"" + *revision + "\"}"; });
}

void GetResourcePolicy(Context& ctx, const json::Value& input, Respond respond) {
  const std::string arn(RequireArn(input));
  TableSchemaPtr table = RequireTableOfArn(ctx, arn);
  json::Document doc;
  ReadTableSettings(*table, doc);
  const json::Value* current = FindPolicy(doc, arn);
  if (!current) throw PolicyNotFound(arn);
  json::Document out(rapidjson::kObjectType);
  out.AddMember("Policy", json::Value((*current)["policy"], out.GetAllocator()), out.GetAllocator());
  out.AddMember("RevisionId", json::Value((*current)["revision"], out.GetAllocator()), out.GetAllocator());
  respond(Outcome::Ok(json::Dump(out)));
}

void DeleteResourcePolicy(Context& ctx, const json::Value& input, Respond respond) {
  const std::string arn(RequireArn(input));
  auto expected = input::String(input, "ExpectedRevisionId");
  const std::string wanted = expected ? std::string(*expected) : std::string();
  TableSchemaPtr table = RequireTableOfArn(ctx, arn);
  auto revision = std::make_shared<std::string>();
  ChangeTableSettings(
      ctx, std::move(respond), table,
      [&](json::Document& doc) {
        const json::Value* current = FindPolicy(doc, arn);
        if (!current || (!wanted.empty() && Revision(*current) != wanted)) throw PolicyNotFound(arn);
        *revision = Revision(*current);
        SettingsObject(doc, "policies").RemoveMember(arn.c_str());
        return true;
      },
      [revision] { return "{\"RevisionId\":\"" + *revision + "\"}"; });
}

}  // namespace localddb::api
