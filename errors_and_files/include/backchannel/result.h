// Result and Error: how every Backchannel module reports an expected failure.
// No exception crosses a module boundary; programmer errors assert.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace bc {

/// What kind of failure happened. The CLI maps each to an exit code (see docs/cli.md).
enum class ErrorCode {
  usage,          ///< the caller asked for something malformed (exit 1)
  auth_failed,    ///< wrong passphrase or recovery code, or a MAC/signature that does not verify (exit 2)
  integrity,      ///< stored data is tampered with or corrupt (exit 2)
  blocked,        ///< a safety check refused the operation (exit 3)
  bad_input,      ///< an input file or value is invalid (exit 4)
  not_found,      ///< a named record or file does not exist (exit 4)
  conflict,       ///< the operation conflicts with existing state, e.g. the vault already exists (exit 4)
  unsupported,    ///< a format or version this build cannot handle, e.g. a newer vault (exit 4)
  io,             ///< the operating system refused a read or write (exit 5)
  internal,       ///< a bug or an impossible state; nothing was written (exit 5)
};

/// What the user can do about a failure. Lower layers name the remedy; each front end says it in
/// its own terms on the same line (the CLI names a command, the desktop client a menu), so that
/// no message from core speaks of command-line flags.
enum class Remedy {
  none,
  list_meetings,      ///< the meeting id is wrong: see the list of meetings
  list_participants,  ///< the participant key is wrong: see the participants of `subject` (a meeting id)
  list_inbox,         ///< the inbox id is wrong: see the inbox
  number_statements,  ///< the statement reference is wrong: see inbox item `subject` (its numbers)
  give_recipient,     ///< participant `subject` has no known age recipient: give or store one
  add_public_term,    ///< a public name was blocked: declare it a public term of the meeting
  check_vault,        ///< the vault may be damaged: run the full check
  create_vault,       ///< there is no vault here: create one
  replace_output,     ///< the output file exists: choose another name or replace it explicitly
  trust_signer,       ///< the file's signer (fingerprint `subject`) is not trusted: compare, then trust it
  allow_weak_passphrase,  ///< a weak passphrase was refused: choose a stronger one (an override exists for tests)
};

/// A failure: its kind, a message for the user, and optionally what to do about it. Messages
/// never contain secrets, and never contain participant names or note text.
struct Error {
  ErrorCode code;
  std::string message;
  Remedy remedy = Remedy::none;
  std::string subject;  ///< what the remedy is about (an id, a key), when it needs one
  /// A module's own finer classification (crypto::age::FailureClass for age errors), 0 if none.
  int detail = 0;
};

/// Builds an Error; reads well at return sites: `return bc::fail(ErrorCode::io, "...")`.
inline Error fail(ErrorCode code, std::string message) {
  return Error{code, std::move(message), Remedy::none, {}, 0};
}
/// Builds an Error with a remedy for the front end to phrase.
inline Error fail(ErrorCode code, std::string message, Remedy remedy, std::string subject = {}) {
  return Error{code, std::move(message), remedy, std::move(subject), 0};
}

/// Either a value or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}            // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}        // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  // By value, not T&&: `for (auto& x : *f())` must not leave a reference into a dead temporary.
  T value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { assert(!ok()); return std::get<1>(v_); }
  Error&& error() && { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

/// A Result with no value.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), failed_(true) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { assert(failed_); return err_; }
  Error&& error() && { assert(failed_); return std::move(err_); }

 private:
  Error err_{ErrorCode::internal, {}, Remedy::none, {}, 0};
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace bc

#define BC_CONCAT_INNER(a, b) a##b
#define BC_CONCAT(a, b) BC_CONCAT_INNER(a, b)

/// Returns the error of `expr` (a Result) from the enclosing function if it failed.
#define BC_TRY(expr)                                             \
  do {                                                           \
    auto&& bc_try_result_ = (expr);                              \
    if (!bc_try_result_.ok()) return std::move(bc_try_result_).error(); \
  } while (0)

/// Declares `decl` from the value of `expr` (a Result), or returns its error.
#define BC_ASSIGN(decl, expr) BC_ASSIGN_IMPL(BC_CONCAT(bc_assign_, __LINE__), decl, expr)
#define BC_ASSIGN_IMPL(tmp, decl, expr)          \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
