#include "backchannel/gui/keys_view.h"

#include <imgui.h>

#include <cstdio>

#include "backchannel/core/vault.h"
#include "backchannel/gui/error_text.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"

namespace bc::gui {

namespace {

std::string describe_cost(const core::KdfCost& c) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%llu MiB, %llu passes", static_cast<unsigned long long>(c.memlimit >> 20),
                static_cast<unsigned long long>(c.opslimit));
  std::string s = buf;
  if (c.profile) {
    switch (*c.profile) {
      case core::KdfProfile::interactive: s += " (interactive: for tests only)"; break;
      case core::KdfProfile::moderate: s += " (moderate)"; break;
      case core::KdfProfile::sensitive: s += " (sensitive)"; break;
    }
  }
  return s;
}

std::string auth_or_describe(const Error& e) {
  return e.code == ErrorCode::auth_failed ? "The current passphrase is wrong." : describe(e);
}

}  // namespace

void KeysView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::keys);
  if (!open) {
    if (!running_ && code_.empty() && (!current_.empty() || !next_.empty() || !again_.empty())) Clear();
    return;
  }
  if (ctx.vault == nullptr) return;
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 34, ImGui::GetFontSize() * 40));
  if (ctx.take_focus(Window::keys)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("Vault keys", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    if (!code_.empty()) {
      draw_code(ctx);
      ImGui::End();
      return;
    }
    close_on_escape(open);
    ImGui::BeginDisabled(running_);
    ImGui::TextUnformatted("Current passphrase");
    current_.Draw("##keys-current", -1);
    ImGui::EndDisabled();
    ui::ErrorText(error_);
    const bool have_current = !current_.empty() && !running_;

    ImGui::Spacing();
    ImGui::Separator();
    ImGui::PushFont(ctx.fonts->bold);
    ImGui::TextUnformatted("Recovery code");
    ImGui::PopFont();
    ui::Muted("A new code replaces the old one, which stops working at once.");
    if (ui::PrimaryButton("Make a new recovery code", have_current, "Type the current passphrase first"))
      start_new_code(ctx);

    ImGui::Spacing();
    ImGui::Separator();
    ImGui::PushFont(ctx.fonts->bold);
    ImGui::TextUnformatted("Passphrase cost (Argon2id)");
    ImGui::PopFont();
    // After a raise, the cost read by the connection that made it (the app's own connection
    // still holds the key file it opened).
    auto cost = raised_ ? Result<core::KdfCost>(*raised_) : ctx.vault->passphrase_cost();
    const std::string now_cost = cost ? describe_cost(*cost) : describe(cost.error());
    ImGui::Text("Now: %s", now_cost.c_str());
    ImGui::RadioButton("moderate (256 MiB)", &profile_, static_cast<int>(core::KdfProfile::moderate));
    ImGui::SameLine();
    ImGui::RadioButton("sensitive (1 GiB, slower unlock)", &profile_, static_cast<int>(core::KdfProfile::sensitive));
    static const std::uint64_t memory[] = {crypto::argon2id_params(core::KdfProfile::interactive).memlimit,
                                           crypto::argon2id_params(core::KdfProfile::moderate).memlimit,
                                           crypto::argon2id_params(core::KdfProfile::sensitive).memlimit};
    const bool higher = cost && cost->memlimit < memory[profile_];
    if (ui::PrimaryButton("Raise the cost", have_current && higher,
                          higher ? "Type the current passphrase first" : "The vault already has this cost or more"))
      start_raise_cost(ctx);

    ImGui::Spacing();
    ImGui::Separator();
    ImGui::PushFont(ctx.fonts->bold);
    ImGui::TextUnformatted("Re-key the vault");
    ImGui::PopFont();
    ImGui::PushTextWrapPos(0);
    ui::Muted("A new master key: the database is re-encrypted, the old key slots are destroyed and a new recovery "
              "code is shown once. An old copy of vault.keys then opens nothing written under the new key. The "
              "vault locks while this runs and opens again by itself.");
    ImGui::PopTextWrapPos();
    ImGui::BeginDisabled(running_);
    ImGui::TextUnformatted("New passphrase (leave empty to keep the current one)");
    next_.Draw("##keys-next", -1);
    if (next_.edited() || next_.empty()) strength_ = estimate_strength(next_.c_str());
    if (!next_.empty()) {
      ImGui::TextColored(strength_.strong_enough() ? palette::ok : palette::danger, "%s", strength_.label);
      ImGui::SameLine();
      ui::Muted(strength_.advice);
    }
    ImGui::TextUnformatted("Repeat the new passphrase");
    again_.Draw("##keys-again", -1);
    ImGui::EndDisabled();
    const bool match = next_.empty() || next_.equals(again_);
    if (!next_.empty() && !again_.empty() && !match) ImGui::TextColored(palette::danger, "The two passphrases differ.");
    const bool next_ok = next_.empty() || (match && strength_.strong_enough());
    if (running_) {
      ui::Spinner(ImGui::GetFontSize() * 0.5f, palette::accent);
      ImGui::SameLine();
      ui::Muted("Working…");
    } else if (ui::PrimaryButton("Re-key the vault", have_current && next_ok,
                                 "Type the current passphrase (and a strong new one twice, if you change it)")) {
      start_rekey(ctx);
    }
  }
  ImGui::End();
}

