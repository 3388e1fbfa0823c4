#include "synth/firm_model.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/uscc.h"

namespace clusterscope::synth {
namespace {

double Clamp(double x, double lo, double hi) { return x < lo ? lo : (x > hi ? hi : x); }

// Rounds yuan to a multiple of `grain` (10 or 1000 yuan), half away from zero.
int64_t RoundTo(double yuan, int64_t grain) {
  const double g = static_cast<double>(grain);
  const double units = std::floor(std::fabs(yuan) / g + 0.5);
  const int64_t v = static_cast<int64_t>(units) * grain;
  return yuan < 0 ? -v : v;
}

int64_t Floor(double x) { return x <= 0.0 ? 0 : static_cast<int64_t>(std::floor(x)); }

// GB 11714 check character of the 8-character organisation code body (positions 9–16).
char Gb11714Check(std::string_view body) {
  static constexpr int kWeights[8] = {3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < 8; ++i) {
    const char c = body[i];
    const int v = c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
    sum += v * kWeights[i];
  }
  const int check = 11 - sum % 11;
  if (check == 11) return '0';
  if (check == 10) return 'X';
  return static_cast<char>('0' + check);
}

// Research intensity typical of an industry division: pharma, electronics, software and R&D
// services lead; salt, food and power trail.
double TechBase(std::string_view code) {
  const std::string_view division = code.substr(0, 2);
  if (division == "27" || division == "39" || division == "65" || division == "73" || division == "75") return 0.55;
  if (division == "38" || division == "32" || division == "26") return 0.4;
  return 0.25;
}

void AppendBool(bool v, std::string& out) { out += v ? '1' : '0'; }

}  // namespace

void AppendInt(int64_t value, std::string& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  (void)ec;  // 24 characters always hold an int64
  out.append(buf, end);
}

void AppendMoney(int64_t yuan, std::string& out) {
  if (yuan < 0) {
    out += '-';
    yuan = -yuan;
  }
  AppendInt(yuan / 1000, out);
  int64_t frac = yuan % 1000;
  if (frac == 0) return;
  char digits[4] = {static_cast<char>('0' + frac / 100), static_cast<char>('0' + frac / 10 % 10),
                    static_cast<char>('0' + frac % 10), 0};
  size_t n = 3;
  while (digits[n - 1] == '0') --n;
  out += '.';
  out.append(digits, n);
}

std::string MakeUscc(int64_t index, std::string_view region) {
  // Positions 11–16 carry the index: six digits below one million (as in examples/), beyond it
  // a letter of the code alphabet for the hundred-thousands and five digits, so every index up to
  // kMaxFirms gets its own code and small data sets read like the examples.
  char body[9] = {'X', 'Y', 0, 0, 0, 0, 0, 0, 0};
  int64_t lead = index / 100000;
  int64_t rest = index % 100000;
  body[2] = uscc::kAlphabet[static_cast<size_t>(lead)];
  for (int i = 7; i >= 3; --i) {
    body[i] = static_cast<char>('0' + rest % 10);
    rest /= 10;
  }
  std::string code = "91";
  code += region;
  code.append(body, 8);
  code += Gb11714Check(std::string_view(body, 8));
  code += *uscc::CheckCharacter(code);
  return code;
}

std::string RandomBrand(Rng& rng) {
  const auto chars = BrandCharacters();
  std::string brand(chars[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(chars.size()) - 1))]);
  std::string_view second;
  do {
    second = chars[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(chars.size()) - 1))];
  } while (brand == second);
  brand += second;
  return brand;
}

std::string MakeFirmName(Rng& rng, std::string_view place, std::string_view brand, const IndustryClass& industry) {
  size_t words = 0;
  while (words < 3 && !industry.words[words].empty()) ++words;
  std::string name(place);
  name += brand;
  name += industry.words[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(words) - 1))];
  const auto forms = LegalForms();
  name += forms[static_cast<size_t>(rng.Between(0, static_cast<int64_t>(forms.size()) - 1))];
  return name;
}

