// Regression tests for the input findings of issue 9 (hostile input), each named for its symptom:
// limits (io/limits.h) refuse with their own rule, the row as the sheet shows it and the cell;
// inputs are read with read(2), never mapped; xlsx parts are checked (CRC-32, size, ratio).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <map>
#include <string>
#include <thread>

#include "core/sha256.h"
#include "io/limits.h"
#include "io/reader_internal.h"
#include "io/table_reader.h"
#include "unit/io/io_test_util.h"

namespace clusterscope::io {
namespace {

using testing::Cells;
using testing::OpenOrDie;
using testing::ReadAll;
using testing::TempDir;

// Opens `path` expecting a refusal; returns the problem it names.
ReadProblem RefusedProblem(const std::string& path) {
  ReadProblem problem;
  auto opened = TableReader::Open(path, {}, &problem);
  if (!opened.ok()) {
    EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput) << opened.status().ToString();
    EXPECT_NE(opened.status().message().find(path), std::string::npos) << opened.status().message();
    return problem;
  }
  TableRow row;
  while (true) {
    auto got = (*opened)->Next(row);
    if (!got.ok()) {
      EXPECT_NE(got.status().message().find(path), std::string::npos) << got.status().message();
      return (*opened)->problem();
    }
    if (!*got) break;
  }
  ADD_FAILURE() << path << " was read without a refusal";
  return {};
}

// ---------------------------------------------------------------- CSV

TEST(Csv, StrayQuoteNamesOpeningRow) {
  TempDir dir;
  // Row 3 opens a quote that a later stray quote closes: without the rule, rows 3-5 read as one.
  const std::string path = dir.Write("i.csv",
                                     "cluster_id,name,category\n"
                                     "QH-BIO,青海省中藏药研究院,研发\n"
                                     "QH-BIO,\"青海大学生物研究所,研发\n"
                                     "QH-BIO,西宁科技服务中心,创新服务\n"
                                     "QH-BIO,西宁科技金融服务中心\",金融服务\n"
                                     "QH-BIO,青海科技大市场,其他\n");
  const ReadProblem p = RefusedProblem(path);
  EXPECT_EQ(p.rule, "csv.quote");
  EXPECT_EQ(p.row, 3);
  EXPECT_EQ(p.column, "name");
  EXPECT_TRUE(p.value.starts_with("\"青海大学生物研究所")) << p.value;
  EXPECT_NE(p.en.find("line 3"), std::string::npos) << p.en;
}

TEST(Csv, StrayQuoteFollowedByTextNamesOpeningRow) {
  TempDir dir;
  const std::string path = dir.Write("i.csv", "a,b\n1,\"x\n2,y\"z\n3,w\n");
  const ReadProblem p = RefusedProblem(path);
  EXPECT_EQ(p.rule, "csv.quote");
  EXPECT_EQ(p.row, 2);
  EXPECT_EQ(p.column, "b");
}

TEST(Csv, QuoteSpanningRowsChangesCellCountIsRefused) {
  TempDir dir;
  const std::string path = dir.Write("i.csv", "a,b,c\n1,\"x\n2\",y,z,w\n");
  const ReadProblem p = RefusedProblem(path);
  EXPECT_EQ(p.rule, "csv.quote");
  EXPECT_EQ(p.row, 2);
}

TEST(Csv, LegitimateMultilineCellStillReads) {
  TempDir dir;
  const std::string path = dir.Write("m.csv", "name,address\n企业,\"西宁市\n城西区\"\n");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"企业", "西宁市\n城西区"}));
}

TEST(Csv, UnterminatedQuoteNamesOpeningRow) {
  TempDir dir;
  const std::string path = dir.Write("u.csv", "a,b\n1,2\n3,\"4\n5,6\n");
  const ReadProblem p = RefusedProblem(path);
  EXPECT_EQ(p.rule, "csv.quote");
  EXPECT_EQ(p.row, 3);
  EXPECT_EQ(p.column, "b");
}

TEST(Csv, HundredMebibyteLineIsRefusedQuickly) {
  TempDir dir;
  // 100 MiB: many short cells hit the column limit, long cells the row limit.
  std::string many(size_t{100} << 20, 'a');
  for (size_t i = 1; i < many.size(); i += 2) many[i] = ',';
  const std::string wide = dir.Write("wide.csv", "a,b\n" + many + "\n");
  ReadProblem p = RefusedProblem(wide);
  EXPECT_EQ(p.rule, "limit.columns");
  EXPECT_EQ(p.row, 2);
  EXPECT_EQ(p.column, "#16385");

  std::string long_cells;
  for (int i = 0; i < 1000; ++i) long_cells += std::string(size_t{100} << 10, 'x') + ",";
  const std::string tall = dir.Write("long.csv", "a,b\n" + long_cells + "\n");
  p = RefusedProblem(tall);
  EXPECT_EQ(p.rule, "limit.row_bytes");
  EXPECT_EQ(p.row, 2);
}

