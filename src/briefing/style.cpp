#include "briefing/style.h"

#include <fmt/format.h>

#include <cmath>

namespace clusterscope::briefing {
namespace {

// One decimal, without a trailing ".0".
std::string OneDecimal(double v) {
  std::string s = fmt::format("{:.1f}", v);
  if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
  if (s == "-0") s = "0";
  return s;
}

std::string TwoDecimals(double v) {
  std::string s = fmt::format("{:.2f}", v);
  while (s.ends_with('0')) s.pop_back();
  if (s.ends_with('.')) s.pop_back();
  return s;
}

}  // namespace

std::string Pct(double fraction) {
  std::string s = fmt::format("{:.1f}%", fraction * 100);
  return s == "-0.0%" ? "0.0%" : s;
}

std::string Thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return n < 0 ? "-" + out : out;
}

std::string MoneyZh(double yuan) {
  const double a = std::fabs(yuan);
  if (a >= 0.9995e8) return OneDecimal(yuan / 1e8) + "亿元";
  if (a >= 1e4) return fmt::format("{:.0f}万元", yuan / 1e4);
  return fmt::format("{:.0f}元", yuan);
}

std::string MoneyEn(double yuan) {
  const double a = std::fabs(yuan);
  if (a >= 0.9995e9) return OneDecimal(yuan / 1e9) + " billion yuan";
  if (a >= 0.9995e6) return OneDecimal(yuan / 1e6) + " million yuan";
  if (a >= 1e4) return TwoDecimals(yuan / 1e6) + " million yuan";
  return Thousands(std::llround(yuan)) + " yuan";
}

std::string Money(double yuan, Lang lang) { return lang == Lang::kZh ? MoneyZh(yuan) : MoneyEn(yuan); }

std::string FirmsEn(int64_t n) { return n == 1 ? "one firm" : fmt::format("{} firms", Thousands(n)); }

std::string PositionShort(double p, Lang lang) {
  const bool zh = lang == Lang::kZh;
  if (p >= 0.5) {
    const long top = std::max(1L, std::lround((1 - p) * 100));
    return zh ? fmt::format("全部集群前{}%", top) : fmt::format("top {}% of all clusters", top);
  }
  const long bottom = std::max(1L, std::lround(p * 100));
  return zh ? fmt::format("全部集群后{}%", bottom) : fmt::format("bottom {}% of all clusters", bottom);
}

std::string Position(double p, Lang lang) {
  const bool zh = lang == Lang::kZh;
  const long top = std::max(1L, std::lround((1 - p) * 100));
  const long bottom = std::max(1L, std::lround(p * 100));
  if (p >= 0.75)
    return zh ? fmt::format("处于全部集群前列（前{}%）", top)
              : fmt::format("among the leading clusters (top {}%)", top);
  if (p >= 0.5) {
    return zh ? fmt::format("处于全部集群中上水平（前{}%）", top)
              : fmt::format("in the upper middle of all clusters (top {}%)", top);
  }
  if (p >= 0.25) {
    return zh ? fmt::format("处于全部集群中下水平（后{}%）", bottom)
              : fmt::format("in the lower middle of all clusters (bottom {}%)", bottom);
  }
  return zh ? fmt::format("处于全部集群靠后位置（后{}%）", bottom)
            : fmt::format("near the bottom of all clusters (bottom {}%)", bottom);
}

std::string FormatRatio(double x, const std::string& unit, Lang lang) {
  const bool zh = lang == Lang::kZh;
  if (unit == "share" || unit == "growth") return Pct(x);
  if (unit == "yuan") return Money(x, lang);
  if (unit == "yuan_per_person") {
    return zh ? fmt::format("{:.1f}万元/人", x / 1e4) : fmt::format("{} yuan per employee", Thousands(std::llround(x)));
  }
  if (unit == "yuan_per_firm") {
    return zh ? fmt::format("{:.1f}万元/家", x / 1e4) : fmt::format("{} yuan per firm", Thousands(std::llround(x)));
  }
  if (unit == "per1000" || unit == "per_1000_employees")
    return zh ? fmt::format("{:.1f}人/千人", x) : fmt::format("{:.1f} per 1,000 employees", x);
  if (unit == "per10k" || unit == "per_10000_employees")
    return zh ? fmt::format("{:.1f}件/万人", x) : fmt::format("{:.1f} per 10,000 employees", x);
  return fmt::format("{:.2f}", x);
}

std::string FormatValue(const IndicatorValue& v, Lang lang) {
  if (!v.has_value()) return std::string(NullReasonText(v.reason, lang));
  const bool zh = lang == Lang::kZh;
  switch (v.indicator->unit) {
    case IndicatorUnit::kFirms:
      return zh ? fmt::format("{}家", *v.integer) : FirmsEn(*v.integer);
    case IndicatorUnit::kPersons:
      return zh ? fmt::format("{}人", *v.integer)
                : fmt::format("{} {}", Thousands(*v.integer), *v.integer == 1 ? "person" : "persons");
    case IndicatorUnit::kItems:
      return zh ? fmt::format("{}件", *v.integer)
                : fmt::format("{} {}", Thousands(*v.integer), *v.integer == 1 ? "item" : "items");
    default:
      return FormatRatio(*v.AsDouble(), std::string(UnitId(v.indicator->unit)), lang);
  }
}

std::string Capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

}  // namespace clusterscope::briefing
