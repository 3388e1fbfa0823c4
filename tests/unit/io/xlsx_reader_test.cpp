#include <gtest/gtest.h>
#include <xlsxwriter.h>
#include <zip.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "io/reader_internal.h"
#include "io/table_reader.h"
#include "unit/io/io_test_util.h"

namespace clusterscope::io {
namespace {

using testing::Cells;
using testing::OpenOrDie;
using testing::ReadAll;
using testing::TempDir;

// Writes a workbook with libxlsxwriter, as a real spreadsheet program would lay it out.
void WriteWorkbook(const std::string& path, const std::function<void(lxw_workbook*)>& fill) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  ASSERT_NE(workbook, nullptr);
  fill(workbook);
  ASSERT_EQ(workbook_close(workbook), LXW_NO_ERROR);
}

// Writes a zip archive with exactly these entries, for XML that libxlsxwriter never produces.
void WriteZip(const std::string& path, const std::map<std::string, std::string>& entries) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(archive, nullptr);
  for (const auto& [name, content] : entries) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    ASSERT_NE(source, nullptr);
    ASSERT_GE(zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE), 0);
  }
  ASSERT_EQ(zip_close(archive), 0);
}

constexpr const char* kContentTypes =
    R"(<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>)";
constexpr const char* kRootRels =
    R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>)";

// A hand-made workbook: two sheets, the first reached by an absolute target, with every cell type.
std::map<std::string, std::string> HandMadeWorkbook() {
  return {
      {"[Content_Types].xml", kContentTypes},
      {"_rels/.rels", kRootRels},
      {"xl/workbook.xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="数据" sheetId="1" r:id="rId7"/><sheet name="Other" sheetId="2" r:id="rId8"/></sheets>
</workbook>)"},
      {"xl/_rels/workbook.xml.rels",
       R"(<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/../worksheets/sheet2.xml"/>
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/sheet1.xml"/>
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="strings.xml"/>
</Relationships>)"},
      {"xl/strings.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">
<si><t>name</t></si>
<si><r><rPr><b/></rPr><t>企业</t></r><r><t xml:space="preserve"> 有限公司</t></r><rPh sb="0" eb="1"><t>QIYE</t></rPh></si>
<si><t xml:space="preserve">  </t></si>
<si><t>a_x000D_b &amp; c</t></si>
</sst>)"},
      {"xl/worksheets/sheet1.xml",
       R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:E9"/>
<sheetData>
<row r="1" spans="1:3"><c r="A1" s="3"/></row>
<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>value</t></is></c><c r="C2" t="str"><v>kind</v></c></row>
<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>1.2345E+7</v></c><c r="C3" t="e"><v>#DIV/0!</v></c></row>
<row r="4"><c r="A4" t="s"><v>2</v></c><c r="B4" t="n"><v>0.30000000000000004</v></c><c r="C4" t="d"><v>2024-03-01T00:00:00</v></c></row>
<row r="5"/>
<row r="7"><c r="A7" t="s"><v>3</v></c><c r="B7"><v>-0.5</v></c><c r="C7" t="b"><v>0</v></c></row>
<row r="8"><c r="B8"><v>100</v></c><c r="E8" t="str"><v>far</v></c></row>
<row><c><v>1234.5</v></c><c><v>12345678.9</v></c></row>
</sheetData><mergeCells count="0"/></worksheet>)"},
      {"xl/worksheets/sheet2.xml",
       R"(<?xml version="1.0" encoding="UTF-8"?>
<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>k</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="A2"><x:v>5</x:v></x:c></x:row></x:sheetData></x:worksheet>)"},
  };
}

