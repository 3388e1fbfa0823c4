// cs_bench_parse — Google Benchmark microbenchmarks of the importer's per-cell hot paths.
//
//   build/bench/cs_bench_parse [--benchmark_filter=…]
//   CS_BENCH_REPORTS=path/to/reports.csv build/bench/cs_bench_parse --benchmark_filter=TableReader
//
// The TableReader benchmark reads bench/out/reports.csv (written by bench/import_vs_sqlite.sh or
// cs_gen_bench_data) or the file named by $CS_BENCH_REPORTS; it is skipped when neither exists.

#include <benchmark/benchmark.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/number.h"
#include "core/text.h"
#include "core/uscc.h"
#include "importer/cell_parser.h"
#include "io/table_reader.h"

namespace cs = clusterscope;

namespace {

// Money cells as the reports files carry them (千元, mostly two decimals).
constexpr std::array<std::string_view, 8> kMoney = {"769802",   "1058482.35",   "244082.5", "27225.07",
                                                    "-3811.60", "1,234,567.89", "0.35",     "352457.00"};

void BM_ParseDecimalAndScale(benchmark::State& state) {
  size_t i = 0;
  for (auto _ : state) {
    auto d = cs::number::ParseDecimal(kMoney[i++ % kMoney.size()]);
    auto scaled = cs::number::ToScaledInteger(*d, 5);  // 千元 → fen
    benchmark::DoNotOptimize(scaled);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseDecimalAndScale);

void BM_ParseDecimalOnly(benchmark::State& state) {
  size_t i = 0;
  for (auto _ : state) {
    auto d = cs::number::ParseDecimal(kMoney[i++ % kMoney.size()]);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseDecimalOnly);

// What the importer runs per money cell: ParseCell, whose fast path skips ParseDecimal.
void BM_ParseCellMoney(benchmark::State& state) {
  const cs::ColumnDef column{.id = "revenue", .zh = "营业收入", .type = cs::ColumnType::kMoney};
  const cs::importer::CellSpec spec{&column, 5};  // 千元
  size_t i = 0;
  for (auto _ : state) {
    auto cell = cs::importer::ParseCell(spec, kMoney[i++ % kMoney.size()]);
    benchmark::DoNotOptimize(cell);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ParseCellMoney);

void BM_UsccCheck(benchmark::State& state) {
  constexpr std::array<std::string_view, 3> kCodes = {"91630105XY0001373M", "91630104XY0001744X",
                                                      " 91630105xy0002114e "};
  size_t i = 0;
  for (auto _ : state) {
    auto v = cs::uscc::Check(kCodes[i++ % kCodes.size()]);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_UsccCheck);

void BM_NormaliseNameTraditional(benchmark::State& state) {
  const std::string name = "青海金訶藏藥藥業股份有限公司";
  for (auto _ : state) {
    auto n = cs::text::NormaliseName(name);
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormaliseNameTraditional);

void BM_NormaliseNameSimplified(benchmark::State& state) {
  const std::string name = "青海康普生物科技股份有限公司";
  for (auto _ : state) {
    auto n = cs::text::NormaliseName(name);
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_NormaliseNameSimplified);

std::string ReportsPath() {
  if (const char* env = std::getenv("CS_BENCH_REPORTS"); env != nullptr && *env != '\0') return env;
  return std::string(CS_SOURCE_DIR) + "/bench/out/reports.csv";
}

// Reads the whole reports file per iteration: rows/s and bytes/s of the CSV reader alone.
void BM_TableReaderReports(benchmark::State& state) {
  const std::string path = ReportsPath();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    state.SkipWithError(("no " + path + " (run bench/import_vs_sqlite.sh or cs_gen_bench_data first)").c_str());
    return;
  }
  const auto bytes = std::filesystem::file_size(path, ec);
  int64_t rows = 0;
  for (auto _ : state) {
    auto reader = cs::io::TableReader::Open(path);
    if (!reader.ok()) {
      state.SkipWithError(reader.status().message().c_str());
      return;
    }
    cs::io::TableRow row;
    for (;;) {
      auto more = (*reader)->Next(row);
      if (!more.ok() || !*more) break;
      ++rows;
    }
  }
  state.SetItemsProcessed(rows);
  state.SetBytesProcessed(static_cast<int64_t>(bytes) * state.iterations());
}
BENCHMARK(BM_TableReaderReports)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
