#include "streams/hook_dispatcher.h"

#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "api/json.h"
#include "api/ops/operation.h"
#include "storage/database.h"

using namespace localddb;

namespace {

streams::HttpResult Ok(std::string body = "{}") {
  streams::HttpResult r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}
streams::HttpResult Status(int status, std::string body) {
  streams::HttpResult r;
  r.status = status;
  r.body = std::move(body);
  return r;
}
streams::HttpResult Refused() {
  streams::HttpResult r;
  r.error = "Connection refused";
  return r;
}

// A table with a NEW_IMAGE stream, writes through the real operations, and a dispatcher driven
// pass by pass under a manual clock, its transport a script: no sockets, no sleeping.
class HookHarness {
 public:
  explicit HookHarness(streams::HookSettings settings = {}, std::string db_path = {}) : settings_(settings) {
    storage::Options o;
    o.in_memory = db_path.empty();
    o.path = db_path;
    db_ = storage::Database::Open(o);
    ctx_ = std::make_unique<api::Context>(api::Context{*db_, catalog_, api::Settings{}, [this] { return now_; }});
    Call("CreateTable",
         R"({"TableName":"hooked","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
             "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST",
             "StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}})",
         /*may_fail=*/true);
    MakeDispatcher();
  }
  ~HookHarness() {
    dispatcher_->Stop();
    db_->Close();
  }

  // A dispatcher over the same database (a restart, when called again), its one hook declared
  // with the harness's settings.
  void MakeDispatcher() {
    if (dispatcher_) dispatcher_->Stop();
    dispatcher_ = std::make_unique<streams::HookDispatcher>(
        *ctx_, streams::HookOptions{},
        [this](const streams::HookSpec&, const std::string& body, int, const std::atomic<bool>*) {
          json::Document d;
          json::Parse(d, body);
          std::vector<std::string> keys;
          for (const auto& r : d["Records"].GetArray()) keys.emplace_back(json::View(r["dynamodb"]["Keys"]["pk"]["S"]));
          sequence_numbers_.emplace_back();
          for (const auto& r : d["Records"].GetArray())
            sequence_numbers_.back().emplace_back(json::View(r["dynamodb"]["SequenceNumber"]));
          batches_.push_back(keys);
          streams::HttpResult result = Ok();
          if (answer_) result = answer_(batches_.size() - 1);
          return result;
        },
        [this] { return now_; });
    streams::HookSpec spec;
    spec.table = "hooked";
    spec.url = "http://127.0.0.1:9/hook";
    spec.settings = settings_;
    dispatcher_->Load({spec});
  }

  void Put(const std::string& key, const std::string& kind = "plain") {
    Call("PutItem", R"({"TableName":"hooked","Item":{"pk":{"S":")" + key + R"("},"kind":{"S":")" + kind + R"("}}})");
  }
  std::string Id() { return "hooked-" + Hex(); }
  // The hook's state, deliveries or failures, parsed.
  json::Document State() { return ParseOk(dispatcher_->HookJson(Id())); }
  json::Document Deliveries(size_t limit = 100) { return ParseOk(dispatcher_->DeliveriesJson(Id(), limit)); }
  json::Document Failures() { return ParseOk(dispatcher_->FailuresJson(Id())); }
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
  std::string Hex() {
    streams::HookSpec spec;
    spec.table = "hooked";
    spec.url = "http://127.0.0.1:9/hook";
    return spec.Id().substr(7);
  }
  static json::Document ParseOk(const streams::HookControl& c) {
    REQUIRE(c.code == streams::HookControl::kOk);
    json::Document d;
    REQUIRE(json::Parse(d, c.json) == json::ParseStatus::kOk);
    return d;
  }
  void Call(const char* op, const std::string& body, bool may_fail = false) {
    json::Document d;
    REQUIRE(json::Parse(d, body) == json::ParseStatus::kOk);
    const api::Operation* operation = api::FindOperation(std::string("DynamoDB_20120810.") + op);
    REQUIRE(operation);
    auto outcome = api::RunSync(*ctx_, *operation, d);
    if (!may_fail) REQUIRE_FALSE(outcome.error);
  }
  streams::HookSettings settings_;

