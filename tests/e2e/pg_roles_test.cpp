// docs/storage.md's roles for a PostgreSQL deployment, as a user would set them up: an application
// role that owns the clusterscope tables and a read-only role (R, BI) given SELECT by default
// privileges. The application initialises and imports; the reader lists, computes indicators and
// reads the tables in SQL; its import is refused naming the database and db.permission.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/format.h>

#include "e2e/cli_runner.h"
#include "support/pg_schema.h"

namespace clusterscope {
namespace {

using testing::RunCli;

std::string Quote(const std::string& s) { return fmt::format("'{}'", s); }

TEST(PostgresRoles, AppRoleWritesReadRoleReadsOnly) {
  auto schema = testing::PgSchema::Create();
  if (!schema) {
    if (!HasFailure()) GTEST_SKIP() << testing::kNoPostgres;
    return;
  }
  const std::string app = fmt::format("cs_app_{}", getpid());
  const std::string reader = fmt::format("cs_read_{}", getpid());
  const std::string s = schema->name();
  ASSERT_TRUE(schema->Run(
      fmt::format("DROP ROLE IF EXISTS {0}; DROP ROLE IF EXISTS {1}; CREATE ROLE {0} LOGIN; CREATE ROLE {1} LOGIN; "
                  "ALTER SCHEMA {2} OWNER TO {0}; GRANT USAGE ON SCHEMA {2} TO {1}; "
                  "ALTER DEFAULT PRIVILEGES FOR ROLE {0} IN SCHEMA {2} GRANT SELECT ON TABLES TO {1}",
                  app, reader, s)));
  // The schema's URL with another user: libpq takes the last user= given.
  const std::string as_app = Quote(fmt::format("{}&user={}", schema->url(), app));
  const std::string as_reader = Quote(fmt::format("{}&user={}", schema->url(), reader));
  const std::string ex = std::string(CS_SOURCE_DIR) + "/examples/";

  auto init = RunCli(fmt::format("--db {} init", as_app));
  ASSERT_EQ(init.exit_code, 0) << init.err;
  auto imp =
      RunCli(fmt::format("--db {0} import zones {1}zones.csv clusters {1}clusters.csv firms {1}firms.csv "
                         "members {1}members.csv reports {1}reports.csv",
                         as_app, ex));
  ASSERT_EQ(imp.exit_code, 0) << imp.err;

  auto list = RunCli(fmt::format("--db {} list clusters --format csv", as_reader));
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find("QH-BIO"), std::string::npos) << list.out;
  const std::string q = " indicators --cluster QH-BIO --year 2014 --only firm_count --format csv";
  auto ind = RunCli(fmt::format("--db {}{}", as_reader, q));
  EXPECT_EQ(ind.exit_code, 0) << ind.err;
  EXPECT_EQ(ind.out, RunCli(fmt::format("--db {}{}", as_app, q)).out);

  auto refused = RunCli(fmt::format("--lang en --db {} import zones {}zones.csv", as_reader, ex));
  EXPECT_EQ(refused.exit_code, 3) << refused.err;
  EXPECT_NE(refused.err.find("db.permission"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find(s), std::string::npos) << "names the database: " << refused.err;

  // Tables the application creates later (a new kind, an upgrade) are readable too.
  ASSERT_TRUE(
      schema->Run(fmt::format("SET ROLE {0}; CREATE TABLE {1}.later (x int); RESET ROLE; "
                              "SET ROLE {2}; SELECT count(*) FROM {1}.later; SELECT count(*) FROM {1}.reports; "
                              "RESET ROLE",
                              app, s, reader)));

  ASSERT_TRUE(
      schema->Run(fmt::format("DROP SCHEMA {0} CASCADE; CREATE SCHEMA {0}; DROP OWNED BY {1}, {2}; "
                              "DROP ROLE {1}; DROP ROLE {2}",
                              s, app, reader)));
}

// A password in the URL (libpq's password= here; trust authentication ignores it) is never
// printed: not by init, an import, a failed import, a read or an error about the schema.
TEST(PostgresRoles, NoCommandPrintsThePassword) {
  auto schema = testing::PgSchema::Create();
  if (!schema) {
    if (!HasFailure()) GTEST_SKIP() << testing::kNoPostgres;
    return;
  }
  const std::string url = Quote(schema->url() + "&password=s3cret-pw");
  const std::string ex = std::string(CS_SOURCE_DIR) + "/examples/";
  auto before = RunCli(fmt::format("--lang en --db {} list zones", url));  // not initialised yet
  EXPECT_NE(before.exit_code, 0);
  auto init = RunCli(fmt::format("--lang en --db {} init", url));
  EXPECT_EQ(init.exit_code, 0) << init.err;
  EXPECT_NE(init.out.find("password=***"), std::string::npos) << "names the database: " << init.out;
  auto imp = RunCli(fmt::format("--lang en --db {} import zones {}zones.csv", url, ex));
  EXPECT_EQ(imp.exit_code, 0) << imp.err;
  auto missing = RunCli(fmt::format("--lang en --db {} import zones {}no-such-file.csv", url, ex));
  EXPECT_NE(missing.exit_code, 0);
  auto ind = RunCli(fmt::format("--lang en --db {} indicators --cluster NO-SUCH --year 2014", url));
  EXPECT_NE(ind.exit_code, 0);
  for (const auto* run : {&before, &init, &imp, &missing, &ind}) {
    EXPECT_EQ(run->out.find("s3cret"), std::string::npos) << run->out;
    EXPECT_EQ(run->err.find("s3cret"), std::string::npos) << run->err;
  }
  EXPECT_NE(before.err.find("password=***"), std::string::npos) << "names the database: " << before.err;
}

}  // namespace
}  // namespace clusterscope
