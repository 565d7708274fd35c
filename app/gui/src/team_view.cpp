#include "backchannel/gui/team_view.h"

#include <imgui.h>
#include <imgui_stdlib.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include "backchannel/core/identity.h"
#include "backchannel/files/atomic_file.h"
#include "backchannel/gui/error_text.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/meeting_model.h"
#include "backchannel/gui/sync_service.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"

namespace bc::gui {

namespace {

// An identity file is a few hundred bytes of JSON; anything much larger is not one.
constexpr std::uintmax_t kMaxIdentityFile = 64 * 1024;

Result<std::string> read_identity_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(ErrorCode::not_found, "the identity file cannot be read: " + ec.message());
  if (size > kMaxIdentityFile) return fail(ErrorCode::bad_input, "not an identity file: it is too large");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) return fail(ErrorCode::io, "the identity file cannot be read");
  return text.str();
}

std::string lag_text(const core::DeviceStatus& d) {
  if (d.own) return "this vault, published " + std::to_string(d.applied);
  const std::int64_t lag = d.in_folder > d.applied ? d.in_folder - d.applied : 0;
  return "applied " + std::to_string(d.applied) + " of " + std::to_string(d.in_folder) + (lag ? " (" + std::to_string(lag) + " behind)" : "");
}

}  // namespace

void TeamView::load(UiContext& ctx, std::int64_t series_id, std::string series_title) {
  loading_ = true;
  loaded_series_ = series_id;
  stale_ = false;
  loaded_rounds_ = ctx.sync ? ctx.sync->rounds() : 0;
  std::optional<std::filesystem::path> folder = ctx.sync ? ctx.sync->folder() : std::nullopt;
  const std::uint64_t session = ctx.session;
  ctx.write([this, &ctx, session, series_id, title = std::move(series_title), folder](core::Vault& v) mutable -> TaskRunner::Continuation {
    auto out = std::make_shared<Loaded>();
    out->series_id = series_id;
    out->series_title = std::move(title);
    auto fill = [&]() -> bc::Status {
      BC_ASSIGN(core::VaultIdentity id, core::vault_identity(v));
      out->fingerprint = id.fingerprint;
      out->recipient = id.recipient;
      out->signing_key = id.signing_key;
      if (series_id == 0) return {};
      BC_ASSIGN(std::vector<core::TeamInfo> teams, core::list_teams(v));
      for (auto& t : teams)
        if (t.series_id == series_id) {
          wipe_string(t.series_title);  // the panel shows the meeting's; one copy to wipe is enough
          out->team = std::move(t);
        }
      BC_ASSIGN(std::vector<core::PendingConfirmation> pending, core::pending_confirmations(v));
      for (auto& p : pending)
        if (p.series_id == series_id) out->pending.push_back(std::move(p));
      if (out->team && folder) {
        BC_ASSIGN(std::vector<core::SeriesSyncStatus> all, core::sync_status(v, *folder));
        for (auto& s : all)
          if (s.series_id == series_id) {
            out->devices = std::move(s.devices);
            out->digest = s.digest;
          }
      }
      return {};
    };
    if (auto st = fill(); !st) out->error = describe(st.error());
    return [this, &ctx, session, out] {
      if (session != ctx.session) return;
      loading_ = false;
      if (loaded_) wipe_string(loaded_->series_title);
      loaded_ = out;
      if (qr_of_.empty() || qr_.size == 0) show_qr(out->fingerprint);
    };
  });
}

void TeamView::show_qr(const std::string& fingerprint) {
  if (fingerprint.empty()) return;
  auto q = make_qr("backchannel-fingerprint:" + fingerprint);
  if (!q) {
    error_ = describe(q.error());
    return;
  }
  qr_ = std::move(*q);
  qr_of_ = fingerprint;
}

void TeamView::act(UiContext& ctx, std::function<bc::Status(core::Vault&)> action, std::string done) {
  const std::uint64_t session = ctx.session;
  error_.clear();
  ctx.write([this, &ctx, session, action = std::move(action), done = std::move(done)](core::Vault& v) -> TaskRunner::Continuation {
    auto st = std::make_shared<bc::Status>(action(v));
    return [this, &ctx, session, st, done] {
      if (session != ctx.session) return;
      if (!st->ok()) {
        error_ = describe(st->error());
        return;
      }
      ctx.toast(done);
      ctx.post(Event::Kind::meetings_changed);
      if (ctx.meeting) ctx.post(Event::Kind::participants_changed, *ctx.meeting);
      stale_ = true;
      // A full round: it publishes the change, and after an accept it applies what waited.
      if (ctx.sync && ctx.sync->folder()) ctx.sync->sync_now(ctx);
    };
  });
}