TEST(Csv, HundredMebibyteHeaderIsRefused) {
  TempDir dir;
  const std::string path = dir.Write("h.csv", std::string(size_t{100} << 20, 'h') + "\n1\n");
  const ReadProblem p = RefusedProblem(path);
  EXPECT_EQ(p.rule, "limit.cell_bytes");
  EXPECT_EQ(p.row, 1);
  const std::string header = dir.Write("h2.csv", "a," + std::string(size_t{100} << 10, 'h') + "\n1\n");
  EXPECT_EQ(RefusedProblem(header).rule, "limit.header_bytes");
}

TEST(Csv, CellOverLimitNamesRowAndColumn) {
  TempDir dir;
  const std::string path = dir.Write("c.csv", "id,name\n1,ok\n2," + std::string(limits::kMaxCellBytes + 1, 'n') + "\n");
  const ReadProblem p = RefusedProblem(path);
  EXPECT_EQ(p.rule, "limit.cell_bytes");
  EXPECT_EQ(p.row, 3);
  EXPECT_EQ(p.column, "name");
  EXPECT_EQ(p.value, std::string(64, 'n') + "…");
}

TEST(Csv, ShortGb18030FileIsNotTakenForUtf8) {
  TempDir dir;
  // 专业 in GB18030 is D7 A8 D2 B5, which is also well-formed UTF-8 (Hebrew resh, Cyrillic).
  const std::string path = dir.Write("g.csv", "name\n\xD7\xA8\xD2\xB5\n");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->encoding(), "gb18030");
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"专业"}));
}

TEST(Csv, Utf8WithLatinSignsStaysUtf8) {
  TempDir dir;
  const std::string path = dir.Write("u.csv", "name,area\n企业,10²\n温度,36.5°\n");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->encoding(), "utf-8");
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells, (Cells{"企业", "10²"}));
}

TEST(Csv, HeaderRowIsTheRowTheSheetShows) {
  TempDir dir;
  const std::string path = dir.Write("h.csv", "\n,,\nuscc,year\n1,2\n");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->header_row(), 3);
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].row_number, 4);
}

// ---------------------------------------------------------------- inputs that are not files

TEST(Input, FifoIsReadWithoutLoss) {
  TempDir dir;
  const std::string fifo = dir.Path("pipe.csv");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string content = "uscc,year\n";
  for (int i = 0; i < 20000; ++i) content += "91630105XY0001373M," + std::to_string(1990 + i % 30) + "\n";
  std::thread writer([&] {
    const int fd = ::open(fifo.c_str(), O_WRONLY);
    size_t done = 0;
    while (fd >= 0 && done < content.size()) {
      const ssize_t n = ::write(fd, content.data() + done, std::min<size_t>(4096, content.size() - done));
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    if (fd >= 0) ::close(fd);
  });
  auto reader = OpenOrDie(fifo);
  writer.join();
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->header(), (Cells{"uscc", "year"}));  // the first bytes are not lost
  EXPECT_EQ(reader->raw_bytes(), content);               // the hash is of exactly these
  EXPECT_EQ(ReadAll(*reader).size(), 20000u);
}

TEST(Input, DashReadsStandardInput) {
  TempDir dir;
  const std::string content = "a,b\n1,2\n3,4\n";
  const std::string file = dir.Write("in.csv", content);
  const int saved = ::dup(STDIN_FILENO);
  const int fd = ::open(file.c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::dup2(fd, STDIN_FILENO), STDIN_FILENO);
  ::close(fd);
  auto reader = TableReader::Open("-");
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  EXPECT_EQ((*reader)->raw_bytes(), content);
  EXPECT_EQ(ReadAll(**reader).size(), 2u);
}

TEST(Input, FileTruncatedDuringImportDoesNotFault) {
  TempDir dir;
  std::string content = "a,b\n";
  for (int i = 0; i < 100000; ++i) content += std::to_string(i) + ",企业\n";
  const std::string path = dir.Write("t.csv", content);
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  // With the file mapped, reading past the new end raised SIGBUS; the bytes are in memory now.
  ASSERT_EQ(::truncate(path.c_str(), 10), 0);
  EXPECT_EQ(ReadAll(*reader).size(), 100000u);
  EXPECT_EQ(sha256::Hex(reader->raw_bytes()), sha256::Hex(content));
}

TEST(Input, LargerThanTheLimitIsRefused) {
  TempDir dir;
  const std::string path = dir.Write("big.csv", std::string(5000, 'x'));
  ReadProblem problem;
  auto read = internal::ReadInput(path, &problem, 1000);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(problem.rule, "limit.file_bytes");
  EXPECT_TRUE(internal::ReadInput(path, &problem, 5000).ok());
}

