// The two languages every label, message and report exists in.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace clusterscope {

enum class Lang { kZh, kEn };

// From LC_ALL, LC_MESSAGES, LANG (in that order): "zh…" → Chinese, anything else → English.
Lang DefaultLang();
std::optional<Lang> ParseLang(std::string_view s);  // "zh", "en"

// Picks the text for `lang`.
inline std::string_view Pick(Lang lang, std::string_view zh, std::string_view en) {
  return lang == Lang::kZh ? zh : en;
}

// English ordinals: "1st", "2nd", "3rd", "11th", "21st".
std::string EnglishOrdinal(int n);

}  // namespace clusterscope
