// TagResource, UntagResource, ListTagsOfResource: a table's tags by ARN.
// Expected behaviour: conformance/python/test_tables.py::test_tags.
#include "tests/api/ops/handler_fixture.h"

using namespace localddb::api::test;

namespace {

std::string WithArn(std::string_view members) {
  return R"j({"ResourceArn":")j" + ArnOf("tagged") + "\"" + (members.empty() ? "" : "," + std::string(members)) + "}";
}

}  // namespace

TEST_CASE("Tags are added, replaced by key, removed and listed in order") {
  HandlerFixture f;
  f.CreateTable("tagged");
  f.CreateTable("other");
  CHECK(Canon(f.Ok("ListTagsOfResource", WithArn(""))) == Canon(R"j({"Tags":[]})j"));
  CHECK(Canon(f.Ok("TagResource", WithArn(R"j("Tags":[{"Key":"env","Value":"dev"},{"Key":"team","Value":"a"}])j"))) ==
        "{}");
  f.Ok("TagResource", WithArn(R"j("Tags":[{"Key":"team","Value":"b"},{"Key":"cost","Value":""}])j"));
  CHECK(Canon(f.Ok("ListTagsOfResource", WithArn(""))["Tags"]) ==
        Canon(R"j([{"Key":"env","Value":"dev"},{"Key":"team","Value":"b"},{"Key":"cost","Value":""}])j"));
  CHECK(Canon(f.Ok("UntagResource", WithArn(R"j("TagKeys":["env","absent"])j"))) == "{}");
  CHECK(Canon(f.Ok("ListTagsOfResource", WithArn(""))["Tags"]) ==
        Canon(R"j([{"Key":"team","Value":"b"},{"Key":"cost","Value":""}])j"));
  // Another table's tags are its own.
  CHECK(Canon(f.Ok("ListTagsOfResource", R"j({"ResourceArn":")j" + ArnOf("other") + R"j("})j")) ==
        Canon(R"j({"Tags":[]})j"));
}

TEST_CASE("Tag operations' validation and unknown resources") {
  HandlerFixture f;
  f.CreateTable("tagged");
  std::string fifty;
  for (int i = 0; i < 51; ++i)
    fifty += (i ? "," : "") + std::string(R"j({"Key":"k)j") + std::to_string(i) + R"j(","Value":"v"})j";
  const std::string missing_arn = ArnOf("tagged") + "-missing";
  f.CheckErrors(
      "TagResource",
      {
          {"[]", "SerializationException", "Start of list found where not expected"},
          {"{}", "ValidationException",
           "2 validation errors detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be "
           "null; "
           "Value null at 'tags' failed to satisfy constraint: Member must not be null"},
          {R"j({"ResourceArn":"","Tags":[]})j", "ValidationException",
           "1 validation error detected: Value '' at 'resourceArn' failed to satisfy constraint: Member must have "
           "length "
           "greater than or equal to 1"},
          {R"j({"ResourceArn":")j" + missing_arn + R"j(","Tags":[]})j", "ResourceNotFoundException",
           "Requested resource not found: ResourcArn: " + missing_arn + " not found"},
          {R"j({"ResourceArn":"arn:aws:dynamodb:eu-west-1:000000000000:table/tagged","Tags":[]})j",
           "ResourceNotFoundException",
           "Requested resource not found: ResourcArn: arn:aws:dynamodb:eu-west-1:000000000000:table/tagged not found"},
          {WithArn(R"j("Tags":[{"Value":"v"}])j"), "ValidationException",
           "1 validation error detected: Value null at 'tags.1.member.key' failed to satisfy constraint: Member must "
           "not be null"},
          {WithArn(R"j("Tags":[{"Key":"k"}])j"), "ValidationException",
           "1 validation error detected: Value null at 'tags.1.member.value' failed to satisfy constraint: Member must "
           "not be null"},
          {WithArn(R"j("Tags":["k"])j"), "SerializationException", "Start of list found where not expected"},
          {WithArn(R"j("Tags":)j" + std::string("[") + fifty + "]"), "ValidationException",
           "One or more parameter values were invalid: Too many tags"},
      });
  f.CheckErrors(
      "UntagResource",
      {
          {"{}", "ValidationException",
           "2 validation errors detected: Value null at 'resourceArn' failed to satisfy "
           "constraint: Member must not be null; "
           "Value null at 'tagKeys' failed to satisfy constraint: Member must not be null"},
          {WithArn(R"j("TagKeys":[1])j"), "SerializationException", "NUMBER_VALUE cannot be converted to String"},
          {R"j({"ResourceArn":"nope","TagKeys":[]})j", "ValidationException",
           "Invalid TableArn: Invalid ResourceArn provided as input nope"},
          {R"j({"ResourceArn":")j" + ArnOf("tagged") + R"j(/index/gsi","TagKeys":[]})j", "ValidationException",
           "Invalid TableArn: Invalid ResourceArn provided as input " + ArnOf("tagged") + "/index/gsi"},
      });
  f.CheckErrors("ListTagsOfResource",
                {
                    {"[]", "SerializationException", "Start of list found where not expected"},
                    {"{}", "ValidationException",
                     "1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member "
                     "must not be null"},
                    {R"j({"ResourceArn":""})j", "ValidationException",
                     "1 validation error detected: Value '' at 'resourceArn' failed to satisfy constraint: Member must "
                     "have length "
                     "greater than or equal to 1"},
                    {R"j({"ResourceArn":")j" + missing_arn + R"j("})j", "AccessDeniedException",
                     "User: arn:aws:iam::000000000000:root is not authorized to perform: dynamodb:ListTagsOfResource "
                     "on resource: " +
                         missing_arn},
                });
  // The refused TagResource calls left no tags behind.
  CHECK(Canon(f.Ok("ListTagsOfResource", WithArn(""))) == Canon(R"j({"Tags":[]})j"));
}