TEST(FormatExcelNumberTest, FifteenSignificantDigitsPlainDecimal) {
  using internal::FormatExcelNumber;
  EXPECT_EQ(FormatExcelNumber(1.2345e7), "12345000");
  EXPECT_EQ(FormatExcelNumber(0.1 + 0.2), "0.3");
  EXPECT_EQ(FormatExcelNumber(1234.5), "1234.5");
  EXPECT_EQ(FormatExcelNumber(-0.5), "-0.5");
  EXPECT_EQ(FormatExcelNumber(100), "100");
  EXPECT_EQ(FormatExcelNumber(0), "0");
  EXPECT_EQ(FormatExcelNumber(-0.0), "0");
  EXPECT_EQ(FormatExcelNumber(12345678.9), "12345678.9");
  EXPECT_EQ(FormatExcelNumber(1e20), "100000000000000000000");
  EXPECT_EQ(FormatExcelNumber(1.5e-7), "0.00000015");
  EXPECT_EQ(FormatExcelNumber(123456789012345678.0), "123456789012346000");
  EXPECT_EQ(FormatExcelNumber(1.0 / 3), "0.333333333333333");
  EXPECT_EQ(FormatExcelNumber(-2.0 / 3), "-0.666666666666667");
  EXPECT_EQ(FormatExcelNumber(999999999999999.9), "1000000000000000");
  EXPECT_EQ(internal::FormatExcelNumberText("1.2345E+7"), "12345000");
  EXPECT_EQ(internal::FormatExcelNumberText("0.30000000000000004"), "0.3");
  // Texts that are already canonical pass through; others go through a double.
  EXPECT_EQ(internal::FormatExcelNumberText("0"), "0");
  EXPECT_EQ(internal::FormatExcelNumberText("-0"), "0");
  EXPECT_EQ(internal::FormatExcelNumberText("-0.0"), "0");
  EXPECT_EQ(internal::FormatExcelNumberText("1.50"), "1.5");
  EXPECT_EQ(internal::FormatExcelNumberText("007"), "7");
  EXPECT_EQ(internal::FormatExcelNumberText("-12.75"), "-12.75");
  EXPECT_EQ(internal::FormatExcelNumberText("0.000001"), "0.000001");
  EXPECT_EQ(internal::FormatExcelNumberText("0.000000000000001234567890123456"), "0.00000000000000123456789012346");
  EXPECT_EQ(internal::FormatExcelNumberText("123456789012345"), "123456789012345");
  EXPECT_EQ(internal::FormatExcelNumberText("1234567890123456"), "1234567890123460");
  EXPECT_EQ(internal::FormatExcelNumberText("0.1234567890123456"), "0.123456789012346");
  EXPECT_EQ(internal::FormatExcelNumberText("12345678901234.56"), "12345678901234.6");
  EXPECT_EQ(internal::FormatExcelNumberText("1e2"), "100");
  EXPECT_EQ(internal::FormatExcelNumberText("12a"), std::nullopt);
  EXPECT_EQ(internal::FormatExcelNumberText("-"), std::nullopt);
  EXPECT_EQ(internal::FormatExcelNumberText(""), std::nullopt);
}

TEST(XlsxReaderTest, ReadsWorkbookWrittenByXlsxwriter) {
  TempDir dir;
  const std::string path = dir.Path("book.xlsx");
  WriteWorkbook(path, [](lxw_workbook* workbook) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, "First");
    worksheet_write_string(sheet, 0, 0, "name", nullptr);
    worksheet_write_string(sheet, 0, 1, "value", nullptr);
    worksheet_write_string(sheet, 0, 2, "flag", nullptr);
    worksheet_write_string(sheet, 0, 3, "code", nullptr);
    worksheet_write_string(sheet, 1, 0, "企业A", nullptr);
    worksheet_write_number(sheet, 1, 1, 1234.5, nullptr);
    worksheet_write_boolean(sheet, 1, 2, 1, nullptr);
    worksheet_write_string(sheet, 1, 3, "0101", nullptr);
    // Row 3: columns B and C skipped.
    worksheet_write_string(sheet, 2, 0, "x", nullptr);
    worksheet_write_string(sheet, 2, 3, "y", nullptr);
    // Row 4 missing altogether.
    worksheet_write_string(sheet, 4, 0, "企业A", nullptr);  // a shared string used twice
    worksheet_write_number(sheet, 4, 1, 0.1 + 0.2, nullptr);
    worksheet_write_boolean(sheet, 4, 2, 0, nullptr);
    worksheet_write_number(sheet, 4, 3, 12345678.9, nullptr);
    // Row 6: only a value beyond the header's last column.
    worksheet_write_string(sheet, 5, 5, "extra", nullptr);
    // Row 7: only the first column, so the rest is padded to the header's width.
    worksheet_write_string(sheet, 6, 0, "only", nullptr);
    // Row 8: formatted but empty: a blank row.
    lxw_format* bold = workbook_add_format(workbook);
    format_set_bold(bold);
    worksheet_write_blank(sheet, 7, 0, bold);
    worksheet_write_number(sheet, 8, 1, -7, nullptr);

    lxw_worksheet* second = workbook_add_worksheet(workbook, "Data 2");
    worksheet_write_string(second, 0, 0, "k", nullptr);
    worksheet_write_string(second, 0, 1, "v", nullptr);
    worksheet_write_string(second, 1, 0, "a", nullptr);
    worksheet_write_number(second, 1, 1, 1, nullptr);
  });

  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->encoding(), "xlsx");
  EXPECT_EQ(reader->header(), (Cells{"name", "value", "flag", "code"}));
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0].row_number, 2);
  EXPECT_EQ(rows[0].cells, (Cells{"企业A", "1234.5", "TRUE", "0101"}));
  EXPECT_EQ(rows[1].row_number, 3);
  EXPECT_EQ(rows[1].cells, (Cells{"x", "", "", "y"}));
  EXPECT_EQ(rows[2].row_number, 5);
  EXPECT_EQ(rows[2].cells, (Cells{"企业A", "0.3", "FALSE", "12345678.9"}));
  EXPECT_EQ(rows[3].row_number, 6);
  EXPECT_EQ(rows[3].cells, (Cells{"", "", "", "", "", "extra"}));
  EXPECT_EQ(rows[4].row_number, 7);
  EXPECT_EQ(rows[4].cells, (Cells{"only", "", "", ""}));
  EXPECT_EQ(rows[5].row_number, 9);
  EXPECT_EQ(rows[5].cells, (Cells{"", "-7", "", ""}));
  EXPECT_EQ(reader->bytes_done(), reader->bytes_total());
  EXPECT_GT(reader->bytes_total(), 0u);

  TableReadOptions options;
  options.sheet = "Data 2";
  auto second = OpenOrDie(path, options);
  ASSERT_NE(second, nullptr);
  EXPECT_EQ(second->header(), (Cells{"k", "v"}));
  const auto second_rows = ReadAll(*second);
  ASSERT_EQ(second_rows.size(), 1u);
  EXPECT_EQ(second_rows[0].cells, (Cells{"a", "1"}));

  options.sheet = "data 2";  // Excel's sheet names are case-insensitive
  auto again = OpenOrDie(path, options);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->header(), (Cells{"k", "v"}));

  options.sheet = "Nope";
  auto missing = TableReader::Open(path, options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(missing.status().message(),
            path + ": the workbook has no sheet named 'Nope'; its sheets are: 'First', 'Data 2'");
}

