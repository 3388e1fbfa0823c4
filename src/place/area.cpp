// Specialisation and concentration over a region × industry matrix (place.md, "areal"), and the
// loader that builds the matrix from the data set.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>

#include "clusterscope/place.h"
#include "indicators/dataset.h"

namespace clusterscope::place {

std::optional<RegionLevel> ParseRegionLevel(std::string_view s) {
  if (s == "province") return RegionLevel::kProvince;
  if (s == "prefecture") return RegionLevel::kPrefecture;
  if (s == "zone") return RegionLevel::kZone;
  return std::nullopt;
}
std::optional<IndustryLevel> ParseIndustryLevel(std::string_view s) {
  if (s == "division") return IndustryLevel::kDivision;
  if (s == "group") return IndustryLevel::kGroup;
  if (s == "class") return IndustryLevel::kClass;
  return std::nullopt;
}
std::optional<Measure> ParseMeasure(std::string_view s) {
  if (s == "employees") return Measure::kEmployees;
  if (s == "gross_output") return Measure::kGrossOutput;
  if (s == "value_added") return Measure::kValueAdded;
  if (s == "firms") return Measure::kFirms;
  return std::nullopt;
}
std::string_view RegionLevelId(RegionLevel level) {
  switch (level) {
    case RegionLevel::kProvince:
      return "province";
    case RegionLevel::kPrefecture:
      return "prefecture";
    case RegionLevel::kZone:
      return "zone";
  }
  return "";
}
std::string_view IndustryLevelId(IndustryLevel level) {
  switch (level) {
    case IndustryLevel::kDivision:
      return "division";
    case IndustryLevel::kGroup:
      return "group";
    case IndustryLevel::kClass:
      return "class";
  }
  return "";
}
std::string_view MeasureId(Measure measure) {
  switch (measure) {
    case Measure::kEmployees:
      return "employees";
    case Measure::kGrossOutput:
      return "gross_output";
    case Measure::kValueAdded:
      return "value_added";
    case Measure::kFirms:
      return "firms";
  }
  return "";
}

std::string_view PlaceNullId(PlaceNull reason) {
  switch (reason) {
    case PlaceNull::kNone:
      return "";
    case PlaceNull::kZeroTotal:
      return "zero_total";
    case PlaceNull::kSinglePlant:
      return "single_plant";
    case PlaceNull::kOneRegion:
      return "one_region";
    case PlaceNull::kOneIndustry:
      return "one_industry";
    case PlaceNull::kNoGamma:
      return "no_gamma";
  }
  return "";
}

std::string_view PlaceNullText(PlaceNull reason, Lang lang) {
  switch (reason) {
    case PlaceNull::kNone:
      return "";
    case PlaceNull::kZeroTotal:
      return Pick(lang, "合计为零", "the total is zero");
    case PlaceNull::kSinglePlant:
      return Pick(lang, "仅一家企业（H = 1）", "a single plant (H = 1)");
    case PlaceNull::kOneRegion:
      return Pick(lang, "全部集中于一个地区（Σx² = 1）", "everything lies in one region (Σx² = 1)");
    case PlaceNull::kOneIndustry:
      return Pick(lang, "至少需要两个行业", "needs at least two industries");
    case PlaceNull::kNoGamma:
      return Pick(lang, "某行业的γ无法计算", "an industry's own γ is null");
  }
  return "";
}

std::vector<std::vector<double>> AreaMatrix::Cells() const {
  std::vector<std::vector<double>> e(regions.size(), std::vector<double>(industries.size(), 0.0));
  for (const Plant& p : plants) e[static_cast<size_t>(p.region)][static_cast<size_t>(p.industry)] += p.value;
  return e;
}

namespace {

// The matrix with its margins, and per industry its plants' values, computed once per call.
struct Margins {
  std::vector<std::vector<double>> e;
  std::vector<double> row, col;
  double total = 0;
  std::vector<std::vector<int64_t>> plants_in;  // [r][i]
  std::vector<int64_t> plants_of_industry;
  std::vector<double> h;  // Σ z_j², −1 when E_i = 0