  std::unique_ptr<storage::Database> db_;
  api::Catalog catalog_;
  std::unique_ptr<api::Context> ctx_;

 public:
  std::unique_ptr<streams::HookDispatcher> dispatcher_;
};

std::vector<std::string> Keys(std::initializer_list<const char*> keys) { return {keys.begin(), keys.end()}; }

}  // namespace

TEST_CASE("records are delivered in order, a batch at a time") {
  streams::HookSettings settings;
  settings.batch_size = 3;
  HookHarness h(settings);
  for (const char* k : {"a", "b", "c", "d", "e", "f", "g"}) h.Put(k);
  h.Drain();
  REQUIRE(h.batches_.size() == 3);
  CHECK(h.batches_[0] == Keys({"a", "b", "c"}));
  CHECK(h.batches_[1] == Keys({"d", "e", "f"}));
  CHECK(h.batches_[2] == Keys({"g"}));
}

TEST_CASE("a failed batch is retried after a backoff that doubles, and nothing after it goes first") {
  HookHarness h;
  h.answer_ = [](size_t n) { return n < 3 ? Status(500, "boom") : Ok(); };
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
  // Every attempt offered the same batch, as Lambda retries it; "b", written after the first
  // attempt, waited behind it and went in the next batch.
  REQUIRE(h.batches_.size() == 5);
  for (size_t i = 0; i < 4; ++i) CHECK(h.batches_[i] == Keys({"a"}));
  CHECK(h.batches_[4] == Keys({"b"}));
}

TEST_CASE("a partial batch failure resumes from the first failed record") {
  HookHarness h;
  h.answer_ = [&h](size_t n) {
    if (n == 0) return Ok(R"({"batchItemFailures":[{"itemIdentifier":")" + h.sequence_numbers_[0][2] + "\"}]}");
    return Ok();
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
      return n == 0 ? Ok(std::string(R"({"batchItemFailures":[)") + failure + "]}") : Ok();
    };
    for (const char* k : {"a", "b", "c"}) h.Put(k);
    h.Drain();
    h.now_ += 1;
    h.Drain();
    REQUIRE(h.batches_.size() == 2);
    CHECK(h.batches_[1] == Keys({"a", "b", "c"}));
  }
}

