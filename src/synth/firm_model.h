// One synthetic firm: its register row, its memberships and its annual reports, and how each is
// written as a CSV row of the import layouts (docs/formats.md). Shared by the national backdrop
// and the calibrated demo firms, so both obey the same consistency rules by construction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/random.h"
#include "synth/tables.h"

namespace clusterscope::synth {

// The seeded generator and its exact-everywhere maths live in core/ (shared with place/).
using random::Exp;
using random::Ln;
using random::PickCumulative;
using random::Pow;
using random::Rng;

// Firm-level tendencies, drawn once, that shape every report of the firm.
struct FirmTraits {
  bool industrial = true;     // reports gross output and value added; a service firm leaves them empty
  double tech = 0.5;          // research intensity, 0 … 1: tech staff, R&D, patents, high-tech revenue
  double va_rate = 0.3;       // value added / gross output, 0.2 … 0.4
  double margin = 0.06;       // net profit / revenue (may be negative)
  double export_share = 0.0;  // exports / revenue
  double asset_ratio = 1.2;   // total assets / revenue
  double leverage = 0.45;     // liabilities / assets
  double staff_factor = 1.0;  // employees relative to the size curve
  bool fine_money = false;    // money to 0.01 千元 (as many Torch forms are) rather than whole 千元
  bool rd_institution = false;
  bool national_award = false;
  bool standard_lead = false;
  // A calibrated demo firm: gross_output, value_added and producing are never left empty, so the
  // report's figures are computed with full coverage.
  bool calibrated = false;
};

struct Membership {
  std::string_view cluster_id;
  int from_year = 0;
  int to_year = 0;  // 0 = still a member (empty cell)
  bool backbone = false;
  bool role_empty = false;  // write an empty role (which means member) instead of "member"
};

struct FirmRecord {
  int64_t index = 0;  // position in the data set; the credit code is derived from it
  std::string uscc;
  std::string name;
  std::string_view region;   // GB/T 2260 code, built-in
  std::string_view zone_id;  // empty = outside any zone
  const IndustryClass* industry = nullptr;
  int founded_year = 0;
  std::string founded;  // as written: "2003-05-12", "2003" or "" (unknown)
  int cert_year = 0;    // 0 = no high-tech certificate on record
  int listed = 0;       // 1 yes, 0 no, -1 empty
  bool has_coords = false;
  int lat_e4 = 0;
  int lon_e4 = 0;
  int first_report = 0;  // report years, inclusive
  int last_report = 0;
  std::vector<Membership> memberships;
  FirmTraits traits;
};

// What a year's report grows from. `level` is the firm's scale in yuan — its gross output when
// producing, or a service firm's revenue — and stays meaningful while it is not producing.
struct YearCore {
  bool producing = true;
  double level = 0.0;
  int64_t gross_output = -1;  // yuan; -1: derive from level
  int64_t value_added = -1;   // yuan; -1: derive from gross_output
};

// Carried from one year's report of a firm to the next (nothing lives longer than the firm).
struct FirmState {
  bool started = false;
  int64_t valid_inventions = 0;
};

// GB 32100-2015 credit code for firm `index` (0 … kMaxFirms − 1) registered in `region`:
// "91" + region + "XY" + six characters from the index + GB 11714 check + GB 32100 check.
inline constexpr int64_t kMaxFirms = 3'100'000;
std::string MakeUscc(int64_t index, std::string_view region);

// Firm-level tendencies for a firm of `industry` whose gross output (or revenue) is about
// `size_yuan`: research-heavy industries and larger firms get more R&D, certificates, listing.
FirmTraits DrawTraits(Rng& rng, const IndustryClass& industry, double size_yuan);

// Register fields that follow from the founding year and the traits: the founding date as
// written, the high-tech certificate year (so that about a quarter of firms hold a valid one in a
// given year), listing. Needs founded_year, traits and industry set.
void DrawRegisterFields(Rng& rng, FirmRecord& firm, double size_yuan, int first_year, int last_year);

// A firm name: "{place}{brand}{industry word}{legal form}".
std::string MakeFirmName(Rng& rng, std::string_view place, std::string_view brand, const IndustryClass& industry);
std::string RandomBrand(Rng& rng);  // two brand characters

// Headers of the files written row by row.
inline constexpr std::string_view kFirmsHeader =
    "uscc,name,region_code,zone_id,industry_code,founded,high_tech_cert_year,listed,lat,lon\n";
inline constexpr std::string_view kMembersHeader = "cluster_id,uscc,from_year,to_year,role\n";
inline constexpr std::string_view kReportsHeader =
    "uscc,year,producing,revenue,gross_output,value_added,net_profit,taxes_paid,exports,total_assets,"
    "total_liabilities,employees,tech_staff,rd_staff,college_staff,masters,phds,returnees,rd_expense,"
    "rd_expense_domestic,total_cost,high_tech_revenue,patent_applications,invention_applications,patent_grants,"
    "invention_grants,valid_invention_patents,ip_class1,ip_class2,vc_investment,new_loans,"
    "provincial_rd_institution,major_incident,national_award_5y,standard_lead_5y\n";

void AppendFirmRow(const FirmRecord& firm, std::string& out);
// One row per membership; returns how many.
int64_t AppendMemberRows(const FirmRecord& firm, std::string& out);
// The report of `firm` for `year`: every figure follows from `core` and the traits, and obeys
// every consistency rule of formats.md (value_added ≤ gross_output, tech_staff ≤ employees, …).
// A few cells are left empty (missing, never 0), except a calibrated firm's core figures.
void AppendReport(const FirmRecord& firm, int year, const YearCore& core, FirmState& state, Rng& rng, std::string& out);

// Money in yuan as 千元 with at most three decimals: 1234500 → "1234.5".
void AppendMoney(int64_t yuan, std::string& out);
void AppendInt(int64_t value, std::string& out);

}  // namespace clusterscope::synth