// ---------------------------------------------------------------- xlsx

constexpr const char* kTypes =
    R"(<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>)";
constexpr const char* kRels =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";
constexpr const char* kWorkbook =
    R"(<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>)";
constexpr const char* kWorkbookRels =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>)";

// Writes a workbook whose sheet is `sheet_data` (the inside of <sheetData>), with `before` and
// `after` it in the sheet, and optional shared strings; entries in `stored` are not compressed.
std::string Workbook(const TempDir& dir, const std::string& name, const std::string& sheet_data,
                     const std::string& before = "", const std::string& after = "",
                     const std::string& shared_strings = "", std::map<std::string, std::string> extra = {},
                     bool store_sheet = false) {
  std::map<std::string, std::string> entries = {
      {"[Content_Types].xml", kTypes},
      {"_rels/.rels", kRels},
      {"xl/workbook.xml", kWorkbook},
      {"xl/_rels/workbook.xml.rels", kWorkbookRels},
      {"xl/worksheets/sheet1.xml",
       R"(<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)" +
           before + "<sheetData>" + sheet_data + "</sheetData>" + after + "</worksheet>"},
  };
  if (!shared_strings.empty()) entries["xl/sharedStrings.xml"] = shared_strings;
  for (auto& [k, v] : extra) entries[k] = v;
  const std::string path = dir.Path(name);
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  EXPECT_NE(archive, nullptr);
  for (const auto& [entry, content] : entries) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    const zip_int64_t index = zip_file_add(archive, entry.c_str(), source, ZIP_FL_OVERWRITE);
    EXPECT_GE(index, 0);
    if (store_sheet && entry == "xl/worksheets/sheet1.xml") {
      zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), ZIP_CM_STORE, 0);
    }
  }
  EXPECT_EQ(zip_close(archive), 0);
  return path;
}

std::string InlineCell(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}
const std::string kHeader = "<row r=\"1\">" + InlineCell("A1", "name") + InlineCell("B1", "value") + "</row>";

TEST(XlsxReader, LongSingleRowIsLinear) {
  TempDir dir;
  // 16,384 cells whose values are empty strings, then one value: each empty cell once cleared the
  // cells before it (quadratic: 21 s for a 392 KB file).
  std::string row = "<row r=\"2\">";
  for (size_t c = 0; c + 1 < limits::kMaxColumns; ++c) row += "<c t=\"inlineStr\"><is><t></t></is></c>";
  row += "<c><v>7</v></c></row>";
  const std::string path = Workbook(dir, "long.xlsx", kHeader + row);
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].cells.size(), limits::kMaxColumns);
  EXPECT_EQ(rows[0].cells.back(), "7");
  EXPECT_EQ(rows[0].cells[0], "");
}

TEST(XlsxReader, RowOverTheLimitIsRefused) {
  TempDir dir;
  const std::string big(size_t{17} << 20, 'x');  // deflates about 1000:1, so stored
  const std::string path =
      Workbook(dir, "row.xlsx", kHeader + "<row r=\"2\"><c t=\"inlineStr\"><is><t>" + big + "</t></is></c></row>", "",
               "", "", {}, /*store_sheet=*/true);
  const ReadProblem p = RefusedProblem(path);
  EXPECT_EQ(p.rule, "limit.row_bytes");
  EXPECT_EQ(p.row, 2);
}

TEST(XlsxReader, JunkBeforeSheetDataIsSkippedInBoundedMemory) {
  TempDir dir;
  // 12 MiB of low-ratio junk (a counter, so deflate cannot shrink it 200:1) before <sheetData>.
  std::string junk = "<sheetPr><x>";
  for (uint64_t i = 0; junk.size() < (size_t{12} << 20); ++i) junk += std::to_string(i * 7919 % 1000003) + " ";
  junk += "</x></sheetPr>";
  const std::string path = Workbook(
      dir, "junk.xlsx", kHeader + "<row r=\"2\">" + InlineCell("A2", "企业") + "<c r=\"B2\"><v>5</v></c></row>", junk);
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"企业", "5"}));
}

TEST(XlsxReader, ZipBombSharedStringsIsRefused) {
  TempDir dir;
  std::string sst = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
  while (sst.size() < (size_t{64} << 20)) sst += "<si><t>a</t></si>";
  sst += "</sst>";
  const std::string path = Workbook(dir, "bomb.xlsx", kHeader, "", "", sst);
  const ReadProblem p = RefusedProblem(path);
  EXPECT_EQ(p.rule, "limit.part_ratio");
  EXPECT_EQ(p.row, 0);
}

