// The joint paper editor (docs/user-guide.md, "From a round to officials"): the papers of the
// selected meeting's series; each section with an English field and a Persian field, the Persian
// shaped right to left beside its field (ImGui 1.86 edits it unshaped), the stale-language mark;
// approval; a registered copy by one of the three channels; the register; and tracing a leaked
// text, with the warning that two recipients comparing copies can remove the marks. Copies and
// traces run on a worker over a second vault connection.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/papers.h"
#include "backchannel/gui/file_picker.h"
#include "backchannel/gui/secret_field.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class PaperView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

  /// The paper shown (0: none).
  std::int64_t paper() const { return paper_; }
  /// The last trace's verdict line ("copy LABEL confidence P" or "cannot tell"), empty before one.
  const std::string& trace_verdict() const { return trace_verdict_; }

 private:
  void reload(UiContext& ctx);
  void load_section(std::size_t index);
  void save_section(UiContext& ctx);
  void draw_sections(UiContext& ctx);
  void draw_copies(UiContext& ctx);
  void draw_trace(UiContext& ctx);
  void start_copy(UiContext& ctx, const std::filesystem::path& path);
  void start_trace(UiContext& ctx);
  const core::Paper* current() const;
  void wipe_papers();

  std::int64_t series_ = 0;
  std::string series_title_;
  std::int64_t paper_ = 0;
  std::int64_t shown_paper_ = 0;  // the paper whose first section was loaded
  std::vector<core::Paper> papers_;
  std::vector<core::PaperCopy> copies_;
  std::size_t points_ = 0;
  std::uint64_t revision_ = 0;
  std::string new_title_;
  // The section being edited: its index in the paper, or npos for a new one.
  std::size_t section_ = static_cast<std::size_t>(-1);
  std::string en_, fa_;
  // Copies.
  std::string label_;
  int channel_ = 2;  // core::CopyChannel: age, passphrase, print
  std::string recipient_;
  SecretField passphrase_{256};
  int audience_ = 1;  // core::Audience: participants, public
  int format_ = 0;    // core::PaperFormat
  bool numbered_ = false;
  int copy_n_ = 1, copy_m_ = 1;
  FilePicker picker_;
  std::shared_ptr<TaskProgress> copying_;
  // Trace.
  std::string leak_;
  std::shared_ptr<TaskProgress> tracing_;
  std::string trace_verdict_;
  std::vector<std::string> trace_lines_;
  std::string error_;
};

}  // namespace bc::gui
