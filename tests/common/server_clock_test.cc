#include "common/server_clock.h"

#include <catch2/catch.hpp>

using namespace localddb;

TEST_CASE("ISO-8601 times: what is read, and what is refused") {
  CHECK(ParseIso8601("2026-01-01T00:00:00Z") == 1767225600.0);
  CHECK(ParseIso8601("2026-01-01") == 1767225600.0);
  CHECK(ParseIso8601("2026-01-01T02:00:00+02:00") == 1767225600.0);
  CHECK(ParseIso8601("2026-01-01T00:00:00.250Z") == 1767225600.25);
  CHECK(ParseIso8601("2024-02-29T00:00:00Z").has_value());  // a leap day
  for (const char* bad :
       {"", "yesterday", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z", "2030-02-31T00:00:00Z", "2026-04-31",
        "2026-01-01T25:00:00Z", "2026-01-01T00:00:00", "2026-01-01T00:00:00Zjunk", "1969-12-31T00:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(ParseIso8601(bad).has_value());
  }
  CHECK(FormatIso8601(1767225600.25) == "2026-01-01T00:00:00.250Z");
}

TEST_CASE("a manual clock stands still until set or advanced; a real one can be shifted") {
  ServerClock clock;
  CHECK_FALSE(clock.manual());
  clock.Set(1000);
  CHECK(clock.manual());
  CHECK(clock.Now() == 1000);
  clock.Advance(60.5);
  CHECK(clock.Now() == 1060.5);
  clock.SetReal();
  const double real = clock.Now();
  clock.Advance(3600);
  CHECK(clock.Now() - real >= 3600);
  CHECK(clock.Now() - real < 3660);
}
