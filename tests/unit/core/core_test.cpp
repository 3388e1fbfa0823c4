#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "clusterscope/status.h"
#include "clusterscope/years.h"
#include "core/number.h"
#include "core/sha256.h"
#include "core/text.h"
#include "core/uscc.h"

namespace clusterscope {
namespace {

// ---- credit code, rules.md §1 ----
TEST(Uscc, ValidSampleCodesPass) {
  for (const char* code : {"914403001922038216", "91330100799655058B", "91110108551385082Q"}) {
    EXPECT_EQ(uscc::Check(code).problem, uscc::Problem::kNone) << code;
  }
}

TEST(Uscc, WrongCheckCharacterNamesTheRightOne) {
  auto v = uscc::Check("914403001922038217");
  EXPECT_EQ(v.problem, uscc::Problem::kCheck);
  EXPECT_EQ(v.expected_check, '6');
}

TEST(Uscc, TrimsAndUpperCases) {
  auto v = uscc::Check("  91330100799655058b ");
  EXPECT_EQ(v.problem, uscc::Problem::kNone);
  EXPECT_EQ(v.code, "91330100799655058B");
}

TEST(Uscc, FullWidthCharactersAreFolded) {
  auto v = uscc::Check("９１４４０３００１９２２０３８２１６");
  EXPECT_EQ(v.problem, uscc::Problem::kNone);
  EXPECT_EQ(v.code, "914403001922038216");
}

TEST(Uscc, LengthAndAlphabet) {
  EXPECT_EQ(uscc::Check("91440300192203821").problem, uscc::Problem::kLength);
  EXPECT_EQ(uscc::Check("9144030019220382166").problem, uscc::Problem::kLength);
  auto v = uscc::Check("9144030019220I8216");  // I is not in the alphabet
  EXPECT_EQ(v.problem, uscc::Problem::kCharacter);
  EXPECT_EQ(v.bad_position, 14);
  for (char bad : {'I', 'O', 'S', 'V', 'Z'}) {
    std::string code = "914403001922038216";
    code[10] = bad;
    EXPECT_EQ(uscc::Check(code).problem, uscc::Problem::kCharacter) << bad;
  }
}

TEST(Uscc, CheckCharacterWrapsThirtyOneToZero) {
  // A prefix whose weighted sum is ≡ 0 (mod 31) gives 31 − 0 = 31, which maps to '0'.
  int zeros = 0;
  for (char a : uscc::kAlphabet) {
    for (char b : uscc::kAlphabet) {
      std::string prefix = std::string("916301000000000") + a + b;
      auto check = uscc::CheckCharacter(prefix);
      ASSERT_TRUE(check.has_value());
      EXPECT_EQ(uscc::Check(prefix + *check).problem, uscc::Problem::kNone) << prefix;
      if (*check == '0') ++zeros;
    }
  }
  EXPECT_GT(zeros, 0);
  EXPECT_FALSE(uscc::CheckCharacter("12345").has_value());
  EXPECT_FALSE(uscc::CheckCharacter("9163010000000000I").has_value());
}

// ---- exact numbers ----
TEST(Number, ParsesTheFormsSpreadsheetsWrite) {
  auto d = number::ParseDecimal(" 1,234.5 ");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->int_digits, "1234");
  EXPECT_EQ(d->frac_digits, "5");
  EXPECT_TRUE(number::ParseDecimal("１２３"));
  EXPECT_EQ(number::ParseDecimal("１２３")->int_digits, "123");
  EXPECT_TRUE(number::ParseDecimal("-0.5")->negative);
  EXPECT_TRUE(number::ParseDecimal(".5"));
  EXPECT_TRUE(number::ParseDecimal("12,345,678"));
}

TEST(Number, RefusesEverythingElse) {
  for (const char* bad :
       {"", " ", "abc", "12a", "1.2.3", "1e5", "12%", "1,23", "12,3456", ",123", "--1", "1 000", "十"}) {
    EXPECT_FALSE(number::ParseDecimal(bad)) << bad;
  }
}

TEST(Number, ScalesExactly) {
  // 0.1 千元 = 100 yuan = 10000 fen: no binary floating point anywhere.
  EXPECT_EQ(number::ToScaledInteger(*number::ParseDecimal("0.1"), 5).value, 10000);
  EXPECT_EQ(number::ToScaledInteger(*number::ParseDecimal("1234.56789"), 5).value, 123456789);
  EXPECT_EQ(number::ToScaledInteger(*number::ParseDecimal("12.50"), 1).value, 125);
  EXPECT_EQ(number::ToScaledInteger(*number::ParseDecimal("1.234"), 2).error, number::ScaleError::kTooPrecise);
  EXPECT_EQ(number::ToScaledInteger(*number::ParseDecimal("99999999999999999999"), 0).error,
            number::ScaleError::kOverflow);
  EXPECT_EQ(number::ToScaledInteger(*number::ParseDecimal("-9223372036854775808"), 0).value, INT64_MIN);
  EXPECT_EQ(number::ToScaledInteger(*number::ParseDecimal("9223372036854775808"), 0).error,
            number::ScaleError::kOverflow);
}

TEST(Number, FormatsScaled) {
  EXPECT_EQ(number::FormatScaled(1234500, 2), "12345");
  EXPECT_EQ(number::FormatScaled(-5, 2), "-0.05");
  EXPECT_EQ(number::FormatScaled(123456789, 2), "1234567.89");
  EXPECT_EQ(number::FormatScaled(0, 2), "0");
}

// ---- names ----
TEST(Text, TraditionalAndSimplifiedNamesMeet) {
  EXPECT_EQ(text::NormaliseName("青海鹽湖工業股份有限公司"), "青海盐湖工业股份有限公司");
  EXPECT_EQ(text::NormaliseName("青海盐湖工业股份有限公司"), "青海盐湖工业股份有限公司");
}

TEST(Text, WidthBracketsAndSpaces) {
  EXPECT_EQ(text::NormaliseName("西宁佳源化学制药（青海）有限公司"), "西宁佳源化学制药(青海)有限公司");
  EXPECT_EQ(text::NormaliseName("【青海】 康普 生物"), "(青海)康普生物");
  EXPECT_EQ(text::NormaliseName("青海　康普生物科技股份有限公司 "), "青海康普生物科技股份有限公司");
  EXPECT_EQ(text::NormaliseName("ＡＢＣ  Technology   Co."), "ABC Technology Co.");
  std::string once = text::NormaliseName("青海鹽湖 （集團） 有限公司");
  EXPECT_EQ(text::NormaliseName(once), once);  // idempotent
}

TEST(Text, HeaderMatchingForm) {
  EXPECT_EQ(text::NormaliseHeader(" Revenue （万元）"), "revenue(万元)");
  EXPECT_EQ(text::NormaliseHeader("营业收入【千元】"), "营业收入(千元)");
}

TEST(Text, TrimKnowsTheIdeographicSpace) { EXPECT_EQ(text::Trim("\xE3\x80\x80 abc \xE3\x80\x80"), "abc"); }

// ---- status ----
TEST(Status, ExitCodesFollowCliMd) {
  EXPECT_EQ(ExitCodeFor(Status::Ok()), 0);
  EXPECT_EQ(ExitCodeFor(Status::InvalidInput("x")), 1);
  EXPECT_EQ(ExitCodeFor(Status::NotFound("x")), 1);
  EXPECT_EQ(ExitCodeFor(Status::Usage("x")), 2);
  EXPECT_EQ(ExitCodeFor(Status::Environment("x")), 3);
}

TEST(Status, StableIdsAndHttpStatuses) {
  EXPECT_EQ(Status::Ok().id(), "");
  EXPECT_EQ(Status::NotFound("x").id(), "not_found");
  EXPECT_EQ(Status::Usage("x").id(), "usage");
  const Status s = Status::Usage("--year: …").WithId("year.range");
  EXPECT_EQ(s.id(), "year.range");
  EXPECT_EQ(s.WithContext("indicators").id(), "year.range") << "context keeps the id";
  EXPECT_EQ(s.WithContext("indicators").message(), "indicators: --year: …");
  EXPECT_EQ(Status::Ok().WithId("x").id(), "") << "OK has no id";
  EXPECT_EQ(CheckYear(2147483647, "--year").id(), "year.range");
  EXPECT_EQ(HttpStatusFor(Status::Ok()), 200);
  EXPECT_EQ(HttpStatusFor(Status::InvalidInput("x")), 400);
  EXPECT_EQ(HttpStatusFor(Status::Usage("x")), 400);
  EXPECT_EQ(HttpStatusFor(Status::NotFound("x")), 404);
  EXPECT_EQ(HttpStatusFor(Status::Conflict("x")), 409);
  EXPECT_EQ(HttpStatusFor(Status::Environment("x")), 503);
  EXPECT_EQ(HttpStatusFor(Status::Internal("x")), 500);
}

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256::Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256::Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256::Hex(std::string(1000, 'a')), "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

// A digest built in pieces of every size up to 200 bytes equals the digest of the whole, and the
// file's equals the text's (the import log's digest of a file, copy's of a table).
TEST(Sha256, InPiecesAndFromAFileAsWhole) {
  std::string text;
  for (int i = 0; i < 5000; ++i) text += static_cast<char>('a' + (i * 7919) % 26);
  const std::string whole = sha256::Hex(text);
  for (size_t piece : {size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{200}}) {
    sha256::Stream s;
    for (size_t at = 0; at < text.size(); at += piece) s.Update(std::string_view(text).substr(at, piece));
    EXPECT_EQ(s.Finish(), whole) << piece;
  }
  const auto path = std::filesystem::temp_directory_path() / "cs_sha256_test.txt";
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  auto file = sha256::FileHex(path.string());
  std::filesystem::remove(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(*file, whole);
  EXPECT_FALSE(sha256::FileHex((path.string() + ".missing")).ok());
}

}  // namespace
}  // namespace clusterscope