TEST(XlsxReaderTest, ReadsEveryCellTypeAndPathForm) {
  TempDir dir;
  const std::string path = dir.Path("hand.xlsx");
  WriteZip(path, HandMadeWorkbook());
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  // Row 1 has only a formatted empty cell, so row 2 is the header.
  EXPECT_EQ(reader->header(), (Cells{"name", "value", "kind"}));
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].row_number, 3);
  EXPECT_EQ(rows[0].cells, (Cells{"企业 有限公司", "12345000", "#DIV/0!"}));
  EXPECT_EQ(rows[1].row_number, 4);
  EXPECT_EQ(rows[1].cells, (Cells{"  ", "0.3", "2024-03-01T00:00:00"}));
  EXPECT_EQ(rows[2].row_number, 7);
  EXPECT_EQ(rows[2].cells, (Cells{"a\rb & c", "-0.5", "FALSE"}));
  EXPECT_EQ(rows[3].row_number, 8);
  EXPECT_EQ(rows[3].cells, (Cells{"", "100", "", "", "far"}));
  EXPECT_EQ(rows[4].row_number, 9);  // no r attributes: the next row, the next columns
  EXPECT_EQ(rows[4].cells, (Cells{"1234.5", "12345678.9", ""}));

  TableReadOptions options;
  options.sheet = "Other";
  auto other = OpenOrDie(path, options);
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->header(), (Cells{"k"}));
  const auto other_rows = ReadAll(*other);
  ASSERT_EQ(other_rows.size(), 1u);
  EXPECT_EQ(other_rows[0].cells, (Cells{"5"}));
}

