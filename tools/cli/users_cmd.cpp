// users add|list|disable|enable|password|token (api.md "Running it"): who may use `serve`.
// Passwords come from standard input (--password-stdin) or the terminal with echo off, never
// from the command line, where `ps` and the shell's history would show them.
#include <termios.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cstdlib>
#include <iostream>

#include "clusterscope/users.h"
#include "commands.h"

namespace clusterscope::cli {
namespace {

struct UsersArgs {
  std::string name;
  std::string role;
  std::string scope;
  bool password_stdin = false;
  int expires = 90;
  std::string format;
};

// The CLI acts as the operating-system user who runs it (for the audit log).
std::string Actor() {
  const char* user = std::getenv("USER");
  return fmt::format("cli:{}", user != nullptr ? user : "?");
}

Result<std::string> ReadPassword(const Globals& g, bool from_stdin) {
  std::string first;
  if (from_stdin) {
    if (!std::getline(std::cin, first)) {
      return Status::Usage(std::string(
          Pick(g.lang, "--password-stdin：标准输入没有密码", "--password-stdin: no password on standard input")));
    }
    if (!first.empty() && first.back() == '\r') first.pop_back();
    return first;
  }
  if (isatty(STDIN_FILENO) == 0) {
    return Status::Usage(std::string(Pick(g.lang, "不在终端上：请用 --password-stdin 提供密码",
                                          "not on a terminal: give the password with --password-stdin")));
  }
  termios old{};
  tcgetattr(STDIN_FILENO, &old);
  termios quiet = old;
  quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  std::string second;
  std::cerr << Pick(g.lang, "密码：", "password: ");
  std::getline(std::cin, first);
  std::cerr << "\n" << Pick(g.lang, "再次输入：", "again: ");
  std::getline(std::cin, second);
  std::cerr << "\n";
  tcsetattr(STDIN_FILENO, TCSANOW, &old);
  if (first != second) return Status::Usage(std::string(Pick(g.lang, "两次输入的密码不一致", "the passwords differ")));
  return first;
}

int RunUsers(const Globals& g, const std::string& action, const UsersArgs& a) {
  auto opened = Users::Open(g.db);
  if (!opened.ok()) return Fail(g, opened.status());
  Users& users = **opened;
  const Lang L = g.lang;
  if (action == "list") {
    auto list = users.List();
    if (!list.ok()) return Fail(g, list.status());
    Answer ans;
    ans.header = {std::string(Pick(L, "用户", "user")), std::string(Pick(L, "角色", "role")),
                  std::string(Pick(L, "范围", "scope")), std::string(Pick(L, "状态", "status")),
                  std::string(Pick(L, "创建时间", "created"))};
    ans.csv_header = {"name", "role", "scope", "disabled", "created_at"};
    ans.json = nlohmann::ordered_json::array();
    ans.json_one_row_per_line = true;
    for (const User& u : *list) {
      ans.rows.push_back({u.name, std::string(RoleId(u.role)), u.scope,
                          std::string(u.disabled ? Pick(L, "已停用", "disabled") : Pick(L, "启用", "enabled")),
                          u.created_at});
      ans.csv_rows.push_back({u.name, std::string(RoleId(u.role)), u.scope, u.disabled ? "1" : "0", u.created_at});
      ans.json.push_back({{"name", u.name},
                          {"role", RoleId(u.role)},
                          {"scope", u.scope},
                          {"disabled", u.disabled},
                          {"created_at", u.created_at}});
    }
    std::cout << Render(ans, ParseFormat(a.format));
    return 0;
  }
  Status s;
  if (action == "add") {
    auto role = ParseRole(a.role);
    if (!role) {
      return Fail(g,
                  Status::Usage(fmt::format("--role {}: admin | national | province | zone | firm | analyst", a.role)));
    }
    auto password = ReadPassword(g, a.password_stdin);
    if (!password.ok()) return Fail(g, password.status());
    s = users.Add(a.name, *role, a.scope, *password, Actor());
  } else if (action == "disable" || action == "enable") {
    s = users.SetDisabled(a.name, action == "disable", Actor());
  } else if (action == "password") {
    auto password = ReadPassword(g, a.password_stdin);
    if (!password.ok()) return Fail(g, password.status());
    s = users.SetPassword(a.name, *password, Actor());
  } else if (action == "token") {
    auto token = users.IssueToken(a.name, a.expires, Actor());
    if (!token.ok()) return Fail(g, token.status());
    // The token on stdout alone (for scripts); it is shown this once and stored only hashed.
    std::cout << *token << "\n";
    std::cerr << fmt::format(fmt::runtime(Pick(L, "已为{}签发令牌，有效{}天；令牌只显示这一次\n",
                                               "token issued for {}, valid {} days; it is shown only this once\n")),
                             a.name, a.expires);
    return 0;
  }
  if (!s.ok()) return Fail(g, s);
  std::cout << fmt::format("{} {}\n", Pick(L, "完成：", "done:"), a.name);
  return 0;
}

}  // namespace

void AddUsersCommand(CLI::App& app, Commands& commands) {
  auto* users = app.add_subcommand("users", "users of the server: add, list, disable, enable, password, token");
  users->require_subcommand(1);
  users->footer(
      "Example: printf '%s\\n' \"$PW\" | clusterscope users add wang --role zone --scope XNGX --password-stdin");
  auto add_action = [&](const std::string& action, const std::string& help, bool takes_name) {
    auto args = std::make_shared<UsersArgs>();
    auto* sub = users->add_subcommand(action, help);
    if (takes_name) sub->add_option("name", args->name, "user name")->required();
    if (action == "add") {
      sub->add_option("--role", args->role, "admin | national | province | zone | firm | analyst")->required();
      sub->add_option("--scope", args->scope, "province: 2-digit code (63); zone: zone_id; firm: uscc");
    }
    if (action == "add" || action == "password") {
      sub->add_flag("--password-stdin", args->password_stdin, "read the password from standard input (one line)");
    }
    if (action == "token") sub->add_option("--expires", args->expires, "days the token is valid (default 90)");
    if (action == "list") AddFormatOption(sub, args->format);
    commands.push_back({sub, [action, args](const Globals& g) { return RunUsers(g, action, *args); }});
  };
  add_action("add", "add a user with a role and a scope", true);
  add_action("list", "list the users", false);
  add_action("disable", "disable a user (ends its sessions and revokes its tokens)", true);
  add_action("enable", "enable a disabled user", true);
  add_action("password", "set a user's password (ends its sessions)", true);
  add_action("token", "issue a bearer token for scripts (printed once)", true);
}

}  // namespace clusterscope::cli
