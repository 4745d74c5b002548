#include "common/server_clock.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace localddb {
namespace {

int64_t SystemMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

int64_t ToMicros(double seconds) { return static_cast<int64_t>(std::llround(seconds * 1e6)); }

// Reads exactly n digits at text[pos], advancing pos; -1 if they are not there.
int Digits(std::string_view text, size_t& pos, int n) {
  if (pos + n > text.size()) return -1;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

bool Take(std::string_view text, size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

}  // namespace

double ServerClock::Now() const {
  if (manual_.load(std::memory_order_relaxed)) return manual_us_.load(std::memory_order_relaxed) / 1e6;
  return (SystemMicros() + offset_us_.load(std::memory_order_relaxed)) / 1e6;
}

void ServerClock::Set(double at) {
  manual_us_ = ToMicros(at);
  manual_ = true;
}

void ServerClock::Advance(double seconds) {
  if (manual_)
    manual_us_ += ToMicros(seconds);
  else
    offset_us_ += ToMicros(seconds);
}

void ServerClock::SetReal() {
  manual_ = false;
  offset_us_ = 0;
}

std::optional<double> ParseIso8601(std::string_view text) {
  size_t pos = 0;
  std::tm tm{};
  const int year = Digits(text, pos, 4);
  if (year < 1970 || !Take(text, pos, '-')) return std::nullopt;
  const int month = Digits(text, pos, 2);
  if (month < 1 || month > 12 || !Take(text, pos, '-')) return std::nullopt;
  const int day = Digits(text, pos, 2);
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day < 1 || day > kDays[month - 1] + (month == 2 && leap ? 1 : 0)) return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  double fraction = 0;
  int offset_minutes = 0;
  if (pos < text.size()) {
    if (!Take(text, pos, 'T') && !Take(text, pos, ' ')) return std::nullopt;
    tm.tm_hour = Digits(text, pos, 2);
    if (tm.tm_hour < 0 || tm.tm_hour > 23 || !Take(text, pos, ':')) return std::nullopt;
    tm.tm_min = Digits(text, pos, 2);
    if (tm.tm_min < 0 || tm.tm_min > 59) return std::nullopt;
    if (Take(text, pos, ':')) {
      tm.tm_sec = Digits(text, pos, 2);
      if (tm.tm_sec < 0 || tm.tm_sec > 60) return std::nullopt;
      if (Take(text, pos, '.')) {
        double scale = 0.1;
        const size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9' && pos - start < 9) {
          fraction += (text[pos++] - '0') * scale;
          scale /= 10;
        }
        if (pos == start) return std::nullopt;
      }
    }
    if (Take(text, pos, 'Z')) {
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
      const int sign = text[pos++] == '+' ? 1 : -1;
      const int h = Digits(text, pos, 2);
      Take(text, pos, ':');
      const int m = Digits(text, pos, 2);
      if (h < 0 || h > 23 || m < 0 || m > 59) return std::nullopt;
      offset_minutes = sign * (h * 60 + m);
    } else {
      return std::nullopt;  // a time needs its zone: Z or an offset
    }
  }
  if (pos != text.size()) return std::nullopt;
  const std::time_t t = timegm(&tm);
  if (t == -1) return std::nullopt;
  return static_cast<double>(t) + fraction - offset_minutes * 60.0;
}

std::string FormatIso8601(double seconds) {
  const double whole = std::floor(seconds);
  const std::time_t t = static_cast<std::time_t>(whole);
  int ms = static_cast<int>(std::llround((seconds - whole) * 1000));
  if (ms == 1000) ms = 999;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[96];  // room for any int the fields could hold, which the compiler checks
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, ms);
  return buf;
}

}  // namespace localddb