TEST(XlsxReader, OversizedWorkbookPartIsRefused) {
  TempDir dir;
  // A workbook part over the small-part limit, of digits that deflate only a few times.
  std::string workbook = kWorkbook;
  std::string pad = "<!--";
  for (int i = 0; pad.size() < limits::kMaxSmallPartBytes + 1000; ++i) pad += std::to_string(i * 2654435761U);
  pad += "-->";
  workbook.insert(workbook.find("<sheets>"), pad);
  const std::string path = Workbook(dir, "wb.xlsx", kHeader, "", "", "", {{"xl/workbook.xml", workbook}});
  EXPECT_EQ(RefusedProblem(path).rule, "limit.part_bytes");
}

TEST(XlsxReader, ChangedDigitInStoredSheetFailsCrc) {
  TempDir dir;
  const std::string path = Workbook(
      dir, "crc.xlsx", kHeader + "<row r=\"2\">" + InlineCell("A2", "a") + "<c r=\"B2\"><v>350000</v></c></row>", "",
      "", "", {}, /*store_sheet=*/true);
  std::string bytes = testing::ReadBytes(path);
  const size_t at = bytes.find("<v>350000</v>");
  ASSERT_NE(at, std::string::npos);
  bytes[at + 3] = '9';
  const std::string damaged = dir.Write("damaged.xlsx", bytes);
  const ReadProblem p = RefusedProblem(damaged);
  EXPECT_EQ(p.rule, "xlsx.crc");
}

TEST(XlsxReader, InvalidUtf8NamesCell) {
  TempDir dir;
  const std::string sst = "<sst><si><t>ok</t></si><si><t>bad\xC3(</t></si></sst>";
  const std::string path = Workbook(dir, "u.xlsx",
                                    kHeader +
                                        "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>0</v></c></row><row r=\"3\"><c r=\"B3\" "
                                        "t=\"s\"><v>1</v></c></row>",
                                    "", "", sst);
  const ReadProblem p = RefusedProblem(path);
  EXPECT_EQ(p.rule, "text.utf8");
  EXPECT_EQ(p.row, 3);
  EXPECT_EQ(p.column, "value");
  EXPECT_NE(p.en.find("B3"), std::string::npos) << p.en;
  EXPECT_EQ(p.value, "bad\\xC3(");
}

TEST(XlsxReader, FormulaWithoutValueNamesCell) {
  TempDir dir;
  const std::string path =
      Workbook(dir, "f.xlsx", kHeader + "<row r=\"2\">" + InlineCell("A2", "a") + "<c r=\"B2\"><f>1+1</f></c></row>");
  const ReadProblem p = RefusedProblem(path);
  EXPECT_EQ(p.rule, "xlsx.formula");
  EXPECT_EQ(p.row, 2);
  EXPECT_EQ(p.column, "value");
  EXPECT_NE(p.en.find("B2"), std::string::npos);
}

TEST(XlsxReader, FormulaWithCachedValueReadsTheValue) {
  TempDir dir;
  const std::string path = Workbook(
      dir, "f.xlsx", kHeader + "<row r=\"2\">" + InlineCell("A2", "a") + "<c r=\"B2\"><f>1+1</f><v>2</v></c></row>");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"a", "2"}));
}

TEST(XlsxReader, MergedDataCellsAreRefused) {
  TempDir dir;
  const std::string rows = kHeader + "<row r=\"2\">" + InlineCell("A2", "a") + "<c r=\"B2\"><v>1</v></c></row>" +
                           "<row r=\"3\">" + InlineCell("A3", "b") + "</row>";
  const std::string path =
      Workbook(dir, "m.xlsx", rows, "", "<mergeCells count=\"1\"><mergeCell ref=\"B2:B3\"/></mergeCells>");
  const ReadProblem p = RefusedProblem(path);
  EXPECT_EQ(p.rule, "xlsx.merged");
  EXPECT_EQ(p.row, 2);
  EXPECT_EQ(p.column, "value");
  EXPECT_EQ(p.value, "B2:B3");
}

TEST(XlsxReader, MergedTitleAboveHeaderIsFine) {
  TempDir dir;
  // A title merged across A1:C1 on an otherwise empty row above the header (row 2).
  const std::string path =
      Workbook(dir, "t.xlsx",
               "<row r=\"2\">" + InlineCell("A2", "name") + "</row><row r=\"3\">" + InlineCell("A3", "a") + "</row>",
               "", "<mergeCells count=\"1\"><mergeCell ref=\"A1:C1\"/></mergeCells>");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->header_row(), 2);
  EXPECT_EQ(ReadAll(*reader).size(), 1u);
}

TEST(XlsxReader, EscapedControlCharacterIsDecoded) {
  TempDir dir;
  // _x001B_ is ESC: decoded here, refused by the importer's text.control rule.
  const std::string path =
      Workbook(dir, "e.xlsx", kHeader + "<row r=\"2\">" + InlineCell("A2", "青海_x001B_公司") + "</row>");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells[0], "青海\x1B公司");
}

}  // namespace
}  // namespace clusterscope::io
