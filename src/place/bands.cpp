// Monte Carlo bands (pointwise and Duranton–Overman global), the verdict, and the loaders of
// points from a CSV or the data set.
#include <fmt/format.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <random>
#include <unordered_map>

#include "clusterscope/place.h"
#include "clusterscope/stats.h"
#include "indicators/dataset.h"
#include "io/table_reader.h"

namespace clusterscope::place {

Bands ComputeBands(const std::vector<double>& simulated, size_t n_r, double level) {
  Bands b;
  const size_t s_n = n_r == 0 ? 0 : simulated.size() / n_r;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  b.local_lo.assign(n_r, nan);
  b.local_hi.assign(n_r, nan);
  b.global_lo.assign(n_r, nan);
  b.global_hi.assign(n_r, nan);
  if (s_n == 0) return b;
  // Per distance, the simulations whose curve is defined there (M is undefined where no
  // reference point has a neighbour; Kd where a simulation has fewer than two pairs).
  std::vector<std::vector<double>> column(n_r);
  for (size_t k = 0; k < n_r; ++k) {
    for (size_t j = 0; j < s_n; ++j) {
      const double v = simulated[j * n_r + k];
      if (std::isfinite(v)) column[k].push_back(v);
    }
    if (column[k].empty()) continue;
    b.local_lo[k] = *QuantileType7(column[k], level);
    b.local_hi[k] = *QuantileType7(column[k], 1 - level);
    std::sort(column[k].begin(), column[k].end());
  }
  // Duranton & Overman (2005): the same pointwise order statistic at every distance, chosen as
  // the tightest band that no more than level·S simulated curves leave anywhere. Upper band U_t(r)
  // = the t-th largest simulated value at r; exits(t) grows with t, so a binary search finds the
  // largest t with exits(t) <= level·S. Likewise below with the t-th smallest.
  const auto allowed = static_cast<size_t>(std::floor(level * static_cast<double>(s_n)));
  const auto band_at = [&](size_t k, size_t t, bool upper) {
    const auto& c = column[k];
    if (t > c.size()) return nan;
    return upper ? c[c.size() - t] : c[t - 1];
  };
  const auto exits = [&](size_t t, bool upper) {
    size_t n = 0;
    for (size_t j = 0; j < s_n; ++j) {
      for (size_t k = 0; k < n_r; ++k) {
        const double v = simulated[j * n_r + k];
        const double band = band_at(k, t, upper);
        if (!std::isfinite(v) || !std::isfinite(band)) continue;
        if (upper ? v > band : v < band) {
          ++n;
          break;
        }
      }
    }
    return n;
  };
  for (bool upper : {true, false}) {
    size_t lo = 1, hi = s_n;  // exits(1) = 0 always
    while (lo < hi) {
      const size_t mid = (lo + hi + 1) / 2;
      if (exits(mid, upper) <= allowed) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    for (size_t k = 0; k < n_r; ++k) (upper ? b.global_hi : b.global_lo)[k] = band_at(k, lo, upper);
    const double q = s_n > 1 ? static_cast<double>(lo - 1) / static_cast<double>(s_n - 1) : 0.0;
    (upper ? b.global_level_hi : b.global_level_lo) = upper ? 1 - q : q;
  }
  return b;
}

std::string_view VerdictId(Verdict v) {
  switch (v) {
    case Verdict::kLocalised:
      return "localised";
    case Verdict::kDispersed:
      return "dispersed";
    case Verdict::kNeither:
      return "neither";
    case Verdict::kNotTested:
      return "not_tested";
  }
  return "";
}

VerdictResult Judge(const std::vector<double>& r, const std::vector<double>& observed, const Bands& bands) {
  VerdictResult v;
  const auto runs = [&](auto outside) {
    std::vector<Interval> out;
    for (size_t k = 0; k < r.size(); ++k) {
      if (!outside(k)) continue;
      if (!out.empty() && k > 0 && outside(k - 1)) {
        out.back().to = r[k];
      } else {
        out.push_back({r[k], r[k]});
      }
    }
    return out;
  };
  // (A comparison with an undefined value is false: no verdict where the curve or band is undefined.)
  v.above = runs([&](size_t k) { return observed[k] > bands.global_hi[k]; });
  v.below = runs([&](size_t k) { return observed[k] < bands.global_lo[k]; });
  // Duranton & Overman: localised if the curve leaves the global band above anywhere; dispersed
  // if it leaves it below and never above.
  v.verdict = !v.above.empty() ? Verdict::kLocalised : !v.below.empty() ? Verdict::kDispersed : Verdict::kNeither;
  return v;
}

namespace {

std::string Num(double x) { return fmt::format("{:.6g}", x); }

std::string Ranges(const std::vector<Interval>& v, std::string_view unit) {
  std::string out;
  for (const Interval& i : v) {
    if (!out.empty()) out += ", ";
    out += i.from == i.to ? Num(i.from) : Num(i.from) + "–" + Num(i.to);
    out += unit;
  }
  return out;
}

}  // namespace

std::string VerdictText(const VerdictResult& v, bool geodesic, Lang lang) {
  const std::string_view unit = geodesic ? Pick(lang, "公里", " km") : "";
  switch (v.verdict) {
    case Verdict::kLocalised: {
      std::string s = lang == Lang::kZh ? "集聚（高于全局置信带）：" + Ranges(v.above, unit)
                                        : "localised (above the global band) at " + Ranges(v.above, unit);
      if (!v.below.empty()) {
        s +=
            lang == Lang::kZh ? "；低于全局置信带：" + Ranges(v.below, unit) : "; below it at " + Ranges(v.below, unit);
      }
      return s;
    }
    case Verdict::kDispersed:
      return lang == Lang::kZh ? "分散（低于全局置信带）：" + Ranges(v.below, unit)
                               : "dispersed (below the global band) at " + Ranges(v.below, unit);
    case Verdict::kNeither:
      return std::string(Pick(lang, "既不集聚也不分散（始终在全局置信带内）",
                              "neither localised nor dispersed (inside the global band throughout)"));
    case Verdict::kNotTested:
      return std::string(Pick(lang, "未检验（无模拟）", "not tested (no simulations)"));
  }
  return "";
}

AgglomerationResult Assemble(const PointSet& points, const AgglomerationOptions& options, Observation observed,
                             const std::vector<double>& simulated) {
  AgglomerationResult res;
  res.options = options;
  res.observed = std::move(observed);
  res.geodesic = points.geodesic;
  res.reference_name = points.type_names[static_cast<size_t>(options.reference)];
  res.neighbour_name = points.type_names[static_cast<size_t>(options.neighbour)];
  if (options.sims > 0) {
    res.bands = ComputeBands(simulated, options.r.size(), options.level);
    res.verdict = Judge(options.r, res.observed.curve.value, *res.bands);
  }
  return res;
}

Result<AgglomerationResult> RunAgglomeration(const PointSet& points, AgglomerationOptions options) {
  CS_ASSIGN_OR_RETURN(options, ResolveOptions(points, std::move(options)));
  Agglomeration engine(points, options);
  Observation ob = engine.Observed();
  std::vector<double> sims;
  if (options.sims > 0) sims = engine.SimulateRange(0, options.sims, options.threads);
  return Assemble(points, options, std::move(ob), sims);
}

// ---------------------------------------------------------------- loaders

Result<PointSet> LoadPointsCsv(const std::string& path) {
  CS_ASSIGN_OR_RETURN(auto reader, io::TableReader::Open(path));
  const auto& header = reader->header();
  int cx = -1, cy = -1, ct = -1, cw = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string& h = header[i];
    if (h == "x") cx = static_cast<int>(i);
    if (h == "y") cy = static_cast<int>(i);
    if (h == "type") ct = static_cast<int>(i);
    if (h == "weight") cw = static_cast<int>(i);
  }
  if (cx < 0 || cy < 0 || ct < 0)
    return Status::InvalidInput(path + ": the header must name x, y and type (weight optional)");
  PointSet ps;
  std::unordered_map<std::string, int32_t> types;
  io::TableRow row;
  const auto number = [&](int c, std::string_view what) -> Result<double> {
    const std::string cell = static_cast<size_t>(c) < row.cells.size() ? row.cells[static_cast<size_t>(c)] : "";
    double v = 0;
    auto [ptr, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
    if (ec != std::errc() || ptr != cell.data() + cell.size() || !std::isfinite(v)) {
      return Status::InvalidInput(
          fmt::format("{} row {} column {}: \"{}\" is not a number", path, row.row_number, what, cell));
    }
    return v;
  };
  for (;;) {
    CS_ASSIGN_OR_RETURN(bool more, reader->Next(row));
    if (!more) break;
    CS_ASSIGN_OR_RETURN(double x, number(cx, "x"));
    CS_ASSIGN_OR_RETURN(double y, number(cy, "y"));
    double w = 1;
    if (cw >= 0) {
      CS_ASSIGN_OR_RETURN(w, number(cw, "weight"));
      if (w < 0) return Status::InvalidInput(fmt::format("{} row {} column weight: negative", path, row.row_number));
    }
    const std::string t = static_cast<size_t>(ct) < row.cells.size() ? row.cells[static_cast<size_t>(ct)] : "";
    auto [it, added] = types.emplace(t, static_cast<int32_t>(ps.type_names.size()));
    if (added) ps.type_names.push_back(t);
    ps.x.push_back(x);
    ps.y.push_back(y);
    ps.type.push_back(it->second);
    ps.weight.push_back(w);
  }
  if (ps.size() == 0) return Status::InvalidInput(path + ": no points");
  return ps;
}

int64_t SampleType(PointSet& points, int32_t type, int64_t most, uint64_t seed) {
  std::vector<size_t> cases;
  for (size_t i = 0; i < points.size(); ++i) {
    if (points.type[i] == type) cases.push_back(i);
  }
  if (static_cast<int64_t>(cases.size()) <= most) return static_cast<int64_t>(cases.size());
  const auto keep = static_cast<size_t>(std::max<int64_t>(most, 0));
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < keep; ++i) {
    const size_t j = i + static_cast<size_t>(rng() % (cases.size() - i));
    std::swap(cases[i], cases[j]);
  }
  for (size_t i = keep; i < cases.size(); ++i) points.type[cases[i]] = 0;
  return static_cast<int64_t>(keep);
}

Result<PointSet> LoadFirmPoints(const Dataset& data, int year, const std::string& industry, const std::string& versus,
                                bool need_weight) {
  const auto digits = [](std::string_view code) {
    size_t i = 0;
    while (i < code.size() && (code[i] < '0' || code[i] > '9')) ++i;
    return std::string(code.substr(i));
  };
  const std::string want = digits(industry), want2 = digits(versus);
  PointSet ps;
  ps.geodesic = true;
  ps.type_names = {"other", industry};
  if (!versus.empty()) ps.type_names.push_back(versus);
  if (data.sites && data.sites->year == year && !need_weight) {
    // A scoped data set's sites (DataScope::sites): the same points in the same order, unweighted.
    const Dataset::Sites& s = *data.sites;
    std::vector<int32_t> type_of(s.industries.size(), 0);
    for (size_t i = 0; i < s.industries.size(); ++i) {
      const std::string cls = digits(s.industries[i]);
      if (cls.compare(0, want.size(), want) == 0) {
        type_of[i] = 1;
      } else if (!want2.empty() && cls.compare(0, want2.size(), want2) == 0) {
        type_of[i] = 2;
      }
    }
    ps.x = s.lon;
    ps.y = s.lat;
    ps.type.reserve(s.industry.size());
    for (const int32_t cls : s.industry) ps.type.push_back(type_of[static_cast<size_t>(cls)]);
    ps.weight.assign(s.industry.size(), 0.0);
  } else if (const YearTable* t = data.Year(year)) {
    for (size_t r = 0; r < t->size(); ++r) {
      const FirmInfo& f = data.firms[static_cast<size_t>(t->firm[r])];
      if (!f.lat || !f.lon) continue;
      if (need_weight && !t->Has(r, kEmployees)) continue;
      const std::string cls = digits(f.industry);
      int32_t type = 0;
      if (cls.compare(0, want.size(), want) == 0) {
        type = 1;
      } else if (!want2.empty() && cls.compare(0, want2.size(), want2) == 0) {
        type = 2;
      }
      ps.x.push_back(*f.lon);
      ps.y.push_back(*f.lat);
      ps.type.push_back(type);
      ps.weight.push_back(t->Has(r, kEmployees) ? static_cast<double>(t->Get(r, kEmployees)) : 0.0);
    }
  }
  if (ps.size() == 0) {
    return Status::NotFound(fmt::format("no firm with coordinates filed a report for {}", year));
  }
  return ps;
}

}  // namespace clusterscope::place
