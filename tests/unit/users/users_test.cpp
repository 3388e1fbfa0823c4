// Users, sessions, tokens and the lockout over the in-memory store, with the clock given.
#include <gtest/gtest.h>

#include "clusterscope/users.h"
#include "store/memory_store.h"

namespace clusterscope {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class UsersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::NewMemoryStore();
    ASSERT_TRUE(InitDatabase(*store_).ok());
    auto tx = store_->BeginWrite();
    ASSERT_TRUE(tx.ok());
    Record zone(Describe(Kind::kZones).columns.size());
    const KindDef& def = Describe(Kind::kZones);
    zone[static_cast<size_t>(def.ColumnIndex("zone_id"))] = std::string("XNGX");
    zone[static_cast<size_t>(def.ColumnIndex("name"))] = std::string("西宁高新区");
    zone[static_cast<size_t>(def.ColumnIndex("region_code"))] = std::string("630100");
    zone[static_cast<size_t>(def.ColumnIndex("level"))] = std::string("national");
    ASSERT_TRUE((*tx)->Insert(Kind::kZones, zone).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
    users_ = std::make_unique<Users>(*store_);
  }
  std::unique_ptr<Store> store_;
  std::unique_ptr<Users> users_;
};

TEST_F(UsersTest, AddChecksNameScopeAndPassword) {
  EXPECT_TRUE(users_->Add("wang", Role::kZone, "XNGX", "long-enough-pw", "t").ok());
  EXPECT_EQ(users_->Add("wang", Role::kZone, "XNGX", "long-enough-pw", "t").id(), "user.exists");
  EXPECT_EQ(users_->Add("li", Role::kZone, "NOPE", "long-enough-pw", "t").id(), "user.scope");
  EXPECT_EQ(users_->Add("li", Role::kProvince, "630", "long-enough-pw", "t").id(), "user.scope");
  EXPECT_EQ(users_->Add("li", Role::kNational, "63", "long-enough-pw", "t").id(), "user.scope");
  EXPECT_EQ(users_->Add("li", Role::kFirm, "91630100XY00000559", "long-enough-pw", "t").id(), "user.scope");
  EXPECT_EQ(users_->Add("li li", Role::kAnalyst, "", "long-enough-pw", "t").id(), "user.name");
  EXPECT_EQ(users_->Add("li", Role::kAnalyst, "", "short", "t").id(), "user.password_short");
  EXPECT_TRUE(users_->Add("li", Role::kProvince, "63", "long-enough-pw", "t").ok());
  auto list = users_->List();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "li");
  // The password is stored as an argon2id string, never as given.
  auto row = store_->GetAccess(AccessTable::kUsers, "li");
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_TRUE((**row)[3].starts_with("$argon2id$"));
  EXPECT_EQ((**row)[3].find("long-enough-pw"), std::string::npos);
}

TEST_F(UsersTest, SessionsExpireWhenIdleTokensAtTheirDate) {
  ASSERT_TRUE(users_->Add("wang", Role::kZone, "XNGX", "long-enough-pw", "t").ok());
  const auto t0 = Users::Clock::now();
  auto grant = users_->Login("wang", "long-enough-pw", "127.0.0.1", t0);
  ASSERT_TRUE(grant.ok()) << grant.status().ToString();
  // Only the hash is stored.
  EXPECT_FALSE(store_->GetAccess(AccessTable::kCredentials, grant->token)->has_value());
  EXPECT_TRUE(store_->GetAccess(AccessTable::kCredentials, Sha256Hex(grant->token))->has_value());
  auto p = users_->Authenticate(grant->token, t0 + hours(7));  // used: the idle clock restarts
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->session);
  EXPECT_EQ(p->user.scope, "XNGX");
  EXPECT_TRUE(users_->Authenticate(grant->token, t0 + hours(14)).ok());
  EXPECT_EQ(users_->Authenticate(grant->token, t0 + hours(14) + hours(8) + seconds(1)).status().id(), "auth.expired");
  auto token = users_->IssueToken("wang", 1, "t");
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(users_->Authenticate(*token, Users::Clock::now() + hours(23)).ok());
  EXPECT_EQ(users_->Authenticate(*token, Users::Clock::now() + hours(25)).status().id(), "auth.expired");
  EXPECT_EQ(users_->Authenticate("cst_nonsense").status().id(), "auth.invalid");
  // A new password ends sessions, not tokens; disabling ends both.
  auto again = users_->Login("wang", "long-enough-pw", "127.0.0.1");
  ASSERT_TRUE(again.ok());
  ASSERT_TRUE(users_->SetPassword("wang", "another-long-pw", "t").ok());
  EXPECT_FALSE(users_->Authenticate(again->token).ok());
  EXPECT_TRUE(users_->Authenticate(*token).ok());
  ASSERT_TRUE(users_->SetDisabled("wang", true, "t").ok());
  EXPECT_FALSE(users_->Authenticate(*token).ok());
  EXPECT_EQ(users_->Login("wang", "another-long-pw", "127.0.0.1").status().id(), "auth.failed");
}

TEST_F(UsersTest, FiveFailuresInFifteenMinutesLockForFifteenMinutes) {
  ASSERT_TRUE(users_->Add("wang", Role::kZone, "XNGX", "long-enough-pw", "t").ok());
  const auto t0 = Users::Clock::now() - hours(1);
  // Four failures, then one 20 minutes later: never five within a window, no lock.
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(users_->Login("wang", "wrong", "c", t0 + minutes(i)).status().id(), "auth.failed");
  EXPECT_EQ(users_->Login("wang", "wrong", "c", t0 + minutes(20)).status().id(), "auth.failed");
  EXPECT_TRUE(users_->Login("wang", "long-enough-pw", "c", t0 + minutes(21)).ok());
  // Five within the window: locked, the right password too, until 15 minutes after the fifth.
  for (int i = 0; i < 4; ++i) (void)users_->Login("wang", "wrong", "c", t0 + minutes(22 + i));
  EXPECT_EQ(users_->Login("wang", "long-enough-pw", "c", t0 + minutes(30)).status().id(), "auth.locked");
  EXPECT_EQ(users_->Login("wang", "long-enough-pw", "c", t0 + minutes(39)).status().id(), "auth.locked");
  EXPECT_TRUE(users_->Login("wang", "long-enough-pw", "c", t0 + minutes(41)).ok());
  // Every attempt is in the audit log.
  auto log = users_->AuditLog("", 1000);
  ASSERT_TRUE(log.ok());
  int logins = 0;
  for (const AuditEntry& e : *log) logins += e.action == "login";
  EXPECT_EQ(logins, 4 + 1 + 1 + 4 + 2 + 1);
}

}  // namespace
}  // namespace clusterscope