TEST(XlsxReaderTest, StreamsLargeSheetsAcrossBlocks) {
  TempDir dir;
  const std::string path = dir.Path("big.xlsx");
  constexpr int kRows = 40000;
  WriteWorkbook(path, [](lxw_workbook* workbook) {
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, nullptr);
    worksheet_write_string(sheet, 0, 0, "id", nullptr);
    worksheet_write_string(sheet, 0, 1, "name", nullptr);
    worksheet_write_string(sheet, 0, 2, "amount", nullptr);
    for (int r = 1; r <= kRows; ++r) {
      const auto row = static_cast<lxw_row_t>(r + r / 1000);  // a gap every 1000 rows
      worksheet_write_number(sheet, row, 0, r, nullptr);
      worksheet_write_string(sheet, row, 1, ("企业名称第" + std::to_string(r) + "号").c_str(), nullptr);
      worksheet_write_number(sheet, row, 2, r + 0.25, nullptr);
    }
  });
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  TableRow row;
  int r = 0;
  uint64_t last_done = 0;
  bool progressed_midway = false;
  while (true) {
    auto got = reader->Next(row);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    if (!*got) break;
    ++r;
    ASSERT_EQ(row.row_number, r + r / 1000 + 1);
    ASSERT_EQ(row.cells,
              (Cells{std::to_string(r), "企业名称第" + std::to_string(r) + "号", std::to_string(r) + ".25"}));
    EXPECT_GE(reader->bytes_done(), last_done);
    last_done = reader->bytes_done();
    progressed_midway = progressed_midway || (last_done > 0 && last_done < reader->bytes_total() && r < kRows / 2);
  }
  EXPECT_EQ(r, kRows);
  EXPECT_TRUE(progressed_midway);
  EXPECT_EQ(reader->bytes_done(), reader->bytes_total());
}

// The sheet is inflated in 1 MiB blocks; the <sheetData> tag must be found even when a block
// boundary cuts through it.
TEST(XlsxReaderTest, FindsSheetDataAcrossBlockBoundaries) {
  TempDir dir;
  const std::string path = dir.Path("boundary.xlsx");
  constexpr size_t kBlock = size_t{1} << 20;
  const std::string head = R"(<worksheet><sheetPr codeName=")";
  const std::string tail =
      R"("/><x:sheetData xmlns:x="urn:x" a="a>b" pad=")" + std::string(100, 'p') +
      R"("><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>h</x:t></x:is></x:c></x:row><x:row r="2"><x:c r="A2"><x:v>42</x:v></x:c></x:row></x:sheetData></worksheet>)";
  for (size_t cut = 0; cut < 160; cut += 7) {
    auto files = HandMadeWorkbook();
    const size_t filler = kBlock - head.size() - 3 - cut;  // "/>< is 3 bytes
    files["xl/worksheets/sheet1.xml"] = head + std::string(filler, 'f') + tail;
    WriteZip(path, files);
    auto reader = OpenOrDie(path);
    ASSERT_NE(reader, nullptr) << cut;
    EXPECT_EQ(reader->header(), (Cells{"h"})) << cut;
    const auto rows = ReadAll(*reader);
    ASSERT_EQ(rows.size(), 1u) << cut;
    EXPECT_EQ(rows[0].cells, (Cells{"42"})) << cut;
  }
}

TEST(XlsxReaderTest, RefusesBrokenArchives) {
  TempDir dir;
  const std::string not_xlsx = dir.Path("notes.xlsx");
  WriteZip(not_xlsx, {{"hello.txt", "hi"}});
  auto opened = TableReader::Open(not_xlsx);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(opened.status().message().find(not_xlsx + ": is a zip archive but not an .xlsx"), std::string::npos)
      << opened.status().message();

  const std::string damaged = dir.Write("damaged.xlsx", std::string("PK\x03\x04garbage", 11));
  opened = TableReader::Open(damaged);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(opened.status().message().find(damaged), std::string::npos);

  const std::string empty = dir.Path("empty.xlsx");
  WriteWorkbook(empty, [](lxw_workbook* workbook) { workbook_add_worksheet(workbook, "Blank"); });
  opened = TableReader::Open(empty);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(opened.status().message(), empty + ": sheet 'Blank' has no header row (it is empty)");

  auto files = HandMadeWorkbook();
  files["xl/worksheets/sheet1.xml"] =
      R"(<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>9</v></c></row></sheetData></worksheet>)";
  const std::string bad_index = dir.Path("bad_index.xlsx");
  WriteZip(bad_index, files);
  opened = TableReader::Open(bad_index);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(opened.status().message().find(bad_index + ": sheet '数据': row 1: cell A1"), std::string::npos)
      << opened.status().message();

  files["xl/worksheets/sheet1.xml"] =
      R"(<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>1</v></row></sheetData></worksheet>)";
  const std::string malformed = dir.Path("malformed.xlsx");
  WriteZip(malformed, files);
  opened = TableReader::Open(malformed);  // the header's batch holds the broken row too
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(opened.status().message().find(malformed + ": sheet '数据': not well-formed XML"), std::string::npos)
      << opened.status().message();
}

}  // namespace
}  // namespace clusterscope::io
