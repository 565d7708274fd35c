#include "record_fields.h"

#include "backchannel/core/domain.h"
#include "backchannel/core/meetings.h"

namespace bc::core {

bool is_uid(const std::string& s) {
  if (s.size() != 32) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

bool is_rule(const std::string& s) { return parse_rule(s).has_value(); }
bool is_level(const std::string& s) { return parse_disclosure_level(s).has_value(); }
bool is_location_level(const std::string& s) { return s == "named" || s == "hidden"; }
bool is_kind(const std::string& s) { return parse_note_kind(s).has_value(); }
bool is_visibility(const std::string& s) { return parse_visibility(s).has_value(); }
bool is_short_form_of(const std::string& s) { return parse_short_form_of(s).has_value(); }
bool is_short_form_use(const std::string& s) { return parse_short_form_use(s).has_value(); }

namespace {
template <class String>
std::string plain(const String& s) {
  return std::string(s.data(), s.size());
}
}  // namespace

template <class Json>
Result<std::string> RecordFields<Json>::text(const char* key, TextField field) const {
  BC_ASSIGN(std::optional<std::string> v, optional_text(key, field));
  if (!v) return fail(ErrorCode::bad_input, where_ + ": " + key + " is required");
  return std::move(*v);
}

template <class Json>
Result<std::optional<std::string>> RecordFields<Json>::optional_text(const char* key, TextField field) const {
  auto it = j_.find(key);
  if (it == j_.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return fail(ErrorCode::bad_input, where_ + ": " + key + " must be a string");
  const auto& s = it->template get_ref<const typename Json::string_t&>();
  BC_TRY(validate_text(where_ + ": " + key, s, field));
  return std::optional<std::string>(plain(s));
}

template <class Json>
Result<std::string> RecordFields<Json>::uid(const char* key) const {
  BC_ASSIGN(std::string v, text(key));
  if (!is_uid(v)) return fail(ErrorCode::bad_input, where_ + ": " + key + " is not a record uid");
  return v;
}

template <class Json>
Result<std::optional<std::string>> RecordFields<Json>::optional_uid(const char* key) const {
  BC_ASSIGN(std::optional<std::string> v, optional_text(key));
  if (v && !is_uid(*v)) return fail(ErrorCode::bad_input, where_ + ": " + key + " is not a record uid");
  return v;
}

template <class Json>
Result<std::string> RecordFields<Json>::timestamp(const char* key) const {
  BC_ASSIGN(std::string v, text(key));
  auto t = normalize_timestamp(v);
  if (!t) return fail(ErrorCode::bad_input, where_ + ": " + key + ": " + t.error().message);
  return *t;
}

template <class Json>
Result<std::string> RecordFields<Json>::enumerated(const Json& j, const char* key, bool (*check)(const std::string&)) const {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return fail(ErrorCode::bad_input, where_ + ": " + key + " has an unknown value");
  const std::string v = plain(it->template get_ref<const typename Json::string_t&>());
  if (!check(v)) return fail(ErrorCode::bad_input, where_ + ": " + key + " has an unknown value");
  return v;
}

template <class Json>
Result<std::int64_t> RecordFields<Json>::count(const char* key) const {
  auto it = j_.find(key);
  if (it == j_.end() || !it->is_number_integer() || it->template get<std::int64_t>() < 0)
    return fail(ErrorCode::bad_input, where_ + ": " + key + " must be a non-negative integer");
  return it->template get<std::int64_t>();
}

template class RecordFields<SecureJson>;
template class RecordFields<nlohmann::json>;

}  // namespace bc::core
