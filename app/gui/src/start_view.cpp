#include "backchannel/gui/start_view.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <cmath>

#include "backchannel/core/demo_vault.h"
#include "backchannel/gui/keys.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"

namespace bc::gui {

namespace {

const char* kProfiles[] = {"Interactive (64 MiB, fastest)", "Moderate (256 MiB, recommended)", "Sensitive (1 GiB, slowest)"};

float card_width() { return ImGui::GetFontSize() * 30.0f; }

}  // namespace

void StartView::set_folder(const std::string& dir) { folder_ = dir; }

float StartView::shake_offset(double now) const {
  const double t = now - shake_started_;
  if (t < 0 || t > kShakeSeconds) return 0.0f;
  const double decay = 1.0 - t / kShakeSeconds;
  return static_cast<float>(std::sin(t * 55.0) * 9.0 * decay);
}

void StartView::Draw(UiContext& ctx) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  ImGui::Begin("##start", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoBringToFrontOnFocus);
  const float w = std::min(card_width(), vp->WorkSize.x - 40.0f);
  ImGui::SetCursorPos(ImVec2((vp->WorkSize.x - w) * 0.5f, std::max(30.0f, vp->WorkSize.y * 0.12f)));
  ImGui::BeginGroup();
  ImGui::PushFont(ctx.fonts->heading);
  ImGui::TextUnformatted("Backchannel");
  ImGui::PopFont();
  ui::Muted("An encrypted notebook for confidential dialogues.");
  ImGui::Dummy(ImVec2(w, ImGui::GetFontSize() * 0.6f));
  if (!ctx.fonts->warning.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
    ImGui::TextColored(palette::warn, "%s", ctx.fonts->warning.c_str());
    ImGui::PopTextWrapPos();
  }

  if (created_) {
    draw_recovery_code(ctx);
  } else {
    // The three modes, as a segmented control.
    const char* labels[] = {"Open a vault", "Create a vault", "Recover"};
    const float seg = (w - ImGui::GetStyle().ItemSpacing.x * 2) / 3.0f;
    for (int i = 0; i < 3; ++i) {
      if (i > 0) ImGui::SameLine();
      const bool on = static_cast<int>(mode_) == i;
      if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_Header));
      if (ImGui::Button(labels[i], ImVec2(seg, 0)) && !working_) {
        mode_ = static_cast<Mode>(i);
        error_.clear();
        pass_.clear();
        pass_again_.clear();
        code_.clear();
      }
      if (on) ImGui::PopStyleColor();
    }
    ImGui::Dummy(ImVec2(w, ImGui::GetFontSize() * 0.4f));
    ImGui::PushItemWidth(w);
    ImGui::BeginChild("##form", ImVec2(w, 0), false, ImGuiWindowFlags_NoScrollbar);
    switch (mode_) {
      case Mode::open: draw_open(ctx); break;
      case Mode::create: draw_create(ctx); break;
      case Mode::recover: draw_recover(ctx); break;
    }
    ImGui::EndChild();
    ImGui::PopItemWidth();
  }
  ImGui::EndGroup();
  ImGui::End();
}

void StartView::draw_open(UiContext& ctx) {
  ImGui::TextUnformatted("Vault folder");
  PathField("vault", folder_, picker_, FilePicker::Mode::folder, "Choose the vault folder", "e.g. ~/dialogues.vault");
  if (ctx.settings.remember_recent && !ctx.settings.recent_vaults.empty()) {
    ui::Muted("Recent");
    for (const auto& r : ctx.settings.recent_vaults) {
      ImGui::PushID(r.c_str());
      if (ImGui::Selectable(r.c_str(), r == folder_)) folder_ = r;
      ImGui::PopID();
    }
  }
  ImGui::Spacing();
  ImGui::TextUnformatted("Passphrase");
  const float shake = shake_offset(ctx.now);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + shake);
  ImGui::BeginDisabled(working_);
  const bool enter = pass_.Draw("##pass", 0, nullptr);
  ImGui::EndDisabled();
  if (!error_.empty()) ui::ErrorText(error_);
  // Ticked by default once the user has chosen to remember vault folders (Settings, or this box
  // before); their own click on it wins.
  if (!remember_clicked_) remember_ = ctx.settings.remember_recent;
  if (ImGui::Checkbox("Remember this folder on this computer", &remember_)) remember_clicked_ = true;
  ImGui::SameLine();
  ui::HelpMarker("Keeps only the folder's path in Backchannel's settings, so that it is offered next time. "
                 "Nothing else about the vault is stored outside it.");
  ImGui::Spacing();
  if (working_) {
    ui::Spinner(ImGui::GetFontSize() * 0.6f, palette::accent);
    ImGui::SameLine();
    ui::Muted("Unlocking… (deriving the key takes a moment)");
  } else if (ui::PrimaryButton("Unlock", !folder_.empty() && !pass_.empty(), "Choose a folder and type the passphrase",
                               ImVec2(ImGui::GetFontSize() * 8, 0)) ||
             (enter && !folder_.empty() && !pass_.empty())) {
    start_unlock(ctx);
  }
}

