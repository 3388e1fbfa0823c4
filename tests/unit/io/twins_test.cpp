// Runs the cs_twins tool on a small CSV and reads all three files back.
#include <gtest/gtest.h>
#include <zip.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "io/table_reader.h"
#include "unit/io/io_test_util.h"

namespace clusterscope::io {
namespace {

using testing::Cells;
using testing::OpenOrDie;
using testing::ReadAll;
using testing::ReadBytes;
using testing::TempDir;

// The sheet XML of the first (only) worksheet libxlsxwriter wrote.
std::string SheetXml(const std::string& path) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
  if (archive == nullptr) return "";
  std::string xml;
  if (zip_file_t* file = zip_fopen(archive, "xl/worksheets/sheet1.xml", 0)) {
    char block[4096];
    zip_int64_t got = 0;
    while ((got = zip_fread(file, block, sizeof block)) > 0) {
      xml.append(block, static_cast<size_t>(got));
    }
    zip_fclose(file);
  }
  zip_discard(archive);
  return xml;
}

TEST(TwinsTest, TwinsReadBackIdentically) {
  TempDir dir;
  const std::string source = dir.Write("firms.csv",
                                       "uscc,名称,行政区划代码,industry_code,employees,revenue,note,zone_id\n"
                                       "91110000100000000X,企业A,110101,0101,120,1234.5,\"含逗号,和\"\"引号\"\"\",001\n"
                                       "\n"
                                       "91520000214000001Q,贵州茅台,520382,1512,0,0.30,\"多\n行\",12\n"
                                       "91330000000000000A,\" 空格 \",330100,C27,007,-12.75,12345678901234567,3\n"
                                       ",,,,,,,\n"
                                       "91440300000000000B,深圳公司,440300,,-0,1e5,100,\n");
  const std::string gb_dir = dir.Path("gb");
  const std::string xlsx_dir = dir.Path("xlsx");
  const std::string command =
      std::string(CS_TWINS_EXE) + " --out-gb18030 '" + gb_dir + "' --out-xlsx '" + xlsx_dir + "' '" + source + "'";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;

  const std::string gb_path = gb_dir + "/firms.csv";
  const std::string xlsx_path = xlsx_dir + "/firms.xlsx";
  const std::string gb_bytes = ReadBytes(gb_path);
  EXPECT_NE(gb_bytes.find("\xC6\xF3\xD2\xB5"), std::string::npos);  // 企业 in GBK
  EXPECT_NE(gb_bytes.find("\r\n\r\n"), std::string::npos);          // the blank row is kept
  EXPECT_EQ(gb_bytes.find("\n,"), std::string::npos);               // every line ends in CRLF

  auto original = OpenOrDie(source);
  auto gb = OpenOrDie(gb_path);
  TableReadOptions options;
  options.sheet = "firms";
  auto xlsx = OpenOrDie(xlsx_path, options);
  ASSERT_NE(original, nullptr);
  ASSERT_NE(gb, nullptr);
  ASSERT_NE(xlsx, nullptr);
  EXPECT_EQ(original->encoding(), "utf-8");
  EXPECT_EQ(gb->encoding(), "gb18030");
  EXPECT_EQ(xlsx->encoding(), "xlsx");
  EXPECT_EQ(gb->header(), original->header());
  EXPECT_EQ(xlsx->header(), original->header());
  const auto original_rows = ReadAll(*original);
  const auto gb_rows = ReadAll(*gb);
  const auto xlsx_rows = ReadAll(*xlsx);
  ASSERT_EQ(original_rows.size(), 4u);
  ASSERT_EQ(gb_rows.size(), original_rows.size());
  ASSERT_EQ(xlsx_rows.size(), original_rows.size());
  for (size_t i = 0; i < original_rows.size(); ++i) {
    EXPECT_EQ(gb_rows[i].row_number, original_rows[i].row_number) << i;
    EXPECT_EQ(gb_rows[i].cells, original_rows[i].cells) << i;
    EXPECT_EQ(xlsx_rows[i].row_number, original_rows[i].row_number) << i;
    EXPECT_EQ(xlsx_rows[i].cells, original_rows[i].cells) << i;
  }
  EXPECT_EQ(original_rows[1].row_number, 4);

  // Plain numbers are stored as numbers, codes and anything that would not read back the same
  // as text.
  const std::string xml = SheetXml(xlsx_path);
  EXPECT_NE(xml.find("<c r=\"E2\"><v>120</v></c>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<c r=\"F2\"><v>1234.5</v></c>"), std::string::npos) << xml;
  EXPECT_NE(xml.find("<c r=\"C2\" t=\"s\">"), std::string::npos) << xml;  // region code
  EXPECT_NE(xml.find("<c r=\"H4\" t=\"s\">"), std::string::npos) << xml;  // zone_id 12
  EXPECT_NE(xml.find("<c r=\"F4\" t=\"s\">"), std::string::npos) << xml;  // 0.30
  EXPECT_NE(xml.find("<c r=\"E5\" t=\"s\">"), std::string::npos) << xml;  // 007
  EXPECT_NE(xml.find("<c r=\"G5\" t=\"s\">"), std::string::npos) << xml;  // 17 digits
  EXPECT_NE(xml.find("<c r=\"F5\"><v>-12.75</v></c>"), std::string::npos) << xml;
}

TEST(TwinsTest, RejectsBadUsage) {
  const std::string command = std::string(CS_TWINS_EXE) + " --bogus >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_NE(status, 0);
}

}  // namespace
}  // namespace clusterscope::io