FirmTraits DrawTraits(Rng& rng, const IndustryClass& industry, double size_yuan) {
  FirmTraits t;
  t.industrial = industry.industrial;
  t.tech = Clamp(rng.Normal(TechBase(industry.code), 0.2), 0.02, 0.98);
  t.va_rate = Clamp(rng.Normal(0.29, 0.045), 0.2, 0.4);
  t.margin = Clamp(rng.Normal(0.06, 0.06), -0.3, 0.35);
  t.export_share = rng.Chance(0.35) ? rng.Uniform(0.02, 0.5) : 0.0;
  t.asset_ratio = Clamp(rng.LogNormal(1.2, 0.3), 0.4, 4.0);
  t.leverage = Clamp(rng.Normal(0.45, 0.12), 0.08, 0.9);
  t.staff_factor = Clamp(rng.LogNormal(1.0, 0.3), 0.3, 3.0);
  t.fine_money = rng.Chance(0.3);
  const bool large = size_yuan > 1e8;
  t.rd_institution = rng.Chance(0.02 + 0.3 * t.tech * (large ? 1.0 : 0.2));
  t.national_award = rng.Chance(size_yuan > 1e9 ? 0.08 : 0.004);
  t.standard_lead = rng.Chance(size_yuan > 3e8 ? 0.15 : 0.02);
  return t;
}

void DrawRegisterFields(Rng& rng, FirmRecord& firm, double size_yuan, int first_year, int last_year) {
  const double form = rng.Uniform();
  if (form < 0.55) {
    char buf[16];
    const int month = static_cast<int>(rng.Between(1, 12));
    const int day = static_cast<int>(rng.Between(1, 28));
    firm.founded = std::to_string(firm.founded_year);
    buf[0] = '-';
    buf[1] = static_cast<char>('0' + month / 10);
    buf[2] = static_cast<char>('0' + month % 10);
    buf[3] = '-';
    buf[4] = static_cast<char>('0' + day / 10);
    buf[5] = static_cast<char>('0' + day % 10);
    firm.founded.append(buf, 6);
  } else if (form < 0.96) {
    firm.founded = std::to_string(firm.founded_year);
  } else {
    firm.founded.clear();  // unknown founding date
  }
  // One certificate year is on record (the latest); it is valid that year and the two after.
  // Spreading it over the reported years gives a valid certificate to roughly a quarter of firms
  // in any one year, more among research-heavy ones.
  firm.cert_year = 0;
  if (rng.Chance(firm.traits.tech >= 0.3 ? 0.85 : 0.25)) {
    const int lo = std::max(firm.founded_year + 1, first_year - 1);
    if (lo <= last_year) firm.cert_year = static_cast<int>(rng.Between(lo, last_year));
  }
  const double listed_p = 0.003 + (size_yuan > 1e9 ? 0.25 : (size_yuan > 3e8 ? 0.05 : 0.0));
  firm.listed = rng.Chance(0.05) ? -1 : (rng.Chance(listed_p) ? 1 : 0);
}

void AppendFirmRow(const FirmRecord& firm, std::string& out) {
  out += firm.uscc;
  out += ',';
  out += firm.name;  // generated names hold no comma, quote or line break
  out += ',';
  out += firm.region;
  out += ',';
  out += firm.zone_id;
  out += ',';
  out += firm.industry->code;
  out += ',';
  out += firm.founded;
  out += ',';
  if (firm.cert_year != 0) AppendInt(firm.cert_year, out);
  out += ',';
  if (firm.listed >= 0) AppendBool(firm.listed == 1, out);
  out += ',';
  if (firm.has_coords) {
    const auto degrees = [&out](int e4) {
      AppendInt(e4 / 10000, out);
      out += '.';
      const int frac = e4 % 10000;
      const char digits[4] = {static_cast<char>('0' + frac / 1000), static_cast<char>('0' + frac / 100 % 10),
                              static_cast<char>('0' + frac / 10 % 10), static_cast<char>('0' + frac % 10)};
      out.append(digits, 4);
    };
    degrees(firm.lat_e4);
    out += ',';
    degrees(firm.lon_e4);
  } else {
    out += ',';
  }
  out += '\n';
}