void StartView::draw_strength(const SecretField& field) {
  if (field.edited()) strength_ = estimate_strength(field.c_str());
  if (field.empty()) strength_ = estimate_strength("");
  const float w = ImGui::GetContentRegionAvail().x;
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float h = ImGui::GetFontSize() * 0.35f;
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec4 colors[] = {palette::danger, palette::danger, palette::warn, palette::ok, palette::ok};
  const float seg = (w - 4 * 4.0f) / 5.0f;
  for (int i = 0; i < 5; ++i) {
    const bool lit = !field.empty() && i <= strength_.score;
    const float x = pos.x + static_cast<float>(i) * (seg + 4.0f);
    dl->AddRectFilled(ImVec2(x, pos.y), ImVec2(x + seg, pos.y + h),
                      ImGui::GetColorU32(lit ? colors[strength_.score] : ImGui::GetStyleColorVec4(ImGuiCol_FrameBg)), h * 0.5f);
  }
  ImGui::Dummy(ImVec2(w, h));
  if (!field.empty()) {
    ImGui::TextColored(colors[strength_.score], "%s", strength_.label);
    ImGui::SameLine();
    ui::Muted(strength_.advice);
  } else {
    ui::Muted(strength_.advice);
  }
}

void StartView::draw_create(UiContext& ctx) {
  ImGui::TextUnformatted("New vault folder");
  PathField("vault", folder_, picker_, FilePicker::Mode::folder, "Choose where the new vault goes",
            "a new or empty folder");
  ImGui::Spacing();
  ImGui::TextUnformatted("Passphrase");
  ImGui::BeginDisabled(working_);
  pass_.Draw("##pass", 0);
  draw_strength(pass_);
  ImGui::TextUnformatted("Repeat the passphrase");
  const bool enter = pass_again_.Draw("##again", 0);
  const bool match = pass_.equals(pass_again_);
  if (!pass_again_.empty() && !match) ImGui::TextColored(palette::danger, "The two passphrases differ.");
  ImGui::Spacing();
  int p = static_cast<int>(profile_);
  ImGui::TextUnformatted("Key derivation cost");
  ImGui::SameLine();
  ui::HelpMarker("Argon2id makes every guess of the passphrase cost this much memory and time. "
                 "Moderate takes about half a second to unlock on a laptop.");
  if (ImGui::Combo("##kdf", &p, kProfiles, 3)) profile_ = static_cast<core::KdfProfile>(p);
  ImGui::Checkbox("Fill it with the fictional demo dialogue", &fill_demo_);
  ImGui::EndDisabled();
  if (!error_.empty()) ui::ErrorText(error_);
  ImGui::Spacing();
  const bool strong = strength_.bits >= kMinimumPassphraseBits;
  const bool ready = !folder_.empty() && !pass_.empty() && match && strong;
  const char* why = folder_.empty() ? "Choose a folder"
                    : !strong       ? "The passphrase is too easy to guess"
                    : !match        ? "Type the same passphrase twice"
                                    : nullptr;
  if (working_) {
    ui::Spinner(ImGui::GetFontSize() * 0.6f, palette::accent);
    ImGui::SameLine();
    ui::Muted("Creating the vault…");
  } else if (ui::PrimaryButton("Create vault", ready, why, ImVec2(ImGui::GetFontSize() * 8, 0)) || (enter && ready)) {
    start_create(ctx);
  }
}

