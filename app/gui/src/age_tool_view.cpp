#include "backchannel/gui/age_tool_view.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include "backchannel/crypto/age.h"
#include "backchannel/gui/file_io.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/gui/error_text.h"
#include "backchannel/crypto/age_identity_file.h"

namespace bc::gui {

namespace age = crypto::age;

void AgeToolView::Draw(UiContext& ctx) {
  bool& open = ctx.open(Window::age_tool);
  if (!open) {
    if (!running_ && !pass_.empty()) pass_.clear();
    return;
  }
  ui::CenterNextWindow(ImVec2(ImGui::GetFontSize() * 32, ImGui::GetFontSize() * 25));
  if (ctx.take_focus(Window::age_tool)) ImGui::SetNextWindowFocus();
  if (ImGui::Begin("age encrypt / decrypt", &open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
    close_on_escape(open);
    ImGui::PushTextWrapPos(0);
    ui::Muted("Files in the standard age format (age-encryption.org/v1), readable with the age tool. No vault is involved.");
    ImGui::PopTextWrapPos();
    ImGui::RadioButton("Encrypt", &mode_, 0);
    ImGui::SameLine();
    ImGui::RadioButton("Decrypt", &mode_, 1);
    ImGui::TextUnformatted("Input file");
    PathField("in", in_, in_picker_, FilePicker::Mode::open_file, "Choose the input file");
    ImGui::TextUnformatted("Output file (must not exist)");
    PathField("out", out_, out_picker_, FilePicker::Mode::save_file, "Choose the output file");
    int with = use_passphrase_ ? 1 : 0;
    ImGui::RadioButton(mode_ == 0 ? "To recipients" : "With an identity file", &with, 0);
    ImGui::SameLine();
    ImGui::RadioButton("With a passphrase", &with, 1);
    use_passphrase_ = with == 1;
    if (use_passphrase_) {
      pass_.Draw("##pass", -1, "passphrase");
    } else if (mode_ == 0) {
      ImGui::InputTextMultiline("##recipients", &recipients_, ImVec2(-1, ImGui::GetTextLineHeight() * 3));
      ui::Muted("age1… recipients, one per line.");
    } else {
      PathField("id", identity_file_, id_picker_, FilePicker::Mode::open_file, "Choose the identity file",
                "AGE-SECRET-KEY-1… file");
    }
    if (mode_ == 0) ImGui::Checkbox("ASCII armor", &armor_);
    ui::ErrorText(error_);
    if (!result_.empty()) ImGui::TextColored(palette::ok, "%s", result_.c_str());
    if (running_ && progress_) {
      ui::Progress(*progress_, mode_ == 0 ? "Encrypting" : "Decrypting");
    } else if (ui::PrimaryButton(mode_ == 0 ? "Encrypt##run" : "Decrypt##run", !in_.empty() && !out_.empty(),
                                 "Choose the files")) {
      // "##run": the mode's radio buttons carry the same labels; with the same ID the radio
      // button, submitted first, took the mouse release and the button never fired.
      start(ctx);
    }
  }
  ImGui::End();
}

void AgeToolView::start(UiContext& ctx) {
  error_.clear();
  result_.clear();
  auto in = files::InputFile::open(in_);
  if (!in) {
    error_ = describe(in.error());
    return;
  }
  auto keys = std::make_shared<std::vector<age::Recipient>>();
  auto ids = std::make_shared<std::vector<age::Identity>>();
  if (use_passphrase_) {
    if (pass_.empty()) {
      error_ = "Type the passphrase.";
      return;
    }
    age::ScryptPassphrase p;
    p.passphrase = pass_.copy();
    if (mode_ == 0) keys->emplace_back(std::move(p));
    else ids->emplace_back(std::move(p));
  } else if (mode_ == 0) {
    std::string line;
    for (char c : recipients_ + "\n") {
      if (c == '\n' || c == ' ') {
        if (!line.empty()) {
          auto r = age::X25519Recipient::parse(line);
          if (!r) {
            error_ = "Not an age recipient: " + line;
            return;
          }
          keys->emplace_back(*r);
        }
        line.clear();
      } else if (c != '\r') {
        line.push_back(c);
      }
    }
    if (keys->empty()) {
      error_ = "Give at least one recipient.";
      return;
    }
  } else {
    auto read = age::read_identity_file(identity_file_);
    if (!read) {
      error_ = describe(read.error());
      return;
    }
    for (auto& id : *read) ids->push_back(std::move(id));
  }
  auto out = files::OutputFile::create(out_, out_picker_.replace_confirmed(out_) ? files::Overwrite::replace : files::Overwrite::refuse);
  if (!out) {
    error_ = describe(out.error());
    return;
  }
  pass_.clear();
  auto src = std::make_shared<files::InputFile>(std::move(*in));
  auto sink = std::make_shared<files::OutputFile>(std::move(*out));
  const bool encrypt = mode_ == 0, armor = armor_;
  const std::uint64_t session = ctx.session;
  running_ = true;
  progress_ = ctx.tasks.run("age", [this, &ctx, src, sink, keys, ids, encrypt, armor, session](TaskProgress& progress) -> TaskRunner::Continuation {
    std::string err;
    if (encrypt) {
      age::EncryptOptions o;
      o.armor = armor;
      if (auto st = age::encrypt(*keys, progress_reader(*src, progress), cancellable_writer(*sink, progress), o); !st) err = describe(st.error());
    } else if (auto st = age::decrypt(*ids, progress_reader(*src, progress), cancellable_writer(*sink, progress)); !st) {
      err = describe(st.error());
    }
    if (err.empty())
      if (auto st = sink->commit(); !st) err = describe(st.error());
    keys->clear();
    ids->clear();
    return [this, &ctx, err, session] {
      running_ = false;
      if (session != ctx.session) return;
      if (!err.empty()) error_ = err;
      else result_ = "Done.";
    };
  });
}

void AgeToolView::Clear() {
  pass_.clear();
  recipients_.clear();
  in_.clear();
  out_.clear();
  identity_file_.clear();
  in_picker_.clear();
  out_picker_.clear();
  id_picker_.clear();
  error_.clear();
  result_.clear();
}

}  // namespace bc::gui
