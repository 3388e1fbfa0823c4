// cs_gen_bench_data — deterministic synthetic input for the import benchmark.
//
//   cs_gen_bench_data [--firms F] [--years Y] [--first-year Y0] [--seed S] OUTDIR
//
// Writes OUTDIR/firms.csv (F firms) and OUTDIR/reports.csv (F × Y rows, every one of the 35
// report columns of formats.md, money in 千元 with decimals). Defaults: F = 100,000, Y = 10
// (2005–2014), seed 1 → 1,000,000 report rows. The same arguments always give the same bytes.
//
// Every row passes every check of the importer: valid GB 32100 credit codes that mark themselves
// as synthetic (positions 9–10 "XY", examples/README.md), built-in region and industry codes, and
// values that satisfy every consistency rule (value_added ≤ gross_output, tech_staff ≤ employees,
// masters + phds ≤ college_staff, …). Sizes are heavy-tailed (log-normal), a few cells are
// empty (missing, not zero), yes/no columns mix 1/0, 是/否 and yes/no, some firms make losses.
//
// Self-contained on purpose (no clusterscope library): a fuller generator comes later.

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

// splitmix64: small, fast, and the same on every platform.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [lo, hi].
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform() < p; }
  // Standard normal (Box–Muller; one value per call keeps the stream simple).
  double Normal() {
    double u1 = Uniform();
    double u2 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }

 private:
  uint64_t state_;
};

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int AlphabetValue(char c) { return static_cast<int>(kAlphabet.find(c)); }

// GB 11714 check character of an 8-character organisation code body (position 17 of a USCC).
char Gb11714Check(std::string_view body) {
  static constexpr int kWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    char c = body[i];
    int v = c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
    sum += v * kWeights[i];
  }
  int check = 11 - sum % 11;
  if (check == 11) return '0';
  if (check == 10) return 'X';
  return static_cast<char>('0' + check);
}

// GB 32100 check character of the first 17 characters.
char Gb32100Check(std::string_view first17) {
  static constexpr int kWeights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};
  int sum = 0;
  for (size_t i = 0; i < 17; ++i) sum += AlphabetValue(first17[i]) * kWeights[i];
  int check = 31 - sum % 31;
  if (check == 31) check = 0;
  return kAlphabet[static_cast<size_t>(check)];
}

// The synthetic code of firm `index` (0 … 999,999): 91 + region 630100 + "XY" + six digits + checks.
std::string Uscc(int64_t index) {
  char body[32];
  std::snprintf(body, sizeof body, "XY%06lld", static_cast<long long>(index % 1000000));
  std::string code = "91630100";
  code += body;
  code += Gb11714Check(body);
  code += Gb32100Check(code);
  return code;
}

// Built-in GB/T 4754-2017 classes (the ones examples/ uses) and Xining's built-in districts.
constexpr const char* kIndustries[] = {"2740", "2730", "2761", "1492", "3841", "3239",
                                       "2710", "2762", "2770", "3217", "3985", "1491"};
constexpr const char* kRegions[] = {"630100", "630102", "630103", "630104", "630105"};
constexpr const char* kNameHeads[] = {"青海", "西宁", "高原", "昆仑", "三江源", "湟水", "祁连", "柴达木"};
constexpr const char* kNameBodies[] = {"生物科技", "藏药药业", "锂电材料", "新能源",   "中药饮片",
                                       "精细化工", "光伏科技", "特色食品", "电子材料", "装备制造"};
constexpr const char* kNameTails[] = {"有限公司", "股份有限公司", "有限责任公司"};

template <size_t N>
const char* Pick(Rng& rng, const char* const (&options)[N]) {
  return options[rng.Next() % N];
}

// Appends `hundredths` / 100 as a decimal number of 千元: "1234.56", "1234.5", "1234".
void AppendMoney(std::string& out, int64_t hundredths, Rng& rng) {
  int64_t whole = hundredths / 100;
  int64_t frac = hundredths % 100;
  char buf[32];
  // Mostly two decimals, as Torch forms carry them; some whole numbers; a few with one decimal.
  double style = rng.Uniform();
  if (frac == 0 || style < 0.15) {
    if (frac == 0) {
      std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(whole));
    } else {
      std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(whole), static_cast<long long>(frac));
    }
  } else if (frac % 10 == 0) {
    std::snprintf(buf, sizeof buf, "%lld.%lld", static_cast<long long>(whole), static_cast<long long>(frac / 10));
  } else {
    std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(whole), static_cast<long long>(frac));
  }
  out += buf;
}

