#include "clusterscope/lang.h"

#include <cstdlib>

namespace clusterscope {

Lang DefaultLang() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(var);
    if (value == nullptr || *value == '\0') continue;
    return std::string_view(value).starts_with("zh") ? Lang::kZh : Lang::kEn;
  }
  return Lang::kEn;
}

std::optional<Lang> ParseLang(std::string_view s) {
  if (s == "zh" || s == "zh-CN" || s == "zh_CN") return Lang::kZh;
  if (s == "en") return Lang::kEn;
  return std::nullopt;
}

std::string EnglishOrdinal(int n) {
  const int tens = n % 100;
  const char* suffix = "th";
  if (tens < 11 || tens > 13) {
    switch (n % 10) {
      case 1:
        suffix = "st";
        break;
      case 2:
        suffix = "nd";
        break;
      case 3:
        suffix = "rd";
        break;
      default:
        break;
    }
  }
  return std::to_string(n) + suffix;
}

}  // namespace clusterscope
