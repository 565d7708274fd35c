#include "backchannel/gui/age_tool_view.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include "backchannel/crypto/age.h"
#include "backchannel/gui/file_io.h"
#include "backchannel/gui/theme.h"
#include "backchannel/gui/widgets.h"
#include "backchannel/gui/wipe.h"
#include "backchannel/storage/atomic_file.h"

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
  auto in = FileSource::open(in_);
  if (!in) {
    error_ = in.error().message;
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
    auto text = storage::read_small_file(identity_file_, 1 << 20);
    if (!text) {
      error_ = text.error().message;
      return;
    }
    std::size_t start = 0;
    while (start < text->size()) {
      std::size_t nl = text->find('\n', start);
      if (nl == std::string::npos) nl = text->size();
      std::string_view line(text->data() + start, nl - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.rfind("AGE-SECRET-KEY-1", 0) == 0) {
        auto id = age::X25519Identity::parse(line);
        if (!id) {
          error_ = "The identity file holds an invalid key.";
          wipe_string(*text);
          return;
        }
        ids->emplace_back(std::move(*id));
      }
      start = nl + 1;
    }
    wipe_string(*text);
    if (ids->empty()) {
      error_ = "The identity file holds no AGE-SECRET-KEY-1… line.";
      return;
    }
  }
  auto out = FileSink::create(out_);
  if (!out) {
    error_ = out.error().message;
    return;
  }
  pass_.clear();
  std::shared_ptr<FileSource> src = std::move(*in);
  std::shared_ptr<FileSink> sink = std::move(*out);
  const bool encrypt = mode_ == 0, armor = armor_;
  const std::uint64_t session = ctx.session;
  running_ = true;
  progress_ = ctx.tasks.run("age", [this, &ctx, src, sink, keys, ids, encrypt, armor, session](TaskProgress& progress) -> TaskRunner::Continuation {
    std::string err;
    TaskProgress ignore;  // output bytes are not the progress; input bytes are
    if (encrypt) {
      age::EncryptOptions o;
      o.armor = armor;
      if (auto st = age::encrypt(*keys, src->reader(progress), sink->writer(ignore), o); !st) err = st.error().message;
    } else if (auto e = age::decrypt(*ids, src->reader(progress), sink->writer(ignore))) {
      err = e->message();
    }
    if (err.empty())
      if (auto st = sink->commit(); !st) err = st.error().message;
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