void AppendInt(std::string& out, int64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  out += buf;
}

void AppendBool(std::string& out, bool v, Rng& rng) {
  switch (rng.Next() % 3) {
    case 0:
      out += v ? "1" : "0";
      break;
    case 1:
      out += v ? "是" : "否";
      break;
    default:
      out += v ? "yes" : "no";
      break;
  }
}

// A value in [0, limit], skewed towards `share` × limit.
int64_t ShareOf(int64_t limit, double share, Rng& rng) {
  double s = share * (0.6 + 0.8 * rng.Uniform());
  if (s > 1.0) s = 1.0;
  return static_cast<int64_t>(std::floor(static_cast<double>(limit) * s));
}

// A firm's fixed traits, from which each year's report grows.
struct Firm {
  double size = 0;    // revenue scale in 千元
  double growth = 0;  // yearly growth
  double margin = 0;  // net margin (may be negative)
  double export_share = 0;
  double tech = 0;  // how research-heavy, 0..1
  bool industrial = true;
  int first_year = 0;  // before this year: not producing
};

Firm MakeFirm(Rng& rng, int first_report_year) {
  Firm f;
  f.size = std::exp(9.0 + 1.6 * rng.Normal());  // median ≈ 8,100 千元; a long tail to billions
  if (f.size > 5e8) f.size = 5e8;
  f.growth = 0.02 + 0.12 * rng.Normal();
  f.margin = 0.05 + 0.08 * rng.Normal();
  f.export_share = rng.Chance(0.3) ? 0.3 * rng.Uniform() : 0.0;
  f.tech = rng.Uniform();
  f.industrial = !rng.Chance(0.08);
  f.first_year = rng.Chance(0.05) ? first_report_year + static_cast<int>(rng.Between(1, 3)) : first_report_year;
  return f;
}

