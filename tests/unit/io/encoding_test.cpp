#include <gtest/gtest.h>

#include <string>

#include "io/csv_writer.h"
#include "io/table_reader.h"

namespace clusterscope::io {
namespace {

TEST(EncodingTest, ValidatesUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ascii, long enough for the fast path: 0123456789"));
  EXPECT_TRUE(IsValidUtf8("企业 é \xF0\x9F\x98\x80 \xF4\x8F\xBF\xBF"));
  EXPECT_FALSE(IsValidUtf8("\xC6\xF3\xD2\xB5"));  // GBK 企业
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xE4\xB8"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // stray continuation
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("0123456789abcdef0123456789abcdef0123\xB5z"));  // after the fast path
  EXPECT_FALSE(
      IsValidUtf8("0123456789abcdef0123456789abcdef\xE4\xB8"
                  "a"));
}

TEST(EncodingTest, Gb18030RoundTrip) {
  auto encoded = Utf8ToGb18030("企业");
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(*encoded, "\xC6\xF3\xD2\xB5");
  const std::string text = "ascii 企业 北京市 € 𠀀 é\r\n";
  auto gb = Utf8ToGb18030(text);
  ASSERT_TRUE(gb.ok());
  auto back = Gb18030ToUtf8(*gb);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, text);
  auto literal = Gb18030ToUtf8("\xC6\xF3\xD2\xB5 ok");
  ASSERT_TRUE(literal.ok());
  EXPECT_EQ(*literal, "企业 ok");
}

TEST(EncodingTest, Gb18030ConversionScalesPastOneBuffer) {
  std::string text;
  for (int i = 0; i < 100000; ++i) text += "企业𠀀a";  // surrogate pairs land on buffer edges
  auto gb = Utf8ToGb18030(text);
  ASSERT_TRUE(gb.ok());
  auto back = Gb18030ToUtf8(*gb);
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(*back == text);
}

TEST(EncodingTest, ReportsOffsetOfUndecodableBytes) {
  auto bad = Gb18030ToUtf8(
      "ab\xC6\xF3\xFF"
      "cd");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(bad.status().message().find("byte offset 4"), std::string::npos) << bad.status().message();

  auto truncated = Gb18030ToUtf8("ab\xC6");
  ASSERT_FALSE(truncated.ok());
  EXPECT_NE(truncated.status().message().find("byte offset 2"), std::string::npos) << truncated.status().message();

  auto not_utf8 = Utf8ToGb18030("abc\xC6\xF3");
  ASSERT_FALSE(not_utf8.ok());
  EXPECT_EQ(not_utf8.status().code(), StatusCode::kInvalidInput);
  EXPECT_NE(not_utf8.status().message().find("byte offset 3"), std::string::npos);
}

TEST(CsvWriterTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(CsvCell(""), "");
  EXPECT_EQ(CsvCell("plain 企业"), "plain 企业");
  EXPECT_EQ(CsvCell("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvCell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvCell("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(CsvCell("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(CsvCell(" lead"), "\" lead\"");
  EXPECT_EQ(CsvCell("trail "), "\"trail \"");
  EXPECT_EQ(CsvCell("in side"), "in side");
  EXPECT_EQ(CsvCell("0101"), "0101");
}

TEST(CsvWriterTest, JoinsALine) {
  EXPECT_EQ(CsvLine({"a", "b,c", "", "d\"e"}), "a,\"b,c\",,\"d\"\"e\"\n");
  EXPECT_EQ(CsvLine({}), "\n");
  EXPECT_EQ(CsvLine({"x"}), "x\n");
}

}  // namespace
}  // namespace clusterscope::io