int64_t AppendMemberRows(const FirmRecord& firm, std::string& out) {
  for (const Membership& m : firm.memberships) {
    out += m.cluster_id;
    out += ',';
    out += firm.uscc;
    out += ',';
    AppendInt(m.from_year, out);
    out += ',';
    if (m.to_year != 0) AppendInt(m.to_year, out);
    out += ',';
    if (!m.role_empty) out += m.backbone ? "backbone" : "member";
    out += '\n';
  }
  return static_cast<int64_t>(firm.memberships.size());
}

void AppendReport(const FirmRecord& firm, int year, const YearCore& core, FirmState& state, Rng& rng,
                  std::string& out) {
  const FirmTraits& t = firm.traits;
  const int64_t grain = t.fine_money ? 10 : 1000;
  const bool producing = core.producing;
  const double level = core.level > 0.0 ? core.level : 1e6;

  // Output, value added, revenue: the core. A service firm has revenue but no industrial output.
  int64_t gross_output = 0;
  int64_t value_added = 0;
  if (t.industrial) {
    gross_output = core.gross_output >= 0 ? core.gross_output : (producing ? RoundTo(level, grain) : 0);
    if (core.value_added >= 0) {
      value_added = core.value_added;
    } else {
      const double rate = Clamp(t.va_rate + rng.Normal(0.0, 0.02), 0.15, 0.45);
      value_added = std::min(gross_output, RoundTo(static_cast<double>(gross_output) * rate, grain));
    }
  }
  int64_t revenue = 0;
  if (producing) {
    const double basis = t.industrial ? static_cast<double>(gross_output) : level;
    revenue = RoundTo(basis * rng.Uniform(0.92, 1.08), grain);
  } else if (rng.Chance(0.5)) {
    revenue = RoundTo(level * rng.Uniform(0.005, 0.05), grain);  // trial sales before production
  }
  const double rev = static_cast<double>(revenue);
  const int64_t net_profit = producing ? RoundTo(rev * (t.margin + rng.Normal(0.0, 0.04)), grain)
                                       : -RoundTo(level * rng.Uniform(0.01, 0.04), grain);
  const int64_t taxes = RoundTo(rev * rng.Uniform(0.02, 0.07), grain);
  const int64_t exports = std::min(revenue, RoundTo(rev * t.export_share * rng.Uniform(0.8, 1.2), grain));
  const int64_t assets = RoundTo(std::max(level, rev) * t.asset_ratio * rng.Uniform(0.9, 1.1) + 5e5, grain);
  const int64_t liabilities =
      RoundTo(static_cast<double>(assets) * Clamp(t.leverage + rng.Normal(0.0, 0.04), 0.05, 0.95), grain);

  // People: sublinear in size (300 at 100 million yuan of revenue, ~12,000 at 10 billion);
  // service firms need more people per yuan.
  const double staff_basis = std::max({rev, 0.3 * level, 2e6});
  const double per_size = (t.industrial ? 300.0 : 600.0) * Pow(staff_basis / 1e8, 0.8);
  const int64_t employees = std::max<int64_t>(3, Floor(per_size * t.staff_factor * Exp(rng.Normal(0.0, 0.08))));
  const double emp = static_cast<double>(employees);
  const int64_t tech_staff = Floor(emp * Clamp(0.08 + 0.32 * t.tech + rng.Normal(0.0, 0.03), 0.02, 0.7));
  const int64_t rd_staff = Floor(static_cast<double>(tech_staff) * rng.Uniform(0.5, 0.9));
  const int64_t college = std::min(
      employees, std::max(tech_staff, Floor(emp * Clamp(0.25 + 0.5 * t.tech + rng.Normal(0.0, 0.04), 0.1, 0.97))));
  const int64_t masters = Floor(static_cast<double>(college) * rng.Uniform(0.02, 0.1) * (0.5 + t.tech));
  const int64_t phds = Floor(static_cast<double>(college - masters) * rng.Uniform(0.0, 0.03) * t.tech);
  const int64_t returnees = Floor(emp * rng.Uniform(0.0, 0.012) * t.tech);

  // Research: 1–8% of revenue by research intensity; patents follow R&D spending.
  const double rd_basis = revenue > 0 ? rev : 0.05 * level;
  const int64_t rd_expense = RoundTo(rd_basis * (0.01 + 0.07 * t.tech) * rng.Uniform(0.85, 1.15), grain);
  const int64_t rd_domestic =
      std::min(rd_expense, RoundTo(static_cast<double>(rd_expense) * rng.Uniform(0.75, 1.0), grain));
  const int64_t total_cost = std::max<int64_t>(0, revenue - net_profit);
  const double ht_share =
      t.tech >= 0.3 ? Clamp(0.3 + 0.6 * t.tech + rng.Normal(0.0, 0.05), 0.0, 1.0) : rng.Uniform(0.0, 0.3);
  const int64_t high_tech_revenue = std::min(revenue, RoundTo(rev * ht_share, grain));
  const double rd = static_cast<double>(rd_expense);
  const int64_t patent_apps = rng.Poisson(rd / 8e5 * (0.5 + t.tech));
  const int64_t invention_apps =
      std::min(patent_apps, Floor(static_cast<double>(patent_apps) * rng.Uniform(0.2, 0.6) * (0.5 + t.tech)));
  const int64_t patent_grants = Floor(static_cast<double>(patent_apps) * rng.Uniform(0.4, 0.8));
  const int64_t invention_grants =
      Floor(static_cast<double>(std::min(patent_grants, invention_apps)) * rng.Uniform(0.2, 0.6));
  if (!state.started) {
    state.started = true;
    state.valid_inventions = rng.Poisson(rd / 2e6 * t.tech * 3.0);
  }
  state.valid_inventions +=
      invention_grants - Floor(static_cast<double>(state.valid_inventions) * rng.Uniform(0.0, 0.05));
  const int64_t ip_class2 = (patent_grants - invention_grants) + rng.Poisson(t.tech * (t.industrial ? 2.0 : 6.0));
  const int64_t vc = (t.tech > 0.4 && revenue < 200'000'000 && rng.Chance(0.06))
                         ? RoundTo(std::max(rev, 1e6) * rng.Uniform(0.1, 1.0), grain)
                         : 0;
  const int64_t loans = rng.Chance(0.3) ? RoundTo(static_cast<double>(assets) * rng.Uniform(0.02, 0.2), grain) : 0;
  const bool incident = rng.Chance(0.004);

  // A few cells are left empty: missing, never written as 0.
  const auto missing = [&rng]() { return rng.Chance(0.01); };
  const bool keep_core = t.calibrated;
  out += firm.uscc;
  out += ',';
  AppendInt(year, out);
  out += ',';
  if (keep_core || !producing || !missing()) AppendBool(producing, out);  // empty means yes
  const auto money = [&](int64_t v, bool may_miss) {
    out += ',';
    if (may_miss && missing()) return;
    AppendMoney(v, out);
  };
  const auto count = [&](int64_t v) {
    out += ',';
    if (missing()) return;
    AppendInt(v, out);
  };
  money(revenue, true);
  if (t.industrial) {
    money(gross_output, !keep_core);
    money(value_added, !keep_core);
  } else {
    out += ",,";
  }
  money(net_profit, true);
  money(taxes, true);
  money(exports, true);
  money(assets, true);
  money(liabilities, true);
  count(employees);
  count(tech_staff);
  count(rd_staff);
  count(college);
  count(masters);
  count(phds);
  count(returnees);
  money(rd_expense, true);
  money(rd_domestic, true);
  money(total_cost, true);
  money(high_tech_revenue, true);
  count(patent_apps);
  count(invention_apps);
  count(patent_grants);
  count(invention_grants);
  count(state.valid_inventions);
  count(state.valid_inventions);  // ip_class1: invention patents are the class I rights firms hold
  count(ip_class2);
  money(vc, true);
  money(loans, true);
  for (bool flag : {t.rd_institution, incident, t.national_award, t.standard_lead}) {
    out += ',';
    if (!missing()) AppendBool(flag, out);
  }
  out += '\n';
}

}  // namespace clusterscope::synth