// One report row (35 columns, formats.md order) for `firm` in `year`.
void AppendReport(std::string& out, const std::string& uscc, const Firm& firm, int year, int first_report_year,
                  Rng& rng) {
  const bool producing = year >= firm.first_year;
  const double scale = firm.size * std::pow(1.0 + firm.growth, year - first_report_year) * (0.9 + 0.2 * rng.Uniform());
  // Money in hundredths of 千元 (10 yuan).
  const auto money = [](double thousands) { return static_cast<int64_t>(std::llround(thousands * 100.0)); };
  const int64_t revenue = producing ? money(scale) : 0;
  const int64_t gross_output = producing ? money(scale * (0.95 + 0.1 * rng.Uniform())) : 0;
  const int64_t value_added = ShareOf(gross_output, 0.3, rng);
  const int64_t net_profit = producing ? money(scale * firm.margin * (0.5 + rng.Uniform())) : -money(firm.size * 0.02);
  const int64_t taxes = ShareOf(revenue, 0.05, rng);
  const int64_t exports = ShareOf(revenue, firm.export_share, rng);
  const int64_t assets = money(scale * (0.8 + 0.8 * rng.Uniform()) + 100.0);
  const int64_t liabilities = ShareOf(assets, 0.5, rng);
  const int64_t employees = std::max<int64_t>(3, static_cast<int64_t>(scale / (600.0 + 400.0 * rng.Uniform())));
  const int64_t tech_staff = ShareOf(employees, 0.05 + 0.3 * firm.tech, rng);
  const int64_t rd_staff = ShareOf(tech_staff, 0.7, rng);
  const int64_t college = ShareOf(employees, 0.3 + 0.3 * firm.tech, rng);
  const int64_t masters = ShareOf(college, 0.08, rng);
  const int64_t phds = ShareOf(college - masters, 0.02, rng);
  const int64_t returnees = ShareOf(college, 0.01, rng);
  const int64_t rd_expense = ShareOf(revenue, 0.01 + 0.08 * firm.tech, rng);
  const int64_t rd_domestic = ShareOf(rd_expense, 0.9, rng);
  const int64_t total_cost = money(static_cast<double>(revenue) / 100.0 * (0.85 + 0.1 * rng.Uniform()));
  const int64_t high_tech = ShareOf(revenue, 0.2 + 0.6 * firm.tech, rng);
  const int64_t patent_apps = static_cast<int64_t>(rng.Uniform() * firm.tech * 20.0);
  const int64_t invention_apps = ShareOf(patent_apps, 0.4, rng);
  const int64_t patent_grants = ShareOf(patent_apps, 0.6, rng);
  const int64_t invention_grants = ShareOf(patent_grants, 0.3, rng);
  const int64_t valid_inventions = invention_grants + static_cast<int64_t>(rng.Uniform() * firm.tech * 30.0);
  const int64_t ip1 = valid_inventions;
  const int64_t ip2 = static_cast<int64_t>(rng.Uniform() * 10.0);
  const int64_t vc = rng.Chance(0.05) ? money(scale * 0.1 * rng.Uniform()) : 0;
  const int64_t loans = rng.Chance(0.3) ? money(scale * 0.2 * rng.Uniform()) : 0;

  out += uscc;
  out += ',';
  AppendInt(out, year);
  out += ',';
  AppendBool(out, producing, rng);
  const auto m = [&](int64_t v, bool may_be_missing) {
    out += ',';
    if (may_be_missing && rng.Chance(0.01)) return;  // missing, not zero
    AppendMoney(out, v, rng);
  };
  const auto n = [&](int64_t v, bool may_be_missing) {
    out += ',';
    if (may_be_missing && rng.Chance(0.01)) return;
    AppendInt(out, v);
  };
  m(revenue, false);
  if (firm.industrial) {
    m(gross_output, false);
    m(value_added, true);
  } else {
    out += ",,";  // a service firm: no industrial output
  }
  out += ',';
  if (net_profit < 0) {
    out += '-';
    AppendMoney(out, -net_profit, rng);
  } else {
    AppendMoney(out, net_profit, rng);
  }
  m(taxes, false);
  m(exports, true);
  m(assets, false);
  m(liabilities, false);
  n(employees, false);
  n(tech_staff, true);
  n(rd_staff, true);
  n(college, false);
  n(masters, true);
  n(phds, true);
  n(returnees, true);
  m(rd_expense, false);
  m(rd_domestic, true);
  m(total_cost, false);
  m(high_tech, true);
  n(patent_apps, false);
  n(invention_apps, true);
  n(patent_grants, false);
  n(invention_grants, true);
  n(valid_inventions, true);
  n(ip1, true);
  n(ip2, true);
  m(vc, true);
  m(loans, true);
  for (double p : {0.3 * firm.tech, 0.01, 0.05 * firm.tech, 0.1 * firm.tech}) {
    out += ',';
    if (rng.Chance(0.02)) continue;
    AppendBool(out, rng.Chance(p), rng);
  }
  out += '\n';
}

constexpr const char* kReportHeader =
    "uscc,year,producing,revenue,gross_output,value_added,net_profit,taxes_paid,exports,total_assets,"
    "total_liabilities,employees,tech_staff,rd_staff,college_staff,masters,phds,returnees,rd_expense,"
    "rd_expense_domestic,total_cost,high_tech_revenue,patent_applications,invention_applications,patent_grants,"
    "invention_grants,valid_invention_patents,ip_class1,ip_class2,vc_investment,new_loans,"
    "provincial_rd_institution,major_incident,national_award_5y,standard_lead_5y\n";

bool WriteAll(FILE* f, const std::string& s) { return std::fwrite(s.data(), 1, s.size(), f) == s.size(); }

