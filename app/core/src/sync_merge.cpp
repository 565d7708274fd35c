#include "sync_merge.h"

#include <algorithm>
#include <array>
#include <set>
#include <tuple>

namespace bc::core::sync {

namespace {

struct Entry {
  std::string_view record, field;
  FieldRule rule;
};

constexpr std::array<Entry, 16> kFields = {{
    {"meeting", "location", FieldRule::last_writer},
    {"meeting", "location_participants", FieldRule::protective},
    {"meeting", "location_public", FieldRule::protective},
    {"meeting", "rule", FieldRule::last_writer},
    {"meeting", "public_terms", FieldRule::intersection},
    {"participant", "name", FieldRule::last_writer},
    {"participant", "affiliation", FieldRule::last_writer},
    {"participant", "delegation", FieldRule::last_writer},
    {"participant", "descriptor", FieldRule::last_writer},
    {"participant", "recipient", FieldRule::last_writer},
    {"participant", "signing_key", FieldRule::last_writer},
    {"participant", "aliases", FieldRule::union_set},
    {"participant", "descriptor_fa", FieldRule::last_writer},
    {"participant", "short_forms", FieldRule::last_writer},
    {"attendance", "disclosure.participants", FieldRule::protective},
    {"attendance", "disclosure.public", FieldRule::protective},
}};

std::vector<const FieldWrite*> active_sorted(const std::vector<FieldWrite>& standing) {
  std::vector<const FieldWrite*> out;
  for (const auto& w : standing)
    if (w.active) out.push_back(&w);
  std::sort(out.begin(), out.end(), [](const FieldWrite* a, const FieldWrite* b) { return write_before(*a, *b); });
  return out;
}

}  // namespace

bool field_info(std::string_view record, std::string_view field, FieldInfo& out) {
  if (record.empty()) return false;
  for (const auto& e : kFields)
    if (e.record == record && e.field == field) {
      out = {e.record, e.rule};
      return true;
    }
  return false;
}

bool write_before(const FieldWrite& a, const FieldWrite& b) {
  return std::tie(a.hlc, a.device, a.change) < std::tie(b.hlc, b.device, b.change);
}

int protection(std::string_view level) {
  static constexpr std::array<std::string_view, 5> kLevels = {"named", "role", "pseudonym", "anonymous", "hidden"};
  for (std::size_t i = 0; i < kLevels.size(); ++i)
    if (kLevels[i] == level) return static_cast<int>(i);
  return -1;
}

namespace {
int protection_of(const nlohmann::json& v) { return v.is_string() ? protection(v.get_ref<const std::string&>()) : -1; }
}  // namespace

nlohmann::json effective_value(FieldRule rule, const std::vector<FieldWrite>& standing) {
  const auto writes = active_sorted(standing);
  if (writes.empty()) return nullptr;
  switch (rule) {
    case FieldRule::last_writer: return writes.back()->value;
    case FieldRule::protective: {
      // Ties between equally protective values cannot differ in value, so any of them will do.
      const FieldWrite* best = writes.front();
      for (const auto* w : writes)
        if (protection_of(w->value) > protection_of(best->value)) best = w;
      return best->value;
    }
    case FieldRule::union_set: {
      nlohmann::json out = nlohmann::json::array();
      std::set<std::string> seen;
      for (const auto* w : writes) {
        if (!w->value.is_array()) continue;
        for (const auto& v : w->value)
          if (v.is_string() && seen.insert(v.get<std::string>()).second) out.push_back(v);
      }
      return out;
    }
    case FieldRule::intersection: {
      // The latest write's order, keeping only what every write has.
      nlohmann::json out = nlohmann::json::array();
      const auto& last = writes.back()->value;
      if (!last.is_array()) return out;
      std::set<std::string> taken;
      for (const auto& v : last) {
        if (!v.is_string() || !taken.insert(v.get<std::string>()).second) continue;
        bool everywhere = true;
        for (const auto* w : writes)
          everywhere = everywhere && w->value.is_array() && std::find(w->value.begin(), w->value.end(), v) != w->value.end();
        if (everywhere) out.push_back(v);
      }
      return out;
    }
  }
  return nullptr;
}

bool in_conflict(FieldRule rule, const std::vector<FieldWrite>& standing) {
  if (rule != FieldRule::last_writer && rule != FieldRule::protective) return false;
  const auto writes = active_sorted(standing);
  for (const auto* w : writes)
    if (w->value != writes.front()->value) return true;
  return false;
}

bool is_lowering(FieldRule rule, const nlohmann::json& from, const nlohmann::json& to) {
  return rule == FieldRule::protective && protection_of(to) < protection_of(from);
}

}  // namespace bc::core::sync
