#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "io/csv_writer.h"
#include "io/table_reader.h"
#include "unit/io/io_test_util.h"

namespace clusterscope::io {
namespace {

using testing::Cells;
using testing::OpenOrDie;
using testing::ReadAll;
using testing::TempDir;

TEST(CsvReaderTest, ReadsUtf8) {
  TempDir dir;
  const std::string path = dir.Write("t.csv", "名称,city\n企业A,北京\n企业B,上海\n");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->encoding(), "utf-8");
  EXPECT_EQ(reader->header(), (Cells{"名称", "city"}));
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].row_number, 2);
  EXPECT_EQ(rows[0].cells, (Cells{"企业A", "北京"}));
  EXPECT_EQ(rows[1].row_number, 3);
  EXPECT_EQ(rows[1].cells, (Cells{"企业B", "上海"}));
  TableRow row;
  auto again = reader->Next(row);  // stays at the end
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

TEST(CsvReaderTest, StripsUtf8ByteOrderMark) {
  TempDir dir;
  const std::string path = dir.Write("t.csv", "\xEF\xBB\xBFid,名称\r\n1,企业\r\n");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->encoding(), "utf-8-bom");
  EXPECT_EQ(reader->header(), (Cells{"id", "名称"}));
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"1", "企业"}));
}

TEST(CsvReaderTest, DecodesGbkLiteralBytes) {
  TempDir dir;
  // "企业,名称\r\n" and "北京,x\r\n" as GBK bytes, the way Excel on Chinese Windows saves them.
  const std::string path = dir.Write("t.csv", "\xC6\xF3\xD2\xB5,\xC3\xFB\xB3\xC6\r\n\xB1\xB1\xBE\xA9,x\r\n");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->encoding(), "gb18030");
  EXPECT_EQ(reader->header(), (Cells{"企业", "名称"}));
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].row_number, 2);
  EXPECT_EQ(rows[0].cells, (Cells{"北京", "x"}));
  EXPECT_EQ(reader->bytes_done(), reader->bytes_total());
}

TEST(CsvReaderTest, DecodesGb18030FromConverter) {
  TempDir dir;
  // 𠀀 (U+20000) and € need GB18030's four-byte forms, beyond GBK.
  const std::string utf8 = "名称,备注\n\"企业,有限公司\",𠀀€\n贵州茅台,\"多\n行\"\n";
  auto encoded = Utf8ToGb18030(utf8);
  ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
  ASSERT_FALSE(IsValidUtf8(*encoded));
  const std::string path = dir.Write("t.csv", *encoded);
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->encoding(), "gb18030");
  EXPECT_EQ(reader->header(), (Cells{"名称", "备注"}));
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells, (Cells{"企业,有限公司", "𠀀€"}));
  EXPECT_EQ(rows[1].row_number, 3);
  EXPECT_EQ(rows[1].cells, (Cells{"贵州茅台", "多\n行"}));
}

TEST(CsvReaderTest, StripsGb18030ByteOrderMark) {
  TempDir dir;
  const std::string path = dir.Write("t.csv", "\x84\x31\x95\x33\xC6\xF3\xD2\xB5,b\n1,2\n");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->encoding(), "gb18030");
  EXPECT_EQ(reader->header(), (Cells{"企业", "b"}));
}

TEST(CsvReaderTest, QuotedCellsAndRowNumbers) {
  TempDir dir;
  const std::string path = dir.Write("t.csv",
                                     "a,b,c\n"
                                     "\"x,1\",\"he said \"\"hi\"\"\",\"line1\nline2\n\"\n"
                                     "4,5,6\n"
                                     "\"\",\"\"\"\",\"a\r\nb\"\n"
                                     "7,8,9\n");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].row_number, 2);
  EXPECT_EQ(rows[0].cells, (Cells{"x,1", "he said \"hi\"", "line1\nline2\n"}));
  EXPECT_EQ(rows[1].row_number, 3);  // one row, although it took three lines above
  EXPECT_EQ(rows[1].cells, (Cells{"4", "5", "6"}));
  EXPECT_EQ(rows[2].row_number, 4);
  EXPECT_EQ(rows[2].cells, (Cells{"", "\"", "a\r\nb"}));
  EXPECT_EQ(rows[3].row_number, 5);
  EXPECT_EQ(rows[3].cells, (Cells{"7", "8", "9"}));
}

TEST(CsvReaderTest, LenientAboutStrayQuotes) {
  TempDir dir;
  const std::string path = dir.Write("t.csv", "a,b\n5\"x,\"ab\"cd\n");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].cells, (Cells{"5\"x", "abcd"}));
}

