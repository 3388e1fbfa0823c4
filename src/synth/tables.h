// The fixed vocabulary of the synthetic data set: cities (built-in GB/T 2260 prefectures with a
// centre and the name of their national high-tech zone), industry classes (built-in GB/T
// 4754-2017 classes only, so an import raises no "unlisted code" warning) grouped into the
// coherent families a cluster's leading industries come from, and the parts firm names are
// made of. Data only; the generator decides how to combine them.
#pragma once

#include <span>
#include <string_view>

namespace clusterscope::synth {

struct City {
  std::string_view region;       // prefecture (or capital) code, built-in
  std::string_view firm_region;  // where its zone's firms register: a built-in district, else region
  std::string_view name;         // short name for firm and zone names: "苏州"
  std::string_view zone_name;    // its national high-tech zone
  std::string_view zone_short;   // that zone in cluster names: "苏州高新区", "中关村"
  int lat_e4;                    // centre, in 1e-4 degrees (integers keep the table exact)
  int lon_e4;
  double weight;  // relative size of its high-tech economy
};

// Cities in the order zones are given out: the first twenty lie in twenty provinces, so even the
// smallest data set spreads across the country. Xining and Haixi are last: the demo calibration
// has its own zones there and leaves them out.
std::span<const City> Cities();
inline constexpr size_t kQinghaiCities = 1;  // trailing entries the demo calibration leaves out

// Names for a city's further (provincial) zones: "{city}{suffix}".
std::span<const std::string_view> ZoneSuffixes();

struct IndustryClass {
  std::string_view code;      // 4-digit GB/T 4754-2017 class in the built-in table
  bool industrial;            // sections B–D: reports industrial output; else a service firm
  std::string_view words[3];  // name parts for firms of this class ("药业"); unused ones empty
  double weight;              // how common among firms outside clusters
};
std::span<const IndustryClass> IndustryClasses();
const IndustryClass* FindClass(std::string_view code);

struct IndustryFamily {
  std::string_view label;                   // in cluster names: "生物医药"
  std::span<const std::string_view> codes;  // leading-industry choices: classes, sometimes a group
  double weight;                            // how common among clusters
};
std::span<const IndustryFamily> IndustryFamilies();

// Name parts: two brand characters, then the class's word, then a legal-form suffix.
std::span<const std::string_view> BrandCharacters();
std::span<const std::string_view> LegalForms();
// Brand words in Qinghai firm names (plateau places and plants), for the demo firms.
std::span<const std::string_view> QinghaiBrands();

}  // namespace clusterscope::synth