void TeamView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::team);
  if (!open || !ctx.vault) {
    if (!open && loaded_) Clear();
    return;
  }
  const core::Meeting* meeting = ctx.model().meeting();
  const std::int64_t series = meeting ? meeting->series_id : 0;
  const std::uint64_t rounds = ctx.sync ? ctx.sync->rounds() : 0;
  if (!loading_ && (!loaded_ || stale_ || series != loaded_series_ || loaded_rounds_ != rounds))
    load(ctx, series, meeting ? meeting->series_title : std::string());

  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 52, ImGui::GetFontSize() * 33));
  if (ctx.take_focus(Window::team)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Team", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    if (!loaded_) {
      ui::Spinner(ImGui::GetFontSize() * 0.45f, palette::accent);
    } else {
      const float right_w = ImGui::GetFontSize() * 15;
      ImGui::BeginChild("##team-left", ImVec2(ImGui::GetContentRegionAvail().x - right_w - ImGui::GetStyle().ItemSpacing.x, 0));
      ui::ErrorText(loaded_->error);
      ui::ErrorText(error_);
      if (loaded_->series_id == 0) {
        ImGui::PushTextWrapPos(0);
        ui::Muted("A team shares one series: select a meeting of the series to see its members. A series shared with "
                  "you arrives with the first sync after you accept its convenor below.");
        ImGui::PopTextWrapPos();
      } else {
        ImGui::PushFont(ctx.fonts->heading);
        ui::Shaped(ctx.shaper, loaded_->series_title);
        ImGui::PopFont();
        draw_members(ctx);
      }
      draw_actions(ctx);
      ImGui::EndChild();
      ImGui::SameLine();
      ImGui::BeginChild("##team-right", ImVec2(right_w, 0));
      draw_identity(ctx);
      ImGui::EndChild();
    }
  }
  ImGui::End();
}