  explicit Margins(const AreaMatrix& m) : e(m.Cells()) {
    const size_t nr = m.regions.size(), ni = m.industries.size();
    row.assign(nr, 0.0);
    col.assign(ni, 0.0);
    plants_in.assign(nr, std::vector<int64_t>(ni, 0));
    plants_of_industry.assign(ni, 0);
    for (size_t r = 0; r < nr; ++r) {
      for (size_t i = 0; i < ni; ++i) {
        row[r] += e[r][i];
        col[i] += e[r][i];
      }
    }
    for (double c : col) total += c;
    h.assign(ni, 0.0);
    for (const Plant& p : m.plants) {
      const auto i = static_cast<size_t>(p.industry);
      ++plants_in[static_cast<size_t>(p.region)][i];
      ++plants_of_industry[i];
      if (col[i] > 0) h[i] += (p.value / col[i]) * (p.value / col[i]);
    }
    for (size_t i = 0; i < ni; ++i) {
      if (!(col[i] > 0)) h[i] = -1;
    }
  }
  int64_t RegionsOf(size_t i) const {
    int64_t n = 0;
    for (size_t r = 0; r < e.size(); ++r) n += e[r][i] > 0 ? 1 : 0;
    return n;
  }
  double SumX2() const {
    double s = 0;
    for (double x : row) s += (x / total) * (x / total);
    return s;
  }
  // Ellison–Glaeser γ of industry i, or the reason it has none.
  std::pair<std::optional<double>, PlaceNull> Gamma(size_t i) const {
    if (!(col[i] > 0) || !(total > 0)) return {std::nullopt, PlaceNull::kZeroTotal};
    const double x2 = SumX2();
    if (h[i] >= 1.0) return {std::nullopt, PlaceNull::kSinglePlant};
    if (x2 >= 1.0) return {std::nullopt, PlaceNull::kOneRegion};
    double g = 0;
    for (size_t r = 0; r < e.size(); ++r) {
      const double d = e[r][i] / col[i] - row[r] / total;
      g += d * d;
    }
    return {(g - (1 - x2) * h[i]) / ((1 - x2) * (1 - h[i])), PlaceNull::kNone};
  }
};

AreaValue IndustryValue(const AreaMatrix& m, const Margins& g, size_t i) {
  AreaValue v;
  v.industry = m.industries[i];
  v.firms = g.plants_of_industry[i];
  v.regions = g.RegionsOf(i);
  return v;
}

}  // namespace

std::vector<AreaValue> LocationQuotients(const AreaMatrix& m) {
  const Margins g(m);
  std::vector<AreaValue> out;
  for (size_t r = 0; r < m.regions.size(); ++r) {
    for (size_t i = 0; i < m.industries.size(); ++i) {
      AreaValue v;
      v.region = m.regions[r];
      v.industry = m.industries[i];
      v.firms = g.plants_in[r][i];
      v.regions = 1;
      if (g.row[r] > 0 && g.col[i] > 0) {
        v.value = (g.e[r][i] / g.row[r]) / (g.col[i] / g.total);
      } else {
        v.reason = PlaceNull::kZeroTotal;
      }
      out.push_back(std::move(v));
    }
  }
  return out;
}

std::vector<AreaValue> Krugman(const AreaMatrix& m) {
  const Margins g(m);
  std::vector<AreaValue> out;
  for (size_t r = 0; r < m.regions.size(); ++r) {
    AreaValue v;
    v.region = m.regions[r];
    v.regions = 1;
    v.firms = std::accumulate(g.plants_in[r].begin(), g.plants_in[r].end(), int64_t{0});
    if (g.row[r] > 0) {
      double k = 0;
      for (size_t i = 0; i < m.industries.size(); ++i) k += std::fabs(g.e[r][i] / g.row[r] - g.col[i] / g.total);
      v.value = k;
    } else {
      v.reason = PlaceNull::kZeroTotal;
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<AreaValue> Hoover(const AreaMatrix& m) {
  const Margins g(m);
  std::vector<AreaValue> out;
  for (size_t i = 0; i < m.industries.size(); ++i) {
    AreaValue v = IndustryValue(m, g, i);
    if (g.col[i] > 0) {
      double s = 0;
      for (size_t r = 0; r < m.regions.size(); ++r) s += std::fabs(g.e[r][i] / g.col[i] - g.row[r] / g.total);
      v.value = 0.5 * s;
    } else {
      v.reason = PlaceNull::kZeroTotal;
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<AreaValue> LocationalGini(const AreaMatrix& m) {
  const Margins g(m);
  std::vector<AreaValue> out;
  for (size_t i = 0; i < m.industries.size(); ++i) {
    AreaValue v = IndustryValue(m, g, i);
    if (!(g.col[i] > 0)) {
      v.reason = PlaceNull::kZeroTotal;
      out.push_back(std::move(v));
      continue;
    }
    // Regions with a total (x_r > 0), ordered by LQ ascending: the Lorenz curve of the industry's
    // share s against the total's share x lies below the diagonal; Gini = 1 − 2·area under it.
    std::vector<size_t> order;
    for (size_t r = 0; r < m.regions.size(); ++r) {
      if (g.row[r] > 0) order.push_back(r);
    }
    const auto lq = [&](size_t r) { return (g.e[r][i] / g.col[i]) / (g.row[r] / g.total); };
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return lq(a) < lq(b); });
    double cx = 0, cs = 0, area2 = 0;  // area2 = 2 × area under the curve
    for (size_t r : order) {
      const double x = g.row[r] / g.total, s = g.e[r][i] / g.col[i];
      area2 += x * (2 * cs + s);
      cx += x;
      cs += s;
    }
    v.value = 1 - area2;
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<AreaValue> Herfindahl(const AreaMatrix& m) {
  const Margins g(m);
  std::vector<AreaValue> out;
  for (size_t i = 0; i < m.industries.size(); ++i) {
    AreaValue v = IndustryValue(m, g, i);
    if (g.col[i] > 0) {
      double s = 0;
      for (size_t r = 0; r < m.regions.size(); ++r) s += (g.e[r][i] / g.col[i]) * (g.e[r][i] / g.col[i]);
      v.value = s;
      v.plant_hhi = g.h[i];
    } else {
      v.reason = PlaceNull::kZeroTotal;
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<AreaValue> EllisonGlaeser(const AreaMatrix& m) {
  const Margins g(m);
  std::vector<AreaValue> out;
  for (size_t i = 0; i < m.industries.size(); ++i) {
    AreaValue v = IndustryValue(m, g, i);
    auto [gamma, reason] = g.Gamma(i);
    v.value = gamma;
    v.reason = reason;
    if (g.h[i] >= 0) v.plant_hhi = g.h[i];
    out.push_back(std::move(v));
  }
  return out;
}

std::vector<AreaValue> Coagglomeration(const AreaMatrix& m, const std::vector<std::vector<int32_t>>& groups_in) {
  const Margins g(m);
  std::vector<std::vector<int32_t>> groups = groups_in;
  if (groups.empty()) {
    for (int32_t a = 0; a < static_cast<int32_t>(m.industries.size()); ++a) {
      for (int32_t b = a + 1; b < static_cast<int32_t>(m.industries.size()); ++b) groups.push_back({a, b});
    }
  }
  std::vector<AreaValue> out;
  for (const auto& group : groups) {
    AreaValue v;
    double group_total = 0;
    for (int32_t i : group) {
      const auto u = static_cast<size_t>(i);
      v.industry += (v.industry.empty() ? "" : "+") + m.industries[u];
      v.firms += g.plants_of_industry[u];
      group_total += g.col[u];
    }
    std::vector<double> s(m.regions.size(), 0.0);
    for (size_t r = 0; r < m.regions.size(); ++r) {
      for (int32_t i : group) s[r] += g.e[r][static_cast<size_t>(i)];
      v.regions += s[r] > 0 ? 1 : 0;
    }
    if (group.size() < 2) {
      v.reason = PlaceNull::kOneIndustry;
    } else if (!(group_total > 0)) {
      v.reason = PlaceNull::kZeroTotal;
    } else if (g.SumX2() >= 1.0) {
      v.reason = PlaceNull::kOneRegion;
    } else {
      // Ellison & Glaeser (1997), eq. (5): γ^c = [G/(1 − Σx²) − H − Σ_j γ_j w_j² (1 − H_j)] / (1 − Σ_j w_j²),
      // G over the group's combined shares, H = Σ_j w_j² H_j, w_j = E_j / Σ_k E_k.
      const double x2 = g.SumX2();
      double big_g = 0;
      for (size_t r = 0; r < m.regions.size(); ++r) {
        const double d = s[r] / group_total - g.row[r] / g.total;
        big_g += d * d;
      }
      double h = 0, w2 = 0, own = 0;
      bool ok = true;
      for (int32_t i : group) {
        const auto u = static_cast<size_t>(i);
        const double w = g.col[u] / group_total;
        auto [gamma, reason] = g.Gamma(u);
        if (!gamma) {
          ok = false;
          break;
        }
        h += w * w * g.h[u];
        w2 += w * w;
        own += *gamma * w * w * (1 - g.h[u]);
      }
      if (!ok) {
        v.reason = PlaceNull::kNoGamma;
      } else {
        v.value = (big_g / (1 - x2) - h - own) / (1 - w2);
      }
    }
    out.push_back(std::move(v));
  }
  return out;
}

std::optional<AreaIndex> ParseAreaIndex(std::string_view s) {
  if (s == "lq") return AreaIndex::kLq;
  if (s == "krugman") return AreaIndex::kKrugman;
  if (s == "hoover") return AreaIndex::kHoover;
  if (s == "gini") return AreaIndex::kGini;
  if (s == "hhi") return AreaIndex::kHhi;
  if (s == "eg") return AreaIndex::kEg;
  if (s == "eg-coagglomeration" || s == "eg_coagglomeration") return AreaIndex::kCoagglomeration;
  return std::nullopt;
}

std::string_view AreaIndexId(AreaIndex index) {
  switch (index) {
    case AreaIndex::kLq:
      return "lq";
    case AreaIndex::kKrugman:
      return "krugman";
    case AreaIndex::kHoover:
      return "hoover";
    case AreaIndex::kGini:
      return "gini";
    case AreaIndex::kHhi:
      return "hhi";
    case AreaIndex::kEg:
      return "eg";
    case AreaIndex::kCoagglomeration:
      return "eg_coagglomeration";
  }
  return "";
}

Result<std::vector<AreaValue>> ComputeAreaIndex(const AreaInputs& in, AreaIndex index, bool as_one_group) {
  const AreaMatrix& m = in.matrix;
  std::vector<AreaValue> values;
  switch (index) {
    case AreaIndex::kLq:
      values = LocationQuotients(m);
      break;
    case AreaIndex::kKrugman:
      return Krugman(m);  // a region's specialisation is over every industry
    case AreaIndex::kHoover:
      values = Hoover(m);
      break;
    case AreaIndex::kGini:
      values = LocationalGini(m);
      break;
    case AreaIndex::kHhi:
      values = Herfindahl(m);
      break;
    case AreaIndex::kEg:
      values = EllisonGlaeser(m);
      break;
    case AreaIndex::kCoagglomeration: {
      std::vector<std::vector<int32_t>> groups;
      if (as_one_group) {
        groups.push_back(in.keep);
      } else {
        for (size_t i = 0; i < in.keep.size(); ++i) {
          for (size_t j = i + 1; j < in.keep.size(); ++j) groups.push_back({in.keep[i], in.keep[j]});
        }
      }
      if (groups.empty() || groups[0].size() < 2) {
        return Status::Usage("eg-coagglomeration needs at least two industries (--industry A B …)");
      }
      return Coagglomeration(m, groups);
    }
  }
  std::unordered_map<std::string, bool> wanted;
  for (int32_t i : in.keep) wanted[m.industries[static_cast<size_t>(i)]] = true;
  std::vector<AreaValue> kept;
  for (auto& v : values) {
    if (wanted.count(v.industry) != 0) kept.push_back(std::move(v));
  }
  return kept;
}

// ---------------------------------------------------------------- loader

namespace {

// The GB/T 4754 class's digits (a leading section letter dropped).
std::string ClassDigits(std::string_view code) {
  size_t i = 0;
  while (i < code.size() && (code[i] < '0' || code[i] > '9')) ++i;
  return std::string(code.substr(i));
}

}  // namespace

Result<AreaInputs> LoadAreaMatrix(const Dataset& data, const AreaRequest& request) {
  struct Firm {
    std::string region;  // "" = left out (zone level: not registered to a zone)
    std::string industry;
  };
  const size_t digits = request.industry_level == IndustryLevel::kDivision ? 2
                        : request.industry_level == IndustryLevel::kGroup  ? 3
                                                                           : 4;
  std::vector<Firm> firms(data.firms.size());
  for (size_t i = 0; i < data.firms.size(); ++i) {
    const FirmInfo& info = data.firms[i];
    Firm& f = firms[i];
    const std::string code = fmt::format("{:06d}", info.region);  // as the register writes it
    switch (request.region_level) {
      case RegionLevel::kProvince:
        f.region = code.substr(0, 2) + "0000";
        break;
      case RegionLevel::kPrefecture:
        f.region = code.substr(0, 4) + "00";
        break;
      case RegionLevel::kZone:
        if (info.zone >= 0) f.region = data.zones[static_cast<size_t>(info.zone)].id;
        break;
    }
    const std::string cls = ClassDigits(info.industry);
    f.industry = cls.substr(0, std::min(digits, cls.size()));
  }

  std::unordered_map<std::string, std::string> names;
  if (request.region_level != RegionLevel::kZone) {
    names.insert(data.region_names.begin(), data.region_names.end());
  } else {
    for (const ZoneInfo& z : data.zones) names.emplace(z.id, z.name);
  }

  int field = -1;  // kFirms: every firm that filed counts 1
  if (request.measure != Measure::kFirms) {
    for (int f = 0; f < kFieldCount; ++f) {
      if (kFieldIds[static_cast<size_t>(f)] == MeasureId(request.measure)) field = f;
    }
  }
  std::vector<std::pair<const Firm*, double>> rows;
  if (const YearTable* t = data.Year(request.year)) {
    for (size_t r = 0; r < t->size(); ++r) {
      const Firm& f = firms[static_cast<size_t>(t->firm[r])];
      if (f.region.empty()) continue;
      double value = 1;
      if (field >= 0) {
        if (!t->Has(r, field)) continue;
        value = static_cast<double>(t->Get(r, field));
        if (request.measure != Measure::kEmployees) value /= 100.0;  // fen → yuan
      }
      rows.emplace_back(&f, value);
    }
  }
  if (rows.empty()) {
    return Status::NotFound("no firm filed a report for " + std::to_string(request.year) +
                            (field >= 0 ? " with " + std::string(MeasureId(request.measure)) : std::string()));
  }

  AreaInputs in;
  std::vector<std::string> regions, industries;
  for (const auto& [f, v] : rows) {
    regions.push_back(f->region);
    industries.push_back(f->industry);
  }
  const auto unique = [](std::vector<std::string>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  };
  unique(regions);
  unique(industries);
  in.matrix.regions = regions;
  for (const std::string& r : regions) {
    auto it = names.find(r);
    in.matrix.region_names.push_back(it == names.end() ? std::string() : it->second);
  }
  in.matrix.industries = industries;
  const auto index = [](const std::vector<std::string>& v, const std::string& s) {
    return static_cast<int32_t>(std::lower_bound(v.begin(), v.end(), s) - v.begin());
  };
  for (const auto& [f, v] : rows)
    in.matrix.plants.push_back({index(regions, f->region), index(industries, f->industry), v});
  for (size_t i = 0; i < industries.size(); ++i) {
    bool wanted = request.industries.empty();
    for (const std::string& code : request.industries) {
      if (industries[i].compare(0, code.size(), code) == 0 ||
          code.compare(0, industries[i].size(), industries[i]) == 0) {
        wanted = true;
      }
    }
    if (wanted) in.keep.push_back(static_cast<int32_t>(i));
  }
  if (in.keep.empty()) return Status::NotFound("no firm of the industries asked for filed a report that year");
  return in;
}

}  // namespace clusterscope::place