TEST_CASE("with MaximumRetryAttempts, a batch is given up after that many retries") {
  streams::HookSettings settings;
  settings.max_retry_attempts = 1;
  settings.batch_size = 1;
  HookHarness h(settings);
  h.answer_ = [](size_t n) { return n < 2 ? Refused() : Ok(); };
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

TEST_CASE("a given-up batch is listed as a failed batch in Lambda's on-failure record shape") {
  streams::HookSettings settings;
  settings.max_retry_attempts = 1;
  settings.on_failure_destination = "arn:aws:sqs:us-east-1:000000000000:dlq";
  HookHarness h(settings);
  h.answer_ = [](size_t n) { return n < 2 ? Status(500, "boom") : Ok(); };
  h.Put("a");
  h.Put("b");
  h.Drain();
  h.now_ += 1;
  h.Drain();
  REQUIRE(h.batches_.size() == 2);
  json::Document f = h.Failures();
  REQUIRE(f["failures"].Size() == 1);
  const json::Value& failure = f["failures"][0];
  CHECK(json::View(failure["requestContext"]["condition"]) == "RetryAttemptsExhausted");
  CHECK(failure["requestContext"]["approximateInvokeCount"].GetInt() == 2);
  CHECK(failure["responseContext"]["statusCode"].GetInt() == 500);
  CHECK(json::View(failure["DDBStreamBatchInfo"]["startSequenceNumber"]) == h.sequence_numbers_[0][0]);
  CHECK(json::View(failure["DDBStreamBatchInfo"]["endSequenceNumber"]) == h.sequence_numbers_[0][1]);
  CHECK(failure["DDBStreamBatchInfo"]["batchSize"].GetInt() == 2);
  CHECK(json::View(failure["DDBStreamBatchInfo"]["shardId"]).starts_with("shardId-"));
  CHECK(json::View(failure["destination"]) == "arn:aws:sqs:us-east-1:000000000000:dlq");
  json::Document state = h.State();
  CHECK(state["counters"]["recordsGivenUp"].GetInt() == 2);
  CHECK(state["lag"].GetInt() == 0);

  // Replaying the failed batch delivers those records again, before anything newer.
  h.Put("c");
  const std::string batch(json::View(failure["failedBatch"]));
  REQUIRE(h.dispatcher_->ReplayFailure(h.Id(), batch).code == streams::HookControl::kOk);
  h.Drain();
  REQUIRE(h.batches_.size() == 4);
  CHECK(h.batches_[2] == Keys({"a", "b"}));
  CHECK(h.batches_[3] == Keys({"c"}));
  CHECK(h.Failures()["failures"][0]["replays"].GetInt() == 1);
  CHECK(h.dispatcher_->ReplayFailure(h.Id(), "999999").code == streams::HookControl::kInvalid);
}

TEST_CASE("BisectBatchOnFunctionError halves a failing batch down to the bad record") {
  streams::HookSettings settings;
  settings.bisect_on_error = true;
  settings.max_retry_attempts = 0;
  HookHarness h(settings);
  h.answer_ = [&h](size_t n) {
    const auto& keys = h.batches_[n];
    return std::find(keys.begin(), keys.end(), "e") != keys.end() ? Status(500, "bad record") : Ok();
  };
  for (const char* k : {"a", "b", "c", "d", "e", "f", "g", "h"}) h.Put(k);
  h.Drain();
  REQUIRE(h.batches_.size() == 7);
  CHECK(h.batches_[0] == Keys({"a", "b", "c", "d", "e", "f", "g", "h"}));
  CHECK(h.batches_[1] == Keys({"a", "b", "c", "d"}));
  CHECK(h.batches_[2] == Keys({"e", "f", "g", "h"}));
  CHECK(h.batches_[3] == Keys({"e", "f"}));
  CHECK(h.batches_[4] == Keys({"e"}));
  CHECK(h.batches_[5] == Keys({"f"}));
  CHECK(h.batches_[6] == Keys({"g", "h"}));
  json::Document f = h.Failures();
  REQUIRE(f["failures"].Size() == 1);
  CHECK(f["failures"][0]["DDBStreamBatchInfo"]["batchSize"].GetInt() == 1);
  CHECK(json::View(f["failures"][0]["DDBStreamBatchInfo"]["startSequenceNumber"]) == h.sequence_numbers_[4][0]);
  json::Document state = h.State();
  CHECK(state["counters"]["bisections"].GetInt() == 3);
  CHECK(state["counters"]["recordsDelivered"].GetInt() == 7);
  CHECK(json::View(state["state"]) == "ok");  // delivering again
}

TEST_CASE("FilterCriteria skips records that match no filter, and they count as processed") {
  json::Document criteria;
  REQUIRE(
      json::Parse(
          criteria,
          R"({"Filters":[{"Pattern":"{\"eventName\":[\"INSERT\"],\"dynamodb\":{\"NewImage\":{\"kind\":{\"S\":[{\"prefix\":\"keep\"}]}}}}"}]})") ==
      json::ParseStatus::kOk);
  streams::HookSettings settings;
  settings.filter = streams::EventFilter::Parse(criteria);
  HookHarness h(settings);
  h.Put("a", "keep-1");
  h.Put("b", "drop");
  h.Put("c", "keep-2");
  h.Put("a", "keep-3");  // MODIFY: not an INSERT
  h.Put("d", "drop");
  h.Drain();
  REQUIRE(h.batches_.size() == 1);
  CHECK(h.batches_[0] == Keys({"a", "c"}));
  json::Document state = h.State();
  CHECK(state["lag"].GetInt() == 0);
  CHECK(state["counters"]["recordsFiltered"].GetInt() == 3);
}

TEST_CASE("MaximumRecordAgeInSeconds gives up records older than that, as RecordAgeExceeded") {
  streams::HookSettings settings;
  settings.max_record_age_s = 60;
  HookHarness h(settings);
  h.answer_ = [](size_t) { return Refused(); };
  h.Put("a");
  h.Drain();
  h.now_ += 61;
  h.answer_ = nullptr;
  h.Put("b");
  h.Drain();
  json::Document f = h.Failures();
  REQUIRE(f["failures"].Size() == 1);
  CHECK(json::View(f["failures"][0]["requestContext"]["condition"]) == "RecordAgeExceeded");
  CHECK(f["failures"][0]["DDBStreamBatchInfo"]["batchSize"].GetInt() == 1);
  CHECK(h.batches_.back() == Keys({"b"}));
}