void TeamView::draw_members(UiContext& ctx) {
  const Loaded& l = *loaded_;
  if (!l.team) {
    ImGui::PushTextWrapPos(0);
    ui::Muted("This series is not shared. Sharing it makes this vault its convenor: you add the other organizers by "
              "the identity file they give you and the fingerprint they read out to you in person.");
    ImGui::PopTextWrapPos();
    if (ui::PrimaryButton("Share this series with a team")) {
      const std::int64_t id = l.series_id;
      act(ctx, [id](core::Vault& v) { return core::create_team(v, id); }, "The series is shared; its next sync publishes it.");
    }
    return;
  }
  const core::TeamInfo& t = *l.team;
  ImGui::TextDisabled("Epoch %lld · %s", static_cast<long long>(t.epoch),
                      t.self_is_convenor ? "this vault is the convenor" : "the convenor manages members");
  ImGui::Spacing();
  ImGui::TextUnformatted("Members");
  if (ImGui::BeginTable("##members", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("role", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 6);
    ImGui::TableSetupColumn("fingerprint", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("actions", ImGuiTableColumnFlags_WidthFixed, ImGui::GetFontSize() * 8);
    for (const auto& m : t.members) {
      ImGui::PushID(m.fingerprint.c_str());
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextColored(m.role == "convenor" ? palette::accent : palette::text, "%s", m.role.c_str());
      ImGui::TableSetColumnIndex(1);
      ImGui::PushFont(ctx.fonts->mono);
      if (m.removed_epoch) ImGui::TextDisabled("%s", m.fingerprint.c_str());
      else ImGui::TextUnformatted(m.fingerprint.c_str());
      ImGui::PopFont();
      if (m.is_self) {
        ImGui::SameLine();
        ImGui::TextDisabled("(this vault)");
      }
      if (m.removed_epoch) {
        ImGui::SameLine();
        ImGui::TextDisabled("removed");
      }
      ImGui::TableSetColumnIndex(2);
      if (ImGui::SmallButton("QR")) show_qr(m.fingerprint);
      if (t.self_is_convenor && !m.is_self && !m.removed_epoch) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Remove…")) remove_candidate_ = m.fingerprint;
      }
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  // Opened outside the rows' ID scope, where BeginPopupModal looks for it.
  if (!remove_candidate_.empty() && !ImGui::IsPopupOpen("##remove")) ImGui::OpenPopup("##remove");
  if (ImGui::BeginPopupModal("##remove", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::Text("Remove %s from the team?", remove_candidate_.c_str());
    ui::Muted("Bundles written from now on are no longer encrypted to them. They keep what they already received.");
    if (ui::PrimaryButton("Remove member")) {
      const std::int64_t id = l.series_id;
      const std::string fp = remove_candidate_;
      act(ctx, [id, fp](core::Vault& v) { return core::remove_team_member(v, id, fp); },
          "Member removed. They keep what they already received.");
      remove_candidate_.clear();
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel") || keys::named(ImGuiKey_Escape)) {
      remove_candidate_.clear();
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }

  ImGui::Spacing();
  ImGui::TextUnformatted("Devices");
  if (l.devices.empty()) {
    ui::Muted(ctx.sync && ctx.sync->folder() ? "No bundles yet." : "Choose a sync folder in Settings to see the devices.");
  } else {
    for (const auto& d : l.devices) {
      ImGui::PushFont(ctx.fonts->mono);
      ImGui::Text("%s", d.device.substr(0, 8).c_str());
      ImGui::PopFont();
      ImGui::SameLine();
      ImGui::TextDisabled("%s · %s", d.member_fingerprint.empty() ? "member not known yet" : d.member_fingerprint.c_str(),
                          lag_text(d).c_str());
    }
  }
  if (!l.digest.empty()) {
    ImGui::TextDisabled("Series digest %s…", l.digest.substr(0, 16).c_str());
    ImGui::SameLine();
    ui::HelpMarker("Two vaults that applied the same bundles show the same digest (`sync status` prints it whole).");
  }

  if (!l.pending.empty()) {
    ImGui::Spacing();
    ImGui::TextColored(palette::warn, "Waiting for a second member");
    for (const auto& p : l.pending) {
      ImGui::PushID(p.change.c_str());
      ImGui::Text("%s: %s → %s", p.field.c_str(), p.from.c_str(), p.to.c_str());
      ImGui::SameLine();
      ImGui::TextDisabled("by %s", p.author_fingerprint.c_str());
      if (p.confirmable_here) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Confirm")) {
          const std::string change = p.change;
          act(ctx, [change](core::Vault& v) { return core::confirm_change(v, change); },
              "Confirmed: the change takes effect and travels with the next sync.");
        }
      } else {
        ImGui::SameLine();
        ImGui::TextDisabled("(another member confirms)");
      }
      ImGui::PopID();
    }
  }
}

void TeamView::draw_actions(UiContext& ctx) {
  const Loaded& l = *loaded_;
  // A convenor's own team, or a team whose convenor was accepted, needs no accepting; a vault
  // that is not in this series' team yet (or sees bundles waiting) does.
  const bool waiting = ctx.sync && !ctx.sync->status().signers_to_accept.empty();
  const bool adds = l.team && l.team->self_is_convenor, accepts = !l.team || waiting;
  if (!adds && !accepts) return;
  ImGui::Spacing();
  ImGui::Separator();
  if (adds) {
    ImGui::TextUnformatted("Add a member");
    ImGui::PushTextWrapPos(0);
    ui::Muted("Their identity file (what their team panel's \"Save…\" or `identity --json` writes), and the fingerprint they read out to "
              "you in person. Nothing is added unless the two agree.");
    ImGui::PopTextWrapPos();
    PathField("identity", identity_file_, picker_, FilePicker::Mode::open_file, "Choose the member's identity file",
              "identity file (JSON)");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
    ImGui::InputTextWithHint("##add-fp", "fingerprint read out in person", &add_fingerprint_);
    ImGui::SameLine();
    if (ui::PrimaryButton("Add member", !identity_file_.empty() && !add_fingerprint_.empty(),
                          "Choose their identity file and type their fingerprint")) {
      const std::int64_t id = l.series_id;
      act(ctx,
          [id, file = identity_file_, fp = add_fingerprint_](core::Vault& v) -> bc::Status {
            BC_ASSIGN(std::string text, read_identity_file(file));
            BC_ASSIGN(core::MemberIdentity member, core::parse_member_identity(text));
            BC_ASSIGN(std::string expected, core::normalize_fingerprint(fp));
            return core::add_team_member(v, id, member, expected);
          },
          "Member added. The next sync gives them the series as a snapshot.");
      add_fingerprint_.clear();
    }
    ImGui::Spacing();
  }
  if (!accepts) return;
  ImGui::TextUnformatted("Accept a convenor");
  ImGui::PushTextWrapPos(0);
  ui::Muted("Trusts the convenor's key for this team's bundles only, once you compared their fingerprint in person.");
  ImGui::PopTextWrapPos();
  if (ctx.sync)
    for (const auto& fp : ctx.sync->status().signers_to_accept)
      ImGui::TextColored(palette::warn, "Bundles signed by %s wait for your acceptance.", fp.c_str());
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 16);
  ImGui::InputTextWithHint("##accept-fp", "their fingerprint", &accept_fingerprint_);
  ImGui::SameLine();
  if (ui::Button("Accept", !accept_fingerprint_.empty(), "Type the fingerprint they read out")) {
    act(ctx,
        [fp = accept_fingerprint_](core::Vault& v) -> bc::Status {
          BC_ASSIGN(std::string normalized, core::normalize_fingerprint(fp));
          return core::accept_team_signer(v, normalized);
        },
        "Accepted. Their bundles are applied from the next sync on.");
    accept_fingerprint_.clear();
  }
}

void TeamView::draw_identity(UiContext& ctx) {
  const Loaded& l = *loaded_;
  ImGui::TextUnformatted("This vault");
  ImGui::PushFont(ctx.fonts->mono);
  ImGui::TextColored(palette::accent, "%s", l.fingerprint.c_str());
  ImGui::PopFont();
  // What `identity --json` prints: public keys only, for the convenor's "Add member".
  const std::string identity =
      nlohmann::ordered_json{{"recipient", l.recipient}, {"signing_key", l.signing_key}, {"fingerprint", l.fingerprint}}.dump(2) + "\n";
  if (ImGui::SmallButton("Copy my identity")) {
    ctx.clipboard.copy(identity, ctx.now);
    ctx.toast("Identity copied (as `identity --json` prints it). The clipboard is cleared in 30 seconds.");
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("Save…")) save_picker_.open(FilePicker::Mode::save_file, "Save my identity", "identity.json");
  if (save_picker_.Draw()) {
    const auto& path = save_picker_.chosen();
    std::error_code ec;
    if (std::filesystem::exists(path, ec) && !save_picker_.replace_confirmed(path))
      error_ = "the file exists already";
    else if (auto st = files::write_file_atomically(path, identity); !st)
      error_ = describe(st.error());
    else
      ctx.toast("Identity saved. Give the file to the convenor and read your fingerprint out to them.");
  }
  ImGui::SameLine();
  if (ImGui::SmallButton("QR##self")) show_qr(l.fingerprint);
  ImGui::Spacing();
  if (qr_.size > 0) {
    ImGui::TextDisabled("QR of");
    ImGui::PushFont(ctx.fonts->mono);
    ImGui::TextUnformatted(qr_of_.c_str());
    ImGui::PopFont();
    const float avail = ImGui::GetContentRegionAvail().x;
    const float module = std::max(2.0f, std::floor(avail / static_cast<float>(qr_.size + 8)));
    ui::Qr(qr_, module);
  }
}

void TeamView::Clear() {
  if (loaded_) wipe_string(loaded_->series_title);
  loaded_.reset();
  loaded_series_ = 0;
  loaded_rounds_ = 0;
  stale_ = false;
  loading_ = false;
  error_.clear();
  qr_ = {};
  qr_of_.clear();
  identity_file_.clear();
  add_fingerprint_.clear();
  accept_fingerprint_.clear();
  picker_.clear();
  save_picker_.clear();
  remove_candidate_.clear();
}

bool TeamView::DebugContains(std::string_view needle) const {
  return (loaded_ && holds(loaded_->series_title, needle)) || holds(error_, needle);
}

}  // namespace bc::gui