TEST(CsvReaderTest, CrlfAndNoFinalNewline) {
  TempDir dir;
  const std::string path = dir.Write("t.csv", "a,b\r\n1,2\r\n3,4");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->header(), (Cells{"a", "b"}));
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].cells, (Cells{"1", "2"}));
  EXPECT_EQ(rows[1].row_number, 3);
  EXPECT_EQ(rows[1].cells, (Cells{"3", "4"}));
}

TEST(CsvReaderTest, BareCarriageReturnEndsARow) {
  TempDir dir;
  const std::string path = dir.Write("t.csv", "a,b\r1,2\r");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].row_number, 2);
  EXPECT_EQ(rows[0].cells, (Cells{"1", "2"}));
}

TEST(CsvReaderTest, BlankRowsAreSkippedButCounted) {
  TempDir dir;
  const std::string path = dir.Write("t.csv",
                                     "a,b\n"        // 1
                                     "\n"           // 2
                                     "1,2\n"        // 3
                                     ",\n"          // 4
                                     "\r\n"         // 5
                                     "\"\",\"\"\n"  // 6
                                     "3,\n"         // 7
                                     ",,,\n");      // 8
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  const auto rows = ReadAll(*reader);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].row_number, 3);
  EXPECT_EQ(rows[0].cells, (Cells{"1", "2"}));
  EXPECT_EQ(rows[1].row_number, 7);
  EXPECT_EQ(rows[1].cells, (Cells{"3", ""}));
}

TEST(CsvReaderTest, RowsKeepTheirOwnWidthWhenTheBufferIsReused) {
  TempDir dir;
  const std::string path = dir.Write("t.csv", "a,b,c\n1,2,3,4\n5\nlonger text here,x,\n");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  TableRow row;
  ASSERT_TRUE(*reader->Next(row));
  EXPECT_EQ(row.cells, (Cells{"1", "2", "3", "4"}));
  ASSERT_TRUE(*reader->Next(row));
  EXPECT_EQ(row.cells, (Cells{"5"}));
  ASSERT_TRUE(*reader->Next(row));
  EXPECT_EQ(row.cells, (Cells{"longer text here", "x", ""}));
  EXPECT_EQ(row.row_number, 4);
  ASSERT_FALSE(*reader->Next(row));
}

TEST(CsvReaderTest, UnterminatedQuoteIsRefused) {
  TempDir dir;
  const std::string path = dir.Write("bad.csv", "a,b\n1,2\n\n\"x,3\n4,5\n");
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  TableRow row;
  auto first = reader->Next(row);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(*first);
  auto second = reader->Next(row);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(second.status().message(),
            path + ": row 4: the quote opened in row 4 (line 4 of the file) is never closed");
  auto third = reader->Next(row);  // the failure sticks
  EXPECT_FALSE(third.ok());
}

TEST(CsvReaderTest, UnterminatedQuoteInHeaderIsRefused) {
  TempDir dir;
  const std::string path = dir.Write("bad.csv", "a,\"b\n1,2\n");
  auto opened = TableReader::Open(path);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(opened.status().message(),
            path + ": row 1: the quote opened in row 1 (line 1 of the file) is never closed");
}

TEST(CsvReaderTest, MissingFileIsAnEnvironmentError) {
  TempDir dir;
  const std::string path = dir.Path("does_not_exist.csv");
  auto opened = TableReader::Open(path);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kEnvironment);
  EXPECT_NE(opened.status().message().find(path), std::string::npos);
}

TEST(CsvReaderTest, DirectoryIsAnEnvironmentError) {
  TempDir dir;
  auto opened = TableReader::Open(dir.path().string());
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kEnvironment);
  EXPECT_NE(opened.status().message().find(dir.path().string()), std::string::npos);
}

TEST(CsvReaderTest, EmptyFileHasNoHeader) {
  TempDir dir;
  for (const std::string_view content :
       {std::string_view(""), std::string_view("\n\r\n,,\n"), std::string_view("\xEF\xBB\xBF")}) {
    const std::string path = dir.Write("empty.csv", content);
    auto opened = TableReader::Open(path);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
    EXPECT_NE(opened.status().message().find(path + ": no header row"), std::string::npos) << opened.status().message();
  }
}

TEST(CsvReaderTest, UndecodableBytesAreRefusedWithOffset) {
  TempDir dir;
  // Neither UTF-8 nor GB18030: 0xFF is never valid in either.
  const std::string path = dir.Write("bad.csv", "a,b\n\xC6\xF3,\xFF\n");
  auto opened = TableReader::Open(path);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
  const std::string message = opened.status().message();
  EXPECT_NE(message.find(path + ": byte offset 7"), std::string::npos) << message;
}

