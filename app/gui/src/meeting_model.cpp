#include "backchannel/gui/meeting_model.h"

#include <algorithm>

#include "backchannel/core/meetings.h"
#include "backchannel/core/notes.h"
#include "backchannel/core/participants.h"
#include "backchannel/gui/error_text.h"
#include "backchannel/gui/ui_context.h"
#include "backchannel/gui/wipe.h"

namespace bc::gui {

namespace {

void wipe_participant(core::Participant& p) {
  wipe_string(p.name);
  wipe_string(p.key);
  for (auto* s : {&p.affiliation, &p.delegation, &p.descriptor, &p.descriptor_fa, &p.recipient})
    if (*s) wipe_string(**s);
  wipe_strings(p.aliases);
  for (auto& r : p.short_forms) wipe_string(r.form);
}

void wipe_meeting(core::Meeting& m) {
  wipe_string(m.title);
  wipe_string(m.series_title);
  if (m.location) wipe_string(*m.location);
  wipe_strings(m.public_terms);
}

// The core's order: ORDER BY at, id (a note without a time first, as SQLite sorts NULL).
bool before(const core::Note& a, const core::Note& b) {
  if (a.at.has_value() != b.at.has_value()) return !a.at.has_value();
  if (a.at && *a.at != *b.at) return *a.at < *b.at;
  return a.id < b.id;
}

}  // namespace

void MeetingModel::update(UiContext& ctx) {
  follow(ctx);
  if (id_ == 0) return;
  bool people = false, all_notes = false;
  std::vector<std::int64_t> changed;
  for (const Event& e : ctx.events()) {
    using K = Event::Kind;
    switch (e.kind) {
      case K::meetings_changed: people = true; break;  // the record: title, rule, location
      case K::participants_changed: people = people || e.meeting_id == id_; break;
      case K::notes_reloaded: all_notes = all_notes || e.meeting_id == id_; break;
      case K::note_added:
      case K::note_changed:
        if (e.meeting_id == id_) changed.push_back(e.note_id);
        break;
      default: break;
    }
  }
  if (people) load_participants(ctx);
  if (all_notes) load_notes(ctx);
  else
    for (std::int64_t n : changed) reload_note(ctx, n);
}

void MeetingModel::follow(UiContext& ctx) {
  const std::int64_t want = ctx.vault && ctx.meeting ? *ctx.meeting : 0;
  if (want == id_) return;
  load(ctx);
}

void MeetingModel::load(UiContext& ctx) {
  clear();
  if (!ctx.vault || !ctx.meeting) return;
  id_ = *ctx.meeting;
  load_participants(ctx);
  load_notes(ctx);
}

void MeetingModel::load_participants(UiContext& ctx) {
  wipe_participants();
  error_.clear();
  ++participants_version_;
  auto m = core::get_meeting(*ctx.vault, id_);
  if (!m) {
    error_ = describe(m.error());
    return;
  }
  meeting_ = std::move(*m);
  auto ps = core::list_participants(*ctx.vault, id_);
  if (!ps) {
    error_ = describe(ps.error());
    return;
  }
  participants_ = std::move(*ps);
  for (core::Audience a : core::kAudiences) {
    auto ap = core::participant_appearances(*ctx.vault, id_, a);
    if (!ap) {
      error_ = describe(ap.error());
      continue;
    }
    appearance_[static_cast<std::size_t>(a)] = std::move(*ap);
  }
}

void MeetingModel::load_notes(UiContext& ctx) {
  // Notes still being added stay (their writes are in flight); the rest is read again.
  std::vector<Entry> adding;
  for (auto& e : notes_)
    if (e.pending == Pending::add) adding.push_back(std::move(e));
  for (auto& e : notes_) wipe_string(e.note.text);
  notes_.clear();
  auto ns = core::list_notes(*ctx.vault, id_);
  if (!ns) {
    error_ = describe(ns.error());
  } else {
    notes_.reserve(ns->size() + adding.size());
    for (auto& n : *ns) notes_.push_back(Entry{std::move(n), Pending::none, 0});
  }
  for (auto& e : adding) notes_.push_back(std::move(e));
  notes_changed();
}

void MeetingModel::reload_note(UiContext& ctx, std::int64_t note_id) {
  Entry* held = by_id(note_id);
  // A note with a write in flight is brought up to date when that write is confirmed.
  if (held && held->pending != Pending::none) return;
  auto n = core::get_note(*ctx.vault, note_id);
  if (n && n->meeting_id != id_) return;
  if (held) {
    wipe_string(held->note.text);
    if (n) held->note = std::move(*n);
    else notes_.erase(notes_.begin() + (held - notes_.data()));  // deleted
  } else if (n) {
    // Among the committed notes, in the core's order; the ones being added stay last.
    const auto end = std::find_if(notes_.begin(), notes_.end(), [](const Entry& e) { return e.pending == Pending::add; });
    const auto pos = std::upper_bound(notes_.begin(), end, *n, [](const core::Note& a, const Entry& b) { return before(a, b.note); });
    notes_.insert(pos, Entry{std::move(*n), Pending::none, 0});
  }
  notes_changed();
}

const core::Participant* MeetingModel::participant(std::int64_t participant_id) const {
  for (const auto& p : participants_)
    if (p.id == participant_id) return &p;
  return nullptr;
}

const MeetingModel::Entry* MeetingModel::note(std::int64_t note_id) const {
  if (index_stale_) {
    index_.clear();
    for (std::size_t i = 0; i < notes_.size(); ++i)
      if (notes_[i].note.id != 0) index_[notes_[i].note.id] = i;
    index_stale_ = false;
  }
  const auto it = index_.find(note_id);
  return it == index_.end() ? nullptr : &notes_[it->second];
}

MeetingModel::Entry* MeetingModel::by_id(std::int64_t note_id) {
  const Entry* e = note(note_id);
  return e == nullptr ? nullptr : &notes_[static_cast<std::size_t>(e - notes_.data())];
}

MeetingModel::Entry* MeetingModel::by_ticket(std::uint64_t ticket) {
  for (auto it = notes_.rbegin(); it != notes_.rend(); ++it)
    if (it->ticket == ticket) return &*it;
  return nullptr;
}

std::uint64_t MeetingModel::begin_add(core::Note n) {
  const std::uint64_t ticket = next_ticket_++;
  n.id = 0;
  notes_.push_back(Entry{std::move(n), Pending::add, ticket});
  notes_changed();
  return ticket;
}

std::uint64_t MeetingModel::begin_edit(std::int64_t note_id, const std::string& text) {
  Entry* e = by_id(note_id);
  if (e == nullptr) return 0;
  wipe_string(e->note.text);
  e->note.text = text;
  e->pending = Pending::edit;
  e->ticket = next_ticket_++;
  notes_changed();
  return e->ticket;
}

std::uint64_t MeetingModel::begin_remove(std::int64_t note_id) {
  Entry* e = by_id(note_id);
  if (e == nullptr) return 0;
  e->pending = Pending::remove;
  e->ticket = next_ticket_++;
  notes_changed();
  return e->ticket;
}

void MeetingModel::commit(std::uint64_t ticket, std::int64_t note_id) {
  Entry* e = by_ticket(ticket);
  if (e == nullptr) return;  // another meeting by now
  if (e->pending == Pending::remove) {
    wipe_string(e->note.text);
    notes_.erase(notes_.begin() + (e - notes_.data()));
  } else {
    e->note.id = note_id;
    e->pending = Pending::none;
    e->ticket = 0;
  }
  notes_changed();
}

void MeetingModel::fail(UiContext& ctx, std::uint64_t ticket) {
  Entry* e = by_ticket(ticket);
  if (e == nullptr) return;
  if (e->pending == Pending::add) {
    wipe_string(e->note.text);
    notes_.erase(notes_.begin() + (e - notes_.data()));
    notes_changed();
    return;
  }
  e->pending = Pending::none;
  e->ticket = 0;
  const std::int64_t id = e->note.id;
  if (ctx.vault) reload_note(ctx, id);  // back to the stored text
}

void MeetingModel::notes_changed() {
  ++notes_version_;
  index_stale_ = true;
}

void MeetingModel::wipe_participants() {
  if (meeting_) wipe_meeting(*meeting_);
  meeting_.reset();
  for (auto& p : participants_) wipe_participant(p);
  participants_.clear();
  for (auto& ap : appearance_) {
    for (auto& p : ap.participants) {
      wipe_string(p.key);
      wipe_string(p.attribution);
      wipe_string(p.attendance);
    }
    ap = {};
  }
}

void MeetingModel::wipe_notes() {
  for (auto& e : notes_) wipe_string(e.note.text);
  notes_.clear();
  notes_.shrink_to_fit();
  index_.clear();
  notes_changed();
}

void MeetingModel::clear() {
  wipe_participants();
  wipe_notes();
  ++participants_version_;
  id_ = 0;
  error_.clear();
}

bool MeetingModel::debug_contains(std::string_view needle) const {
  if (meeting_ && (holds(meeting_->title, needle) || holds(meeting_->series_title, needle) ||
                   (meeting_->location && holds(*meeting_->location, needle))))
    return true;
  if (meeting_)
    for (const auto& t : meeting_->public_terms)
      if (holds(t, needle)) return true;
  for (const auto& p : participants_) {
    if (holds(p.name, needle) || holds(p.key, needle)) return true;
    for (auto* s : {&p.affiliation, &p.delegation, &p.descriptor, &p.descriptor_fa, &p.recipient})
      if (*s && holds(**s, needle)) return true;
    for (const auto& a : p.aliases)
      if (holds(a, needle)) return true;
    for (const auto& r : p.short_forms)
      if (holds(r.form, needle)) return true;
  }
  for (const auto& ap : appearance_)
    for (const auto& p : ap.participants)
      if (holds(p.attribution, needle) || holds(p.attendance, needle)) return true;
  for (const auto& e : notes_)
    if (holds(e.note.text, needle)) return true;
  return holds(error_, needle);
}

}  // namespace bc::gui
