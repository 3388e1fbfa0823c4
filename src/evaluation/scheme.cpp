// Scheme files: TOML → Scheme, validated on load (docs/evaluation.md lists the rules).
#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "clusterscope/evaluation.h"
#include "core/small_file.h"

namespace clusterscope {
namespace {

struct BuiltinScheme {
  std::string_view id;
  std::string_view text;
};

// Generated at configure time from schemes/*.toml (src/evaluation/CMakeLists.txt).
constexpr BuiltinScheme kBuiltinSchemes[] = {
#include "evaluation/builtin_schemes.inc"
};

constexpr std::string_view kExtraIndicators[] = {
    "institutions_innovation_service",  // incubators and other innovation services
    "institutions_rd",                  // R&D institutions
    "institutions_finance",             // finance
    "institutions_other",
    "institutions_total",
    "institutions_national",  // national-level institutions of any category
    "zone_employment_share",  // cluster employees / employees of the cluster's zone
};

constexpr double kWeightTolerance = 1e-6;

// Collects the first problem; every check returns false once one is found.
class Validator {
 public:
  Validator(std::string source, Lang lang) : source_(std::move(source)), lang_(lang) {}

  Status Fail(const std::string& key, std::string_view zh, std::string_view en) const {
    return Status::InvalidInput(fmt::format("{}: {}: {}", source_, key.empty() ? "(file)" : key, Pick(lang_, zh, en)));
  }
  Lang lang() const { return lang_; }