int Usage() {
  std::fprintf(stderr,
               "usage: cs_gen_bench_data [--firms F] [--years Y] [--first-year Y0] [--seed S] OUTDIR\n"
               "writes OUTDIR/firms.csv and OUTDIR/reports.csv (F x Y rows); defaults F=100000 Y=10 Y0=2005 S=1\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  long long firms = 100000;
  long long years = 10;
  long long first_year = 2005;
  unsigned long long seed = 1;
  std::string outdir;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&](long long& v) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      v = std::strtoll(argv[++i], &end, 10);
      return end != nullptr && *end == '\0';
    };
    long long s = 0;
    if (a == "--firms") {
      if (!value(firms)) return Usage();
    } else if (a == "--years") {
      if (!value(years)) return Usage();
    } else if (a == "--first-year") {
      if (!value(first_year)) return Usage();
    } else if (a == "--seed") {
      if (!value(s)) return Usage();
      seed = static_cast<unsigned long long>(s);
    } else if (!a.empty() && a[0] != '-' && outdir.empty()) {
      outdir = a;
    } else {
      return Usage();
    }
  }
  if (outdir.empty() || firms < 1 || firms > 999999 || years < 1 || years > 30) return Usage();

  const std::string firms_path = outdir + "/firms.csv";
  const std::string reports_path = outdir + "/reports.csv";
  FILE* ff = std::fopen(firms_path.c_str(), "wb");
  FILE* rf = std::fopen(reports_path.c_str(), "wb");
  if (ff == nullptr || rf == nullptr) {
    std::fprintf(stderr, "cs_gen_bench_data: cannot write into %s\n", outdir.c_str());
    return 1;
  }

  Rng rng(seed);
  std::string fbuf = "uscc,name,region_code,zone_id,industry_code,founded,high_tech_cert_year,listed,lat,lon\n";
  std::string rbuf = kReportHeader;
  bool ok = true;
  for (long long i = 0; i < firms && ok; ++i) {
    const std::string code = Uscc(i);
    const Firm firm = MakeFirm(rng, static_cast<int>(first_year));

    // firms.csv
    fbuf += code;
    fbuf += ',';
    fbuf += Pick(rng, kNameHeads);
    fbuf += Pick(rng, kNameBodies);
    AppendInt(fbuf, i);
    fbuf += Pick(rng, kNameTails);
    fbuf += ',';
    fbuf += Pick(rng, kRegions);
    fbuf += ",,";  // no zone: the benchmark imports no zones
    fbuf += Pick(rng, kIndustries);
    fbuf += ',';
    char buf[64];
    const int founded = static_cast<int>(rng.Between(1985, first_year - 1));
    if (rng.Chance(0.3)) {
      std::snprintf(buf, sizeof buf, "%d", founded);
    } else {
      std::snprintf(buf, sizeof buf, "%d-%02d-%02d", founded, static_cast<int>(rng.Between(1, 12)),
                    static_cast<int>(rng.Between(1, 28)));
    }
    fbuf += buf;
    fbuf += ',';
    if (firm.tech > 0.5) AppendInt(fbuf, rng.Between(2008, first_year + years - 1));
    fbuf += ',';
    AppendBool(fbuf, rng.Chance(0.03), rng);
    if (rng.Chance(0.9)) {
      std::snprintf(buf, sizeof buf, ",%.4f,%.4f\n", 36.55 + 0.15 * rng.Uniform(), 101.65 + 0.2 * rng.Uniform());
      fbuf += buf;
    } else {
      fbuf += ",,\n";
    }

    // reports.csv
    for (long long y = 0; y < years; ++y) {
      AppendReport(rbuf, code, firm, static_cast<int>(first_year + y), static_cast<int>(first_year), rng);
    }
    if (rbuf.size() > (1u << 22)) {
      ok = WriteAll(rf, rbuf);
      rbuf.clear();
    }
    if (fbuf.size() > (1u << 20)) {
      ok = ok && WriteAll(ff, fbuf);
      fbuf.clear();
    }
  }
  ok = ok && WriteAll(rf, rbuf) && WriteAll(ff, fbuf);
  ok = (std::fclose(ff) == 0) && ok;
  ok = (std::fclose(rf) == 0) && ok;
  if (!ok) {
    std::fprintf(stderr, "cs_gen_bench_data: write failed in %s\n", outdir.c_str());
    return 1;
  }
  std::printf("%s: %lld firms\n%s: %lld reports (%lld years from %lld)\n", firms_path.c_str(), firms,
              reports_path.c_str(), firms * years, years, first_year);
  return 0;
}
