// Test support: a fresh, empty schema in the throwaway PostgreSQL cluster ($CS_TEST_PG_URL, set by
// ctest's "postgres" fixture, tests/CMakeLists.txt), dropped when the object goes. Each test gets
// its own (search_path in the URL), so tests and test binaries run in parallel on one cluster.
#pragma once

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <fmt/format.h>

#include <atomic>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace clusterscope::testing {

// Why the PostgreSQL tests skip: only when no cluster was configured (no server installed).
inline const char* kNoPostgres =
    "CS_TEST_PG_URL is not set: no PostgreSQL server was found when the build was configured "
    "(install postgresql-15, or run scripts/pg-test-cluster.sh start)";

class PgSchema {
 public:
  // A new schema, or nullopt: when $CS_TEST_PG_URL is unset (skip), or after a test failure when
  // the cluster it names cannot be reached.
  static std::optional<PgSchema> Create() {
    const char* base = std::getenv("CS_TEST_PG_URL");
    if (base == nullptr || *base == '\0') return std::nullopt;
    static std::atomic<int> counter{0};
    PgSchema s;
    s.base_ = base;
    // fmt, not "t" + …: g++ 12 warns falsely (-Wrestrict) on the latter in some callers.
    s.name_ = fmt::format("t{}_{}", getpid(), counter++);
    if (!s.Run(fmt::format("DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}", s.name_))) return std::nullopt;
    s.owned_ = true;
    return s;
  }
  PgSchema(PgSchema&& o) noexcept : base_(std::move(o.base_)), name_(std::move(o.name_)), owned_(o.owned_) {
    o.owned_ = false;
  }
  PgSchema& operator=(PgSchema&& o) noexcept {
    std::swap(base_, o.base_);
    std::swap(name_, o.name_);
    std::swap(owned_, o.owned_);
    return *this;
  }
  PgSchema(const PgSchema&) = delete;
  ~PgSchema() {
    if (owned_) (void)Run(fmt::format("DROP SCHEMA IF EXISTS {} CASCADE", name_));
  }

  // The store URL of this schema.
  std::string url() const { return fmt::format("{}&options=-csearch_path%3D{}", base_, name_); }
  const std::string& name() const { return name_; }
  // Runs SQL on the cluster (not in the schema unless it says so); false and a test failure on error.
  bool Run(const std::string& sql) const {
    std::unique_ptr<PGconn, decltype(&PQfinish)> conn(PQconnectdb(base_.c_str()), &PQfinish);
    if (PQstatus(conn.get()) != CONNECTION_OK) {
      ADD_FAILURE() << base_ << ": " << PQerrorMessage(conn.get());
      return false;
    }
    PQsetNoticeProcessor(
        conn.get(), [](void*, const char*) {}, nullptr);
    std::unique_ptr<PGresult, decltype(&PQclear)> res(PQexec(conn.get(), sql.c_str()), &PQclear);
    const ExecStatusType st = PQresultStatus(res.get());
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      ADD_FAILURE() << sql << ": " << PQerrorMessage(conn.get());
      return false;
    }
    return true;
  }

 private:
  PgSchema() = default;
  std::string base_;
  std::string name_;
  bool owned_ = false;
};

}  // namespace clusterscope::testing
