// Reading the fields of a record that came from another vault (an archive, a team bundle): any
// JSON may arrive, so every accessor checks the type, the text rules and the size limits, and
// names the record in its message ("archive record 12 (note): at: ...").
#pragma once

#include <optional>
#include <string>

#include "backchannel/core/text_validation.h"
#include "backchannel/result.h"
#include "secure_json.h"

#include <nlohmann/json.hpp>

namespace bc::core {

/// A record uid: 32 lower-case hexadecimal digits.
bool is_uid(const std::string& s);
bool is_rule(const std::string& s);
/// A participant disclosure level (named, role, pseudonym, anonymous, hidden).
bool is_level(const std::string& s);
/// A location disclosure level (named or hidden).
bool is_location_level(const std::string& s);
bool is_kind(const std::string& s);
bool is_visibility(const std::string& s);
/// What a short form is of (name or affiliation).
bool is_short_form_of(const std::string& s);
/// A ruling on a short form (alone or not-alone).
bool is_short_form_use(const std::string& s);

/// Checked access to the fields of one record (parsed into the locked arena); `where` names it in
/// messages. The strings it returns are ordinary ones, wiped when freed like every C++
/// allocation (crypto/src/wiping_delete.cpp).
template <class Json>
class RecordFields {
 public:
  RecordFields(const Json& j, std::string where) : j_(j), where_(std::move(where)) {}
  Result<std::string> text(const char* key, TextField field = TextField::short_text) const;
  Result<std::optional<std::string>> optional_text(const char* key, TextField field = TextField::short_text) const;
  Result<std::string> uid(const char* key) const;
  Result<std::optional<std::string>> optional_uid(const char* key) const;
  /// An RFC 3339 timestamp, normalized to UTC.
  Result<std::string> timestamp(const char* key) const;
  /// A string of `j` (this record or an object inside it) that `check` accepts.
  Result<std::string> enumerated(const Json& j, const char* key, bool (*check)(const std::string&)) const;
  Result<std::string> enumerated(const char* key, bool (*check)(const std::string&)) const { return enumerated(j_, key, check); }
  /// A non-negative integer.
  Result<std::int64_t> count(const char* key) const;
  const std::string& where() const { return where_; }
  const Json& raw() const { return j_; }

 private:
  const Json& j_;
  std::string where_;
};

/// The fields of a record parsed from a decrypted file (archives).
using SecureFields = RecordFields<SecureJson>;
/// The fields of a record held as ordinary JSON (team bundles, snapshots).
using Fields = RecordFields<nlohmann::json>;

extern template class RecordFields<SecureJson>;
extern template class RecordFields<nlohmann::json>;

}  // namespace bc::core