 private:
  std::string source_;
  Lang lang_;
};

std::string Join(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

// Refuses keys outside `allowed` in `table` (a misspelt key must not be silently ignored).
Status CheckKeys(const Validator& v, const toml::table& table, const std::string& prefix,
                 std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, node] : table) {
    (void)node;
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key.str();
    if (!known) {
      std::string list;
      for (std::string_view a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      return v.Fail(Join(prefix, key.str()), fmt::format("未知的键（允许：{}）", list),
                    fmt::format("unknown key (allowed: {})", list));
    }
  }
  return Status::Ok();
}

Result<std::string> RequireString(const Validator& v, const toml::table& t, const std::string& prefix,
                                  std::string_view key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return v.Fail(Join(prefix, key), "缺少必填键", "missing key");
  auto s = n->value<std::string>();
  if (!s || !n->is_string()) return v.Fail(Join(prefix, key), "应为字符串", "must be a string");
  if (s->empty()) return v.Fail(Join(prefix, key), "不能为空", "must not be empty");
  return *s;
}

Result<double> RequireNumber(const Validator& v, const toml::table& t, const std::string& prefix,
                             std::string_view key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return v.Fail(Join(prefix, key), "缺少必填键", "missing key");
  if (!n->is_number()) return v.Fail(Join(prefix, key), "应为数字", "must be a number");
  double d = *n->value<double>();
  if (!std::isfinite(d)) return v.Fail(Join(prefix, key), "应为有限数字", "must be a finite number");
  return d;
}

Result<int64_t> RequireInteger(const Validator& v, const toml::table& t, const std::string& prefix,
                               std::string_view key) {
  const toml::node* n = t.get(key);
  if (n == nullptr) return v.Fail(Join(prefix, key), "缺少必填键", "missing key");
  if (!n->is_integer()) return v.Fail(Join(prefix, key), "应为整数", "must be a whole number");
  return *n->value<int64_t>();
}

std::optional<EvaluationMethod> ParseMethod(std::string_view s) {
  for (EvaluationMethod m : {EvaluationMethod::kWeighted, EvaluationMethod::kStrongCluster, EvaluationMethod::kStars,
                             EvaluationMethod::kEntropyTopsis, EvaluationMethod::kLifecycle}) {
    if (MethodId(m) == s) return m;
  }
  return std::nullopt;
}

bool KnownIndicator(std::string_view id) {
  if (FindIndicator(id) != nullptr) return true;
  for (std::string_view e : kExtraIndicators) {
    if (e == id) return true;
  }
  return false;
}

Status CheckIndicatorId(const Validator& v, const std::string& key, const std::string& id) {
  if (KnownIndicator(id)) return Status::Ok();
  return v.Fail(
      key, fmt::format("未知指标“{}”（见 clusterscope indicators --list 及 docs/evaluation.md）", id),
      fmt::format("unknown indicator \"{}\" (see clusterscope indicators --list and docs/evaluation.md)", id));
}

// An efficacy bound: a number (a fixed value in the indicator's unit) or "pNN" (a percentile, 0–100).
Result<EfficacyBound> ParseBound(const Validator& v, const toml::node& n, const std::string& key) {
  if (n.is_number()) {
    double d = *n.value<double>();
    if (!std::isfinite(d)) return v.Fail(key, "应为有限数字", "must be a finite number");
    return EfficacyBound{false, d};
  }
  if (auto text = n.value<std::string>(); text && n.is_string() && text->size() >= 2 && (*text)[0] == 'p') {
    char* end = nullptr;
    const std::string digits = text->substr(1);
    double pct = std::strtod(digits.c_str(), &end);
    if (end != nullptr && *end == '\0' && std::isfinite(pct) && pct >= 0.0 && pct <= 100.0) {
      return EfficacyBound{true, pct / 100.0};
    }
  }
  return v.Fail(key, "应为数字（固定值）或“pNN”（当年集群的第NN百分位，0–100）",
                "must be a number (a fixed value) or \"pNN\" (the NNth percentile of that year's clusters, 0-100)");
}

// x_h must be better than x_s: for fixed values in the indicator's direction, for percentiles higher.
Status CheckBounds(const Validator& v, const std::string& key, const SchemeIndicator& ind) {
  const EfficacyBound& h = ind.satisfactory;
  const EfficacyBound& u = ind.unacceptable;
  if (h.percentile != u.percentile) return Status::Ok();
  const bool ok = h.percentile || ind.direction == Direction::kBenefit ? h.value > u.value : h.value < u.value;
  if (ok) return Status::Ok();
  return v.Fail(key, "满意值 satisfactory 应优于不允许值 unacceptable（按指标方向）",
                "satisfactory must be better than unacceptable (in the indicator's direction)");
}

Status ParseDimensions(const Validator& v, const toml::table& root, Scheme& s) {
  const toml::node* n = root.get("dimensions");
  if (n == nullptr) return v.Fail("dimensions", "缺少必填键", "missing key");
  const toml::array* dims = n->as_array();
  if (dims == nullptr || dims->empty() || !dims->is_array_of_tables()) {
    return v.Fail("dimensions", "应为至少一个表（[[dimensions]]）", "must be one or more tables ([[dimensions]])");
  }
  const bool weighted = s.method == EvaluationMethod::kWeighted;
  std::set<std::string> seen;
  double dim_sum = 0.0;
  for (size_t d = 0; d < dims->size(); ++d) {
    const toml::table& dt = *dims->get(d)->as_table();
    std::string dp = fmt::format("dimensions[{}]", d);
    CS_RETURN_IF_ERROR(CheckKeys(v, dt, dp, {"id", "zh", "en", "weight", "indicators"}));
    SchemeDimension dim;
    CS_ASSIGN_OR_RETURN(dim.id, RequireString(v, dt, dp, "id"));
    CS_ASSIGN_OR_RETURN(dim.zh, RequireString(v, dt, dp, "zh"));
    CS_ASSIGN_OR_RETURN(dim.en, RequireString(v, dt, dp, "en"));
    if (weighted) {
      CS_ASSIGN_OR_RETURN(dim.weight, RequireNumber(v, dt, dp, "weight"));
      if (dim.weight <= 0.0 || dim.weight > 1.0)
        return v.Fail(dp + ".weight", "权重应在 (0, 1] 之内", "a weight must be in (0, 1]");
      dim_sum += dim.weight;
    }
    const toml::array* inds = dt.get("indicators") ? dt.get("indicators")->as_array() : nullptr;
    if (inds == nullptr || inds->empty() || !inds->is_array_of_tables()) {
      return v.Fail(dp + ".indicators", "应为至少一个指标表", "must be one or more indicator tables");
    }
    double ind_sum = 0.0;
    for (size_t i = 0; i < inds->size(); ++i) {
      const toml::table& it = *inds->get(i)->as_table();
      std::string ip = fmt::format("{}.indicators[{}]", dp, i);
      CS_RETURN_IF_ERROR(CheckKeys(v, it, ip, {"id", "direction", "weight", "satisfactory", "unacceptable"}));
      SchemeIndicator ind;
      CS_ASSIGN_OR_RETURN(ind.id, RequireString(v, it, ip, "id"));
      CS_RETURN_IF_ERROR(CheckIndicatorId(v, ip + ".id", ind.id));
      if (!seen.insert(ind.id).second) {
        return v.Fail(ip + ".id", fmt::format("指标“{}”出现两次", ind.id),
                      fmt::format("indicator \"{}\" appears twice", ind.id));
      }
      CS_ASSIGN_OR_RETURN(std::string dir, RequireString(v, it, ip, "direction"));
      if (dir == "benefit") {
        ind.direction = Direction::kBenefit;
      } else if (dir == "cost") {
        ind.direction = Direction::kCost;
      } else {
        return v.Fail(
            ip + ".direction", fmt::format("方向“{}”无效：应为 benefit（越大越好）或 cost（越小越好）", dir),
            fmt::format("bad direction \"{}\": must be benefit (more is better) or cost (less is better)", dir));
      }
      // The direction must agree with the indicator registry's (a less-is-better indicator is a cost).
      if (const IndicatorInfo* info = FindIndicator(ind.id)) {
        const bool contradicts =
            (info->direction == IndicatorDirection::kLess && ind.direction == Direction::kBenefit) ||
            (info->direction == IndicatorDirection::kMore && ind.direction == Direction::kCost);
        if (contradicts) {
          return v.Fail(ip + ".direction",
                        fmt::format("方向“{}”与指标目录不符（{}：{}）", dir, ind.id,
                                    info->direction == IndicatorDirection::kLess ? "越小越好" : "越大越好"),
                        fmt::format("direction \"{}\" contradicts the indicator registry ({}: {} is better)", dir,
                                    ind.id, info->direction == IndicatorDirection::kLess ? "less" : "more"));
        }
      }
      ind.satisfactory = s.default_satisfactory;
      ind.unacceptable = s.default_unacceptable;
      const bool efficacy = weighted && s.normalisation == Normalisation::kEfficacy;
      for (std::string_view key : {"satisfactory", "unacceptable"}) {
        const toml::node* b = it.get(key);
        if (b == nullptr) continue;
        if (!efficacy) {
          return v.Fail(Join(ip, key), "仅功效系数法（normalisation = \"efficacy\"）使用此键",
                        "only the efficacy coefficient method (normalisation = \"efficacy\") reads this key");
        }
        CS_ASSIGN_OR_RETURN(EfficacyBound bound, ParseBound(v, *b, Join(ip, key)));
        (key == "satisfactory" ? ind.satisfactory : ind.unacceptable) = bound;
      }
      if (efficacy) CS_RETURN_IF_ERROR(CheckBounds(v, ip, ind));
      if (weighted) {
        CS_ASSIGN_OR_RETURN(ind.weight, RequireNumber(v, it, ip, "weight"));
        if (ind.weight <= 0.0 || ind.weight > 1.0)
          return v.Fail(ip + ".weight", "权重应在 (0, 1] 之内", "a weight must be in (0, 1]");
        ind_sum += ind.weight;
      }
      dim.indicators.push_back(std::move(ind));
    }
    if (weighted && std::fabs(ind_sum - 1.0) > kWeightTolerance) {
      return v.Fail(dp + ".indicators", fmt::format("维度“{}”内指标权重之和为 {:g}，应为 1", dim.zh, ind_sum),
                    fmt::format("indicator weights in dimension \"{}\" sum to {:g}, not 1", dim.id, ind_sum));
    }
    s.dimensions.push_back(std::move(dim));
  }
  if (weighted && std::fabs(dim_sum - 1.0) > kWeightTolerance) {
    return v.Fail("dimensions", fmt::format("维度权重之和为 {:g}，应为 1", dim_sum),
                  fmt::format("dimension weights sum to {:g}, not 1", dim_sum));
  }
  return Status::Ok();
}

Status ParseGrades(const Validator& v, const toml::table& root, Scheme& s) {
  const toml::node* n = root.get("grades");
  if (n == nullptr) return v.Fail("grades", "缺少必填键", "missing key");
  const toml::array* grades = n->as_array();
  if (grades == nullptr || grades->empty() || !grades->is_array_of_tables()) {
    return v.Fail("grades", "应为至少一个表（[[grades]]）", "must be one or more tables ([[grades]])");
  }
  for (size_t g = 0; g < grades->size(); ++g) {
    const toml::table& gt = *grades->get(g)->as_table();
    std::string gp = fmt::format("grades[{}]", g);
    CS_RETURN_IF_ERROR(CheckKeys(v, gt, gp, {"id", "zh", "en", "min_score"}));
    GradeRule rule;
    CS_ASSIGN_OR_RETURN(rule.id, RequireString(v, gt, gp, "id"));
    CS_ASSIGN_OR_RETURN(rule.zh, RequireString(v, gt, gp, "zh"));
    CS_ASSIGN_OR_RETURN(rule.en, RequireString(v, gt, gp, "en"));
    CS_ASSIGN_OR_RETURN(rule.min_score, RequireNumber(v, gt, gp, "min_score"));
    if (rule.min_score < 0.0 || rule.min_score > 100.0) {
      return v.Fail(gp + ".min_score", "分数线应在 0–100 之内", "a cut-off must be within 0-100");
    }
    if (!s.grades.empty() && rule.min_score >= s.grades.back().min_score) {
      return v.Fail(
          gp + ".min_score",
          fmt::format("分数线须从高到低排列：{:g} 不低于上一档的 {:g}", rule.min_score, s.grades.back().min_score),
          fmt::format("cut-offs must descend: {:g} is not below the previous grade's {:g}", rule.min_score,
                      s.grades.back().min_score));
    }
    s.grades.push_back(std::move(rule));
  }
  if (s.grades.back().min_score != 0.0) {
    return v.Fail(fmt::format("grades[{}].min_score", s.grades.size() - 1),
                  "最低一档的分数线应为 0（每个分数都有等级）",
                  "the lowest grade's cut-off must be 0 (every score gets a grade)");
  }
  return Status::Ok();
}

struct MethodNeeds {
  std::vector<std::string_view> roles;
  std::vector<std::string_view> params;
};

MethodNeeds NeedsOf(EvaluationMethod m) {
  switch (m) {
    case EvaluationMethod::kStrongCluster:
      return {{"lq", "employees", "firms"}, {"lq_percentile", "lq_floor", "size_percentile"}};
    case EvaluationMethod::kStars:
      return {{"size", "specialisation", "focus"}, {"size_top_share", "lq_min", "focus_top_share"}};
    case EvaluationMethod::kLifecycle:
      return {{"lq", "growth"}, {"lq_threshold", "growth_threshold"}};
    default:
      return {};
  }
}

Status ParseRolesAndParams(const Validator& v, const toml::table& root, Scheme& s) {
  MethodNeeds needs = NeedsOf(s.method);
  const toml::table* roles = root.get("roles") ? root.get("roles")->as_table() : nullptr;
  if (roles == nullptr) return v.Fail("roles", "缺少必填表", "missing table");
  for (const auto& [key, node] : *roles) {
    (void)node;
    bool known = false;
    for (std::string_view r : needs.roles) known = known || r == key.str();
    if (!known) {
      return v.Fail(Join("roles", key.str()), "此方法不使用该角色", "this method has no such role");
    }
  }
  for (std::string_view role : needs.roles) {
    CS_ASSIGN_OR_RETURN(std::string id, RequireString(v, *roles, "roles", role));
    CS_RETURN_IF_ERROR(CheckIndicatorId(v, Join("roles", role), id));
    s.roles[std::string(role)] = id;
  }
  const toml::table* params = root.get("params") ? root.get("params")->as_table() : nullptr;
  if (params == nullptr) return v.Fail("params", "缺少必填表", "missing table");
  for (const auto& [key, node] : *params) {
    (void)node;
    bool known = false;
    for (std::string_view p : needs.params) known = known || p == key.str();
    if (!known) return v.Fail(Join("params", key.str()), "此方法不使用该参数", "this method has no such parameter");
  }
  for (std::string_view p : needs.params) {
    CS_ASSIGN_OR_RETURN(double d, RequireNumber(v, *params, "params", p));
    bool is_share = p.ends_with("percentile") || p.ends_with("share");
    if (is_share && (d < 0.0 || d > 1.0)) {
      return v.Fail(Join("params", p), "应在 0–1 之内", "must be within 0-1");
    }
    s.params[std::string(p)] = d;
  }
  return Status::Ok();
}

}  // namespace

std::string_view MethodId(EvaluationMethod method) {
  switch (method) {
    case EvaluationMethod::kWeighted:
      return "weighted";
    case EvaluationMethod::kStrongCluster:
      return "strong-cluster";
    case EvaluationMethod::kStars:
      return "stars";
    case EvaluationMethod::kEntropyTopsis:
      return "entropy-topsis";
    case EvaluationMethod::kLifecycle:
      return "lifecycle";
  }
  return "";
}

std::span<const std::string_view> EvaluationExtraIndicators() { return kExtraIndicators; }

std::vector<std::string> BuiltinSchemeIds() {
  std::vector<std::string> ids;
  for (const BuiltinScheme& b : kBuiltinSchemes) ids.emplace_back(b.id);
  return ids;
}

Result<Scheme> ParseScheme(std::string_view toml_text, const std::string& source, Lang lang) {
  Validator v(source, lang);
  toml::table root;
  try {
    root = toml::parse(toml_text, source);
  } catch (const toml::parse_error& e) {
    return Status::InvalidInput(fmt::format("{}:{}:{}: {}: {}", source, e.source().begin.line, e.source().begin.column,
                                            Pick(lang, "TOML 语法错误", "TOML syntax error"), e.description()));
  }
  Scheme s;
  s.source = source;
  CS_ASSIGN_OR_RETURN(s.id, RequireString(v, root, "", "id"));
  CS_ASSIGN_OR_RETURN(int64_t version, RequireInteger(v, root, "", "version"));
  if (version < 1 || version > 1000000) return v.Fail("version", "版本号应为正整数", "must be a positive whole number");
  s.version = static_cast<int>(version);
  CS_ASSIGN_OR_RETURN(std::string method, RequireString(v, root, "", "method"));
  auto m = ParseMethod(method);
  if (!m) {
    return v.Fail(
        "method",
        fmt::format("未知方法“{}”（应为 weighted、strong-cluster、stars、entropy-topsis 或 lifecycle）", method),
        fmt::format("unknown method \"{}\" (weighted, strong-cluster, stars, entropy-topsis or lifecycle)", method));
  }
  s.method = *m;
  CS_ASSIGN_OR_RETURN(s.zh, RequireString(v, root, "", "zh"));
  CS_ASSIGN_OR_RETURN(s.en, RequireString(v, root, "", "en"));
  CS_ASSIGN_OR_RETURN(int64_t min_firms, RequireInteger(v, root, "", "min_firms"));
  if (min_firms < 0 || min_firms > 1000000) return v.Fail("min_firms", "应为非负整数", "must be a whole number ≥ 0");
  s.min_firms = static_cast<int>(min_firms);

  switch (s.method) {
    case EvaluationMethod::kWeighted: {
      CS_RETURN_IF_ERROR(CheckKeys(v, root, "",
                                   {"id", "version", "method", "zh", "en", "min_firms", "normalisation", "efficacy",
                                    "expert", "dimensions", "grades"}));
      CS_ASSIGN_OR_RETURN(std::string norm, RequireString(v, root, "", "normalisation"));
      if (norm == "minmax") {
        s.normalisation = Normalisation::kMinMax;
      } else if (norm == "percentile") {
        s.normalisation = Normalisation::kPercentile;
      } else if (norm == "efficacy") {
        s.normalisation = Normalisation::kEfficacy;
      } else {
        return v.Fail("normalisation", fmt::format("未知的标准化方法“{}”（应为 efficacy、minmax 或 percentile）", norm),
                      fmt::format("unknown normalisation \"{}\" (efficacy, minmax or percentile)", norm));
      }
      if (const toml::node* e = root.get("efficacy")) {
        const toml::table* et = e->as_table();
        if (et == nullptr) return v.Fail("efficacy", "应为表", "must be a table");
        if (s.normalisation != Normalisation::kEfficacy) {
          return v.Fail("efficacy", "仅功效系数法（normalisation = \"efficacy\"）使用此表",
                        "only the efficacy coefficient method (normalisation = \"efficacy\") reads this table");
        }
        CS_RETURN_IF_ERROR(CheckKeys(v, *et, "efficacy", {"satisfactory", "unacceptable"}));
        if (const toml::node* b = et->get("satisfactory")) {
          CS_ASSIGN_OR_RETURN(s.default_satisfactory, ParseBound(v, *b, "efficacy.satisfactory"));
        }
        if (const toml::node* b = et->get("unacceptable")) {
          CS_ASSIGN_OR_RETURN(s.default_unacceptable, ParseBound(v, *b, "efficacy.unacceptable"));
        }
      }
      if (const toml::node* e = root.get("expert")) {
        const toml::table* et = e->as_table();
        if (et == nullptr) return v.Fail("expert", "应为表", "must be a table");
        CS_RETURN_IF_ERROR(CheckKeys(v, *et, "expert", {"data_weight", "expert_weight"}));
        CS_ASSIGN_OR_RETURN(s.data_weight, RequireNumber(v, *et, "expert", "data_weight"));
        CS_ASSIGN_OR_RETURN(s.expert_weight, RequireNumber(v, *et, "expert", "expert_weight"));
        if (s.data_weight < 0.0 || s.expert_weight < 0.0 ||
            std::fabs(s.data_weight + s.expert_weight - 1.0) > kWeightTolerance) {
          return v.Fail("expert", "data_weight 与 expert_weight 应为非负且和为 1",
                        "data_weight and expert_weight must be ≥ 0 and sum to 1");
        }
      }
      CS_RETURN_IF_ERROR(ParseDimensions(v, root, s));
      CS_RETURN_IF_ERROR(ParseGrades(v, root, s));
      break;
    }
    case EvaluationMethod::kEntropyTopsis:
      CS_RETURN_IF_ERROR(CheckKeys(v, root, "", {"id", "version", "method", "zh", "en", "min_firms", "dimensions"}));
      CS_RETURN_IF_ERROR(ParseDimensions(v, root, s));
      break;
    case EvaluationMethod::kStrongCluster:
    case EvaluationMethod::kStars:
    case EvaluationMethod::kLifecycle:
      CS_RETURN_IF_ERROR(
          CheckKeys(v, root, "", {"id", "version", "method", "zh", "en", "min_firms", "min_peers", "roles", "params"}));
      if (root.get("min_peers") != nullptr) {
        CS_ASSIGN_OR_RETURN(int64_t min_peers, RequireInteger(v, root, "", "min_peers"));
        if (min_peers < 1 || min_peers > 1000000)
          return v.Fail("min_peers", "应为正整数", "must be a whole number ≥ 1");
        s.min_peers = static_cast<int>(min_peers);
      }
      CS_RETURN_IF_ERROR(ParseRolesAndParams(v, root, s));
      break;
  }
  return s;
}

Result<Scheme> LoadScheme(const std::string& name_or_path, Lang lang) {
  bool path_like = name_or_path.find('/') != std::string::npos || name_or_path.ends_with(".toml");
  if (!path_like) {
    for (const BuiltinScheme& b : kBuiltinSchemes) {
      if (b.id == name_or_path) return ParseScheme(b.text, "builtin:" + std::string(b.id), lang);
    }
    std::string ids;
    for (const BuiltinScheme& b : kBuiltinSchemes) ids += (ids.empty() ? "" : ", ") + std::string(b.id);
    return Status::NotFound(
        fmt::format("{}: {}", name_or_path,
                    Pick(lang, fmt::format("没有这个评价方案（内置：{}；或给出 .toml 文件路径）", ids),
                         fmt::format("no such scheme (shipped: {}; or give a .toml file path)", ids))));
  }
  // A scheme is a few kilobytes; the cap keeps /dev/zero or a huge file from being read without end.
  constexpr size_t kMaxSchemeBytes = 1 << 20;
  auto text = core::ReadSmallFile(name_or_path, kMaxSchemeBytes);
  if (!text.ok()) {
    if (text.status().code() != StatusCode::kNotFound) return text.status();
    return Status::NotFound(fmt::format("{}: {}", name_or_path,
                                        Pick(lang, "方案文件不存在或无法读取", "scheme file missing or unreadable")));
  }
  return ParseScheme(*text, name_or_path, lang);
}

}  // namespace clusterscope