void StartView::draw_recover(UiContext& ctx) {
  ImGui::TextUnformatted("Vault folder");
  PathField("vault", folder_, picker_, FilePicker::Mode::folder, "Choose the vault folder", "the vault to recover");
  ImGui::Spacing();
  ImGui::TextUnformatted("Recovery code");
  ImGui::SameLine();
  ui::HelpMarker("The code shown once when the vault was created. It stays valid after this.");
  ImGui::BeginDisabled(working_);
  const float shake = shake_offset(ctx.now);
  ImGui::SetCursorPosX(ImGui::GetCursorPosX() + shake);
  ImGui::PushFont(ctx.fonts->mono);
  code_.Draw("##code", ImGui::GetContentRegionAvail().x - ImGui::GetFontSize() * 5, nullptr, reveal_code_);
  ImGui::PopFont();
  ImGui::SameLine();
  ImGui::Checkbox("Show", &reveal_code_);
  ImGui::TextUnformatted("New passphrase");
  pass_.Draw("##pass", 0);
  draw_strength(pass_);
  ImGui::TextUnformatted("Repeat the new passphrase");
  const bool enter = pass_again_.Draw("##again", 0);
  ImGui::EndDisabled();
  const bool match = pass_.equals(pass_again_);
  if (!pass_again_.empty() && !match) ImGui::TextColored(palette::danger, "The two passphrases differ.");
  if (!error_.empty()) ui::ErrorText(error_);
  ImGui::Spacing();
  const bool ready = !folder_.empty() && !code_.empty() && !pass_.empty() && match &&
                     strength_.bits >= kMinimumPassphraseBits;
  if (working_) {
    ui::Spinner(ImGui::GetFontSize() * 0.6f, palette::accent);
    ImGui::SameLine();
    ui::Muted("Checking the recovery code…");
  } else if (ui::PrimaryButton("Set the new passphrase", ready, "Fill in every field", ImVec2(ImGui::GetFontSize() * 11, 0)) ||
             (enter && ready)) {
    start_recover(ctx);
  }
}

void StartView::draw_recovery_code(UiContext& ctx) {
  const float w = card_width();
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + w);
  ImGui::PushFont(ctx.fonts->bold);
  ImGui::TextUnformatted("Your recovery code");
  ImGui::PopFont();
  ImGui::TextUnformatted(
      "Write it down on paper now and keep it away from this computer. It is shown only this once. "
      "With it, anyone can open the vault; without it, a forgotten passphrase means the vault is lost.");
  ImGui::PopTextWrapPos();
  ImGui::Spacing();
  // Drawn straight from secure memory: no std::string copy.
  ImGui::PushFont(ctx.fonts->mono);
  const ImVec2 size = ImGui::CalcTextSize(reinterpret_cast<const char*>(created_->code.data()),
                                          reinterpret_cast<const char*>(created_->code.data()) + created_->code.size());
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(pos.x - 8, pos.y - 6), ImVec2(pos.x + size.x + 8, pos.y + size.y + 6),
                                            ImGui::GetColorU32(ImGuiCol_FrameBg), 4.0f);
  ImGui::TextUnformatted(reinterpret_cast<const char*>(created_->code.data()),
                         reinterpret_cast<const char*>(created_->code.data()) + created_->code.size());
  ImGui::PopFont();
  ImGui::Dummy(ImVec2(w, 8));
  ImGui::Checkbox("I have written it down", &written_down_);
  ImGui::Spacing();
  if (ui::PrimaryButton("Continue", written_down_, "Confirm that you wrote the code down",
                        ImVec2(ImGui::GetFontSize() * 8, 0)))
    confirm_recovery_code(ctx);
}

void StartView::confirm_recovery_code(UiContext& ctx) {
  if (!created_ || !written_down_) return;
  auto vault = std::move(created_->vault);
  const std::string dir = created_->dir;
  created_.reset();  // wipes the code (SecureBuffer)
  written_down_ = false;
  ctx.settings.remember_vault(dir);
  if (ctx.save_settings) ctx.save_settings();
  ctx.adopt_vault(std::move(vault), dir);
}

void StartView::submit(UiContext& ctx) {
  switch (mode_) {
    case Mode::open: start_unlock(ctx); break;
    case Mode::create: start_create(ctx); break;
    case Mode::recover: start_recover(ctx); break;
  }
}