TEST_CASE("StartingPosition LATEST skips what the stream held when the hook was added") {
  HookHarness h;
  h.Put("old");
  h.Drain();
  streams::HookSpec spec;
  spec.table = "hooked";
  spec.url = "http://127.0.0.1:9/latest";
  spec.settings.start_at_latest = true;
  auto [added, id] = h.dispatcher_->Add(spec);
  REQUIRE(added);
  h.batches_.clear();
  h.Put("new");
  h.Drain();
  REQUIRE(h.batches_.size() == 2);  // the first hook and the new one, each with "new" alone
  CHECK(h.batches_[0] == Keys({"new"}));
  CHECK(h.batches_[1] == Keys({"new"}));
}

TEST_CASE("a paused hook delivers nothing until resumed; a replay from a sequence number sends again") {
  HookHarness h;
  h.Put("a");
  h.Drain();
  REQUIRE(h.dispatcher_->Pause(h.Id(), true).code == streams::HookControl::kOk);
  h.Put("b");
  h.Drain();
  CHECK(h.batches_.size() == 1);
  CHECK(json::View(h.State()["state"]) == "paused");
  CHECK(h.State()["lag"].GetInt() == 1);
  REQUIRE(h.dispatcher_->Pause(h.Id(), false).code == streams::HookControl::kOk);
  h.Drain();
  REQUIRE(h.batches_.size() == 2);
  CHECK(h.batches_[1] == Keys({"b"}));
  REQUIRE(h.dispatcher_->ReplayFrom(h.Id(), h.sequence_numbers_[0][0]).code == streams::HookControl::kOk);
  h.Drain();
  REQUIRE(h.batches_.size() == 3);
  CHECK(h.batches_[2] == Keys({"a", "b"}));
  CHECK(h.dispatcher_->ReplayFrom(h.Id(), "not-a-number").code == streams::HookControl::kInvalid);
  CHECK(h.dispatcher_->Pause("no-such-hook", true).code == streams::HookControl::kNotFound);
}

TEST_CASE("a function error reported by Lambda's Invoke API fails the batch") {
  HookHarness h;
  h.answer_ = [](size_t n) {
    streams::HttpResult r = Ok(R"({"errorMessage":"boom","errorType":"Exception"})");
    if (n == 0) r.function_error = "Unhandled";
    return r;
  };
  h.Put("a");
  h.Drain();
  h.now_ += 1;
  h.Drain();
  // The header fails the first; the payload alone only fails hooks declared by function name.
  REQUIRE(h.batches_.size() == 2);
  json::Document d = h.Deliveries();
  REQUIRE(d["deliveries"].Size() == 1);
  const json::Value& delivery = d["deliveries"][0];
  CHECK(json::View(delivery["outcome"]) == "delivered");
  CHECK(delivery["attemptCount"].GetInt() == 2);
  CHECK(json::View(delivery["attempts"][0]["error"]).find("function error") != std::string_view::npos);
}

TEST_CASE("deliveries, failures and positions survive a restart") {
  const std::string path = "/tmp/localddb-hook-restart-" + std::to_string(::getpid()) + ".sqlite";
  std::remove(path.c_str());
  {
    streams::HookSettings settings;
    settings.max_retry_attempts = 0;
    HookHarness h(settings, path);
    h.answer_ = [](size_t n) { return n == 0 ? Status(503, "down") : Ok(); };
    h.Put("a");
    h.Drain();
    h.Put("b");
    h.Drain();
    REQUIRE(h.batches_.size() == 2);
    h.MakeDispatcher();  // a restart over the same file
    h.Drain();
    CHECK(h.batches_.size() == 2);  // nothing delivered twice
    json::Document d = h.Deliveries();
    REQUIRE(d["deliveries"].Size() == 2);
    CHECK(json::View(d["deliveries"][0]["outcome"]) == "delivered");
    CHECK(json::View(d["deliveries"][1]["outcome"]) == "givenUp");
    CHECK(h.Failures()["failures"].Size() == 1);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}