TEST(CsvReaderTest, InvalidUtf8AfterByteOrderMarkIsRefused) {
  TempDir dir;
  const std::string path = dir.Write("bad.csv",
                                     "\xEF\xBB\xBF"
                                     "a,b\n\xC6\xF3,1\n");
  auto opened = TableReader::Open(path);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(opened.status().message().find(path + ": byte offset 7: invalid UTF-8"), std::string::npos)
      << opened.status().message();
}

TEST(CsvReaderTest, RefusesLegacyXlsAndUtf16) {
  TempDir dir;
  const std::string xls = dir.Write("old.xls", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12));
  auto opened = TableReader::Open(xls);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(opened.status().message().find(xls), std::string::npos);

  const std::string utf16 = dir.Write("u.txt", std::string("\xFF\xFE"
                                                           "a\0,\0b\0",
                                                           8));
  opened = TableReader::Open(utf16);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(opened.status().message().find("UTF-16"), std::string::npos);
}

TEST(CsvReaderTest, ProgressReachesTotal) {
  TempDir dir;
  std::string content = "a,b\n";
  for (int i = 0; i < 100; ++i) content += std::to_string(i) + ",企业\n";
  const std::string path = dir.Write("t.csv", content);
  auto reader = OpenOrDie(path);
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->bytes_total(), content.size());
  EXPECT_GT(reader->bytes_done(), 0u);
  TableRow row;
  ASSERT_TRUE(*reader->Next(row));
  const uint64_t early = reader->bytes_done();
  EXPECT_LT(early, reader->bytes_total());
  while (*reader->Next(row)) {
  }
  EXPECT_GT(reader->bytes_done(), early);
  EXPECT_EQ(reader->bytes_done(), reader->bytes_total());
}

// Random tables written with CsvLine must read back cell for cell: exercises the word-at-a-time
// scanning at every alignment, and the writer's quoting.
TEST(CsvReaderTest, RoundTripsRandomTables) {
  TempDir dir;
  std::mt19937 random(20240611);
  const std::vector<std::string> pieces = {"a",   "1", "企业",         ",", "\"", "\n", "\r\n", " ", "xyz0123456789",
                                           "0.5", "-", "北京市朝阳区", "\t"};
  for (int round = 0; round < 20; ++round) {
    std::vector<Cells> table;
    std::string content;
    const size_t width = 1 + random() % 8;
    for (int r = 0; r < 50; ++r) {
      Cells cells;
      for (size_t c = 0; c < width; ++c) {
        std::string cell;
        const size_t length = r == 0 ? 1 + random() % 3 : random() % 6;
        for (size_t k = 0; k < length; ++k) cell += pieces[random() % pieces.size()];
        if (r == 0 && cell.find_first_not_of(" \t") == std::string::npos) cell.assign(1, 'h');
        // A line inside a cell holding a whole row's worth of commas is what csv.quote refuses
        // as rows merged by a stray quote (CsvQuote tests); keep such cells out of this table.
        const size_t newline = cell.find('\n');
        if (width >= 3 && newline != std::string::npos &&
            static_cast<size_t>(std::count(cell.begin() + static_cast<std::ptrdiff_t>(newline), cell.end(), ',')) >=
                width - 1) {
          cell.erase(std::remove(cell.begin(), cell.end(), ','), cell.end());
        }
        cells.push_back(cell);
      }
      content += CsvLine(cells);
      table.push_back(cells);
    }
    const std::string path = dir.Write("r.csv", content);
    auto reader = OpenOrDie(path);
    ASSERT_NE(reader, nullptr);
    EXPECT_EQ(reader->header(), table[0]);
    TableRow row;
    int64_t expected_row = 2;
    for (size_t r = 1; r < table.size(); ++r, ++expected_row) {
      bool all_empty = true;
      for (const auto& cell : table[r]) all_empty = all_empty && cell.empty();
      if (all_empty) continue;
      auto got = reader->Next(row);
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      ASSERT_TRUE(*got);
      EXPECT_EQ(row.row_number, expected_row);
      EXPECT_EQ(row.cells, table[r]) << "round " << round << " row " << r;
    }
    auto end = reader->Next(row);
    ASSERT_TRUE(end.ok());
    EXPECT_FALSE(*end);
  }
}

}  // namespace
}  // namespace clusterscope::io