void StartView::start_unlock(UiContext& ctx) {
  if (working_ || folder_.empty() || pass_.empty()) return;
  working_ = true;
  error_.clear();
  auto pass = std::make_shared<crypto::SecureBuffer>(pass_.copy());
  pass_.clear();
  const std::string dir = folder_;
  const bool remember = remember_;
  const std::uint64_t session = ctx.session;
  ctx.tasks.run("unlock", [this, &ctx, pass, dir, remember, session](TaskProgress&) -> TaskRunner::Continuation {
    auto opened = std::make_shared<Result<core::Vault>>(core::Vault::open(dir, *pass));
    pass->clear();
    return [this, &ctx, opened, dir, remember, session] {
      working_ = false;
      if (session != ctx.session) return;
      if (!opened->ok()) {
        // Every authentication failure is one message, and nothing else is said.
        error_ = opened->error().code == ErrorCode::auth_failed ? "Wrong passphrase." : describe(opened->error());
        shake_started_ = ctx.now;
        pass_.focus();
        return;
      }
      if (remember) {
        if (!ctx.settings.remember_recent) ctx.settings.remember_recent = true;
        ctx.settings.remember_vault(dir);
        if (ctx.save_settings) ctx.save_settings();
      }
      ctx.adopt_vault(std::make_shared<core::Vault>(std::move(opened->value())), dir);
    };
  });
}

void StartView::start_create(UiContext& ctx) {
  if (working_ || folder_.empty() || pass_.empty() || !pass_.equals(pass_again_)) return;
  working_ = true;
  error_.clear();
  auto pass = std::make_shared<crypto::SecureBuffer>(pass_.copy());
  pass_.clear();
  pass_again_.clear();
  const std::string dir = folder_;
  const auto profile = profile_;
  const bool demo = fill_demo_;
  const std::uint64_t session = ctx.session;
  ctx.tasks.run("create", [this, &ctx, pass, dir, profile, demo, session](TaskProgress&) -> TaskRunner::Continuation {
    auto created = std::make_shared<Result<core::Vault::Created>>(core::Vault::create(dir, *pass, profile));
    pass->clear();
    std::string demo_error;
    if (created->ok() && demo) {
      auto d = core::populate_demo(created->value().vault);
      if (!d) demo_error = describe(d.error());
    }
    return [this, &ctx, created, dir, demo_error, session] {
      working_ = false;
      if (session != ctx.session) return;
      if (!created->ok()) {
        error_ = describe(created->error());
        return;
      }
      if (!demo_error.empty()) ctx.toast("The demo content could not be added: " + demo_error, true);
      created_ = std::make_unique<Created>();
      created_->vault = std::make_shared<core::Vault>(std::move(created->value().vault));
      created_->code = std::move(created->value().recovery_code);
      created_->dir = dir;
      written_down_ = false;
    };
  });
}

void StartView::start_recover(UiContext& ctx) {
  if (working_ || folder_.empty() || code_.empty() || pass_.empty() || !pass_.equals(pass_again_)) return;
  working_ = true;
  error_.clear();
  auto code = std::make_shared<crypto::SecureBuffer>(code_.copy());
  auto pass = std::make_shared<crypto::SecureBuffer>(pass_.copy());
  code_.clear();
  pass_.clear();
  pass_again_.clear();
  const std::string dir = folder_;
  const std::uint64_t session = ctx.session;
  ctx.tasks.run("recover", [this, &ctx, code, pass, dir, session](TaskProgress&) -> TaskRunner::Continuation {
    auto r = std::make_shared<Result<core::Vault>>(core::Vault::recover(dir, code->view(), *pass));
    code->clear();
    pass->clear();
    return [this, &ctx, r, dir, session] {
      working_ = false;
      if (session != ctx.session) return;
      if (!r->ok()) {
        error_ = r->error().code == ErrorCode::auth_failed ? "Wrong recovery code." : describe(r->error());
        shake_started_ = ctx.now;
        return;
      }
      ctx.toast("The passphrase was reset. The recovery code stays valid.");
      ctx.adopt_vault(std::make_shared<core::Vault>(std::move(r->value())), dir);
    };
  });
}

void StartView::Clear() {
  pass_.clear();
  pass_again_.clear();
  code_.clear();
  created_.reset();
  written_down_ = false;
  error_.clear();
  picker_.clear();
  strength_ = {};
}

bool StartView::DebugContains(std::string_view needle) const {
  return holds(error_, needle) || pass_.view().find(needle) != std::string_view::npos;
}

}  // namespace bc::gui
