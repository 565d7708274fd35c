#include "sync_merge.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <tuple>

#include "backchannel/core/text_normalizer.h"

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
    {"participant", "descriptor_fa", FieldRule::withheld},
    {"participant", "short_forms", FieldRule::rulings},
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

// Short-form rulings, keyed by what they rule on (kind and normalized spelling), ranked by how
// much they protect: "alone" (the form is redacted everywhere) 2, no ruling (the derived rule) 1,
// "not-alone" (left as it is) 0.
constexpr int kNoRuling = 1;
using RulingKey = std::pair<std::string, std::string>;

RulingKey ruling_key(const nlohmann::json& r) {
  const auto of = r.find("of"), form = r.find("form");
  return {of != r.end() && of->is_string() ? of->get<std::string>() : std::string(),
          form != r.end() && form->is_string() ? normalize(form->get<std::string>()) : std::string()};
}

int ruling_rank(const nlohmann::json& r) {
  const auto use = r.find("use");
  if (use == r.end() || !use->is_string()) return kNoRuling;
  if (*use == "alone") return 2;
  if (*use == "not-alone") return 0;
  return kNoRuling;
}

std::map<RulingKey, int> ruling_ranks(const nlohmann::json& v) {
  std::map<RulingKey, int> out;
  if (v.is_array())
    for (const auto& r : v)
      if (r.is_object()) out[ruling_key(r)] = ruling_rank(r);
  return out;
}

int rank_in(const std::map<RulingKey, int>& ranks, const RulingKey& k) {
  const auto it = ranks.find(k);
  return it == ranks.end() ? kNoRuling : it->second;
}

// The same rulings, whatever their order or spelling of case.
std::set<std::pair<RulingKey, int>> ruling_set(const nlohmann::json& v) {
  std::set<std::pair<RulingKey, int>> out;
  for (const auto& [k, rank] : ruling_ranks(v)) out.insert({k, rank});
  return out;
}

nlohmann::json merged_rulings(const std::vector<const FieldWrite*>& writes) {
  std::vector<std::map<RulingKey, int>> ranks;
  for (const auto* w : writes) ranks.push_back(ruling_ranks(w->value));
  // Each form in the order the latest write that rules on it gives, the latest writes first.
  nlohmann::json out = nlohmann::json::array();
  std::set<RulingKey> done;
  for (std::size_t i = writes.size(); i-- > 0;) {
    if (!writes[i]->value.is_array()) continue;
    for (const auto& r : writes[i]->value) {
      if (!r.is_object()) continue;
      const RulingKey k = ruling_key(r);
      if (done.count(k)) continue;
      int best = -1;
      for (const auto& m : ranks) best = std::max(best, rank_in(m, k));
      if (best == kNoRuling) {
        done.insert(k);  // some write leaves this form to the derived rule, which protects more than "not-alone"
        continue;
      }
      if (ruling_rank(r) != best) continue;  // a later write, or a later ruling of this one, has the winning ruling
      done.insert(k);
      out.push_back(r);
    }
  }
  return out;
}

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
    case FieldRule::rulings: return merged_rulings(writes);
    case FieldRule::withheld: {
      for (const auto* w : writes)
        if (w->value != writes.front()->value) return nullptr;
      return writes.front()->value;
    }
  }
  return nullptr;
}

bool in_conflict(FieldRule rule, const std::vector<FieldWrite>& standing) {
  if (rule == FieldRule::union_set || rule == FieldRule::intersection) return false;
  const auto writes = active_sorted(standing);
  for (const auto* w : writes) {
    if (rule == FieldRule::rulings ? ruling_set(w->value) != ruling_set(writes.front()->value) : w->value != writes.front()->value)
      return true;
  }
  return false;
}

namespace {
bool no_text(const nlohmann::json& v) { return !v.is_string() || v.get_ref<const std::string&>().empty(); }
}  // namespace

bool is_lowering(FieldRule rule, const nlohmann::json& from, const nlohmann::json& to, bool in_conflict) {
  // A routine edit of a ruling or a descriptor takes effect at once, as it did before teams; a
  // conflict's less protective side does not.
  if (!in_conflict && (rule == FieldRule::rulings || rule == FieldRule::withheld)) return false;
  switch (rule) {
    case FieldRule::protective: return protection_of(to) < protection_of(from);
    case FieldRule::rulings: {
      const auto a = ruling_ranks(from), b = ruling_ranks(to);
      for (const auto& [k, rank] : a)
        if (rank_in(b, k) < rank) return true;
      for (const auto& [k, rank] : b)
        if (rank < rank_in(a, k)) return true;
      return false;
    }
    case FieldRule::withheld: return no_text(from) && !no_text(to);
    default: return false;
  }
}

std::string display_value(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return std::string();
  return v.dump();
}

}  // namespace bc::core::sync
