#include "streams/hook_dispatcher.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "api/json.h"
#include "api/ops/operation.h"
#include "storage/database.h"

using namespace localddb;

namespace {

// A table with a NEW_IMAGE stream, writes through the real operations, and a dispatcher driven
// pass by pass under a manual clock, its transport a script: no sockets, no sleeping.
class HookHarness {
 public:
  explicit HookHarness(streams::HookOptions options = {}) {
    storage::Options o;
    o.in_memory = true;
    db_ = storage::Database::Open(o);
    ctx_ = std::make_unique<api::Context>(api::Context{*db_, catalog_, api::Settings{}, [this] { return now_; }});
    Call("CreateTable",
         R"({"TableName":"hooked","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
             "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",
             "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}})");
    dispatcher_ = std::make_unique<streams::HookDispatcher>(
        *ctx_, options,
        [this](const streams::HookSpec&, const std::string& body, int, const std::atomic<bool>*) {
          json::Document d;
          json::Parse(d, body);
          std::vector<std::string> keys;
          for (const auto& r : d["Records"].GetArray()) keys.emplace_back(json::View(r["dynamodb"]["Keys"]["pk"]["S"]));
          sequence_numbers_.emplace_back();
          for (const auto& r : d["Records"].GetArray())
            sequence_numbers_.back().emplace_back(json::View(r["dynamodb"]["SequenceNumber"]));
          batches_.push_back(keys);
          streams::HttpResult result{200, "{}", ""};
          if (answer_) result = answer_(batches_.size() - 1);
          return result;
        },
        [this] { return now_; });
    dispatcher_->Load({{"hooked", "http://127.0.0.1:9/hook"}});
  }
  ~HookHarness() {
    dispatcher_->Stop();
    db_->Close();
  }

  void Put(const std::string& key) {
    Call("PutItem", R"({"TableName":"hooked","Item":{"pk":{"S":")" + key + R"("}}})");
  }
  // Runs passes until one delivers nothing.
  void Drain() {
    for (int i = 0; i < 100 && dispatcher_->RunPass(); ++i) {
    }
  }

  double now_ = 1767225600.0;
  std::vector<std::vector<std::string>> batches_;
  std::vector<std::vector<std::string>> sequence_numbers_;
  std::function<streams::HttpResult(size_t batch)> answer_;

 private:
  void Call(const char* op, const std::string& body) {
    json::Document d;
    REQUIRE(json::Parse(d, body) == json::ParseStatus::kOk);
    const api::Operation* operation = api::FindOperation(std::string("DynamoDB_20120810.") + op);
    REQUIRE(operation);
    auto outcome = api::RunSync(*ctx_, *operation, d);
    REQUIRE_FALSE(outcome.error);
  }

  std::unique_ptr<storage::Database> db_;
  api::Catalog catalog_;
  std::unique_ptr<api::Context> ctx_;

 public:
  std::unique_ptr<streams::HookDispatcher> dispatcher_;
};

std::vector<std::string> Keys(std::initializer_list<const char*> keys) { return {keys.begin(), keys.end()}; }

}  // namespace

TEST_CASE("records are delivered in order, a batch at a time") {
  streams::HookOptions options;
  options.batch_size = 3;
  HookHarness h(options);
  for (const char* k : {"a", "b", "c", "d", "e", "f", "g"}) h.Put(k);
  h.Drain();
  REQUIRE(h.batches_.size() == 3);
  CHECK(h.batches_[0] == Keys({"a", "b", "c"}));
  CHECK(h.batches_[1] == Keys({"d", "e", "f"}));
  CHECK(h.batches_[2] == Keys({"g"}));
}

TEST_CASE("a failed batch is retried after a backoff that doubles, and nothing after it goes first") {
  HookHarness h;
  h.answer_ = [](size_t n) {
    return n < 3 ? streams::HttpResult{500, "boom", ""} : streams::HttpResult{200, "{}", ""};
  };
  h.Put("a");
  h.dispatcher_->RunPass();  // attempt 1 fails: the next is due 0.1 s later
  h.Put("b");
  h.now_ += 0.05;
  h.dispatcher_->RunPass();
  CHECK(h.batches_.size() == 1);  // not yet due
  h.now_ += 0.06;
  h.dispatcher_->RunPass();  // attempt 2 (at +0.11) fails: the next is due 0.2 s later
  CHECK(h.batches_.size() == 2);
  h.now_ += 0.15;
  h.dispatcher_->RunPass();
  CHECK(h.batches_.size() == 2);
  h.now_ += 0.06;
  h.Drain();  // attempt 3 fails again (0.4 s), so nothing more until then
  CHECK(h.batches_.size() == 3);
  h.now_ += 0.41;
  h.Drain();
  // Every attempt offered the batch from its first record; "b" never went ahead of "a".
  for (const auto& batch : h.batches_) CHECK(batch.front() == "a");
  CHECK(h.batches_.back() == Keys({"a", "b"}));
}

TEST_CASE("a partial batch failure resumes from the first failed record") {
  HookHarness h;
  h.answer_ = [&h](size_t n) {
    if (n == 0)
      return streams::HttpResult{
          200, R"({"batchItemFailures":[{"itemIdentifier":")" + h.sequence_numbers_[0][2] + "\"}]}", ""};
    return streams::HttpResult{200, "{}", ""};
  };
  for (const char* k : {"a", "b", "c", "d"}) h.Put(k);
  h.Drain();
  h.now_ += 1;
  h.Drain();
  REQUIRE(h.batches_.size() == 2);
  CHECK(h.batches_[0] == Keys({"a", "b", "c", "d"}));
  CHECK(h.batches_[1] == Keys({"c", "d"}));
}

TEST_CASE("a failure naming a record outside the batch, or none at all, fails the whole batch") {
  for (const char* failure : {R"({"itemIdentifier":"100000000000000099999"})", R"({"itemIdentifier":""})", R"({})"}) {
    INFO(failure);
    HookHarness h;
    h.answer_ = [failure](size_t n) {
      return n == 0 ? streams::HttpResult{200, std::string(R"({"batchItemFailures":[)") + failure + "]}", ""}
                    : streams::HttpResult{200, "{}", ""};
    };
    for (const char* k : {"a", "b", "c"}) h.Put(k);
    h.Drain();
    h.now_ += 1;
    h.Drain();
    REQUIRE(h.batches_.size() == 2);
    CHECK(h.batches_[1] == Keys({"a", "b", "c"}));
  }
}

TEST_CASE("with --stream-max-attempts, a batch is skipped after that many failures") {
  streams::HookOptions options;
  options.max_attempts = 2;
  options.batch_size = 1;
  HookHarness h(options);
  h.answer_ = [](size_t n) {
    return n < 2 ? streams::HttpResult{0, "", "refused"} : streams::HttpResult{200, "{}", ""};
  };
  h.Put("a");
  h.Put("b");
  h.Drain();
  h.now_ += 1;
  h.Drain();
  h.now_ += 1;
  h.Drain();
  REQUIRE(h.batches_.size() == 3);
  CHECK(h.batches_[0] == Keys({"a"}));
  CHECK(h.batches_[1] == Keys({"a"}));
  CHECK(h.batches_[2] == Keys({"b"}));  // "a" was given up on after two attempts
}