void KeysView::draw_code(UiContext& ctx) {
  ImGui::PushTextWrapPos(0);
  ImGui::PushFont(ctx.fonts->bold);
  ImGui::TextUnformatted("Your new recovery code");
  ImGui::PopFont();
  ImGui::TextUnformatted(code_reason_.c_str());
  ImGui::TextUnformatted("Write it down on paper now and keep it away from this computer. It is shown only this once; "
                         "the old code no longer works.");
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  // Drawn straight from secure memory: no std::string copy.
  ImGui::PushFont(ctx.fonts->mono);
  const char* b = reinterpret_cast<const char*>(code_.data());
  ImGui::TextUnformatted(b, b + code_.size());
  ImGui::PopFont();
  ImGui::Spacing();
  ImGui::Checkbox("I have written it down", &written_down_);
  if (ui::PrimaryButton("Done", written_down_, "Confirm that you wrote the code down")) {
    code_ = crypto::SecureBuffer();
    written_down_ = false;
    ctx.open(Window::keys) = false;
  }
}

void KeysView::start_new_code(UiContext& ctx) {
  error_.clear();
  auto current = std::make_shared<crypto::SecureBuffer>(current_.copy());
  current_.clear();
  const std::filesystem::path dir = ctx.vault_dir;
  const std::uint64_t session = ctx.session;
  running_ = true;
  ctx.tasks.run("recovery code", [this, &ctx, current, dir, session](TaskProgress&) -> TaskRunner::Continuation {
    // Opening with the current passphrase proves it; the new slot goes through that connection.
    auto v = core::Vault::open(dir, *current);
    current->clear();
    auto made = v ? v->new_recovery_code() : Result<crypto::SecureBuffer>(v.error());
    if (v) v->lock();
    auto r = std::make_shared<Result<crypto::SecureBuffer>>(std::move(made));
    return [this, &ctx, r, session] {
      running_ = false;
      if (session != ctx.session) return;
      if (!*r) {
        error_ = auth_or_describe(r->error());
        return;
      }
      code_ = std::move(r->value());
      code_reason_ = "A new recovery code was made; the passphrase is unchanged.";
    };
  });
}

void KeysView::start_raise_cost(UiContext& ctx) {
  error_.clear();
  auto current = std::make_shared<crypto::SecureBuffer>(current_.copy());
  current_.clear();
  const auto profile = static_cast<core::KdfProfile>(profile_);
  const std::filesystem::path dir = ctx.vault_dir;
  const std::uint64_t session = ctx.session;
  running_ = true;
  ctx.tasks.run("kdf cost", [this, &ctx, current, profile, dir, session](TaskProgress&) -> TaskRunner::Continuation {
    auto v = core::Vault::open(dir, *current);
    Status st = v ? v->change_passphrase(*current, profile) : Status(v.error());
    current->clear();
    auto cost = std::make_shared<std::optional<core::KdfCost>>();
    if (st.ok())
      if (auto c = v->passphrase_cost()) *cost = *c;
    if (v) v->lock();
    auto s = std::make_shared<Status>(std::move(st));
    return [this, &ctx, s, cost, session] {
      running_ = false;
      if (session != ctx.session) return;
      if (!s->ok()) {
        error_ = auth_or_describe(s->error());
        return;
      }
      raised_ = *cost;
      ctx.toast("The passphrase slot now has the higher Argon2id cost. The passphrase is unchanged.");
    };
  });
}

void KeysView::start_rekey(UiContext& ctx) {
  error_.clear();
  auto current = std::make_shared<crypto::SecureBuffer>(current_.copy());
  auto next = next_.empty() ? nullptr : std::make_shared<crypto::SecureBuffer>(next_.copy());
  const std::filesystem::path dir = ctx.vault_dir;
  // The rekey needs the vault to itself: lock first (tasks ended, connections closed, views
  // cleared, this one too), then re-key on a worker.
  ctx.lock_for("Re-keying the vault. It opens again by itself when this is done.");
  const std::uint64_t session = ctx.session;
  running_ = true;
  ctx.tasks.run("rekey", [this, &ctx, current, next, dir, session](TaskProgress&) -> TaskRunner::Continuation {
    core::RekeyOptions o;
    o.new_passphrase = next.get();
    auto outcome = std::make_shared<core::RekeyOutcome>();
    auto v = core::Vault::rekey(dir, *current, o, *outcome);
    auto error = std::make_shared<std::string>();
    if (!v && !outcome->committed) {
      // Nothing changed: open it again as it was, and say why.
      *error = auth_or_describe(v.error());
      v = core::Vault::open(dir, *current);
    } else if (!v) {
      *error = "The vault was re-keyed, but could not be opened again: " + describe(v.error()) +
               " Unlock it with the " + (next ? "new" : "current") + " passphrase.";
    }
    current->clear();
    if (next) next->clear();
    auto vault = v ? std::make_shared<core::Vault>(std::move(*v)) : nullptr;
    return [this, &ctx, vault, outcome, error, dir, session] {
      running_ = false;
      if (session != ctx.session) return;  // locked again meanwhile: the vault closes here
      error_ = *error;
      if (outcome->committed) {
        code_ = std::move(outcome->recovery_code);
        code_reason_ = "The vault was re-keyed: new master key, database re-encrypted, old key slots destroyed.";
      }
      if (vault) ctx.adopt_vault(vault, dir);
      ctx.show(Window::keys);
    };
  });
}

void KeysView::Clear() {
  current_.clear();
  next_.clear();
  again_.clear();
  strength_ = {};
  error_.clear();
  raised_.reset();
  if (!running_) {
    code_ = crypto::SecureBuffer();
    written_down_ = false;
  }
}

bool KeysView::DebugContains(std::string_view needle) const {
  if (holds(error_, needle)) return true;
  const std::string_view code(reinterpret_cast<const char*>(code_.data()), code_.size());
  return !needle.empty() && code.find(needle) != std::string_view::npos;
}

}  // namespace bc::gui
