#include "rules/exact.h"

#include <fmt/format.h>

namespace clusterscope::rules {

std::string Percent(double fraction) { return fmt::format("{:.1f}%", fraction * 100.0); }

std::string PercentBelow(double fraction, double bar) {
  for (int decimals = 1; decimals < 4; ++decimals) {
    std::string s = fmt::format("{:.{}f}", fraction * 100.0, decimals);
    if (fraction >= bar || std::stod(s) < bar * 100.0) return s + "%";
  }
  return fmt::format("{:.4f}%", fraction * 100.0);
}

std::string Wan(int64_t fen) {
  std::string s = fmt::format("{:.2f}", static_cast<double>(fen) / 1e6);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s + "万元";
}

std::string MillionYuan(int64_t fen) {
  std::string s = fmt::format("{:.2f}", static_cast<double>(fen) / 1e8);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s + " million yuan";
}

}  // namespace clusterscope::rules
