// The summary for one audience next to the raw notes it comes from: replaced spans highlighted,
// the leak scanner's verdict and the identifiability warnings in a bar above, export disabled
// while the scanner blocks. Built on a worker over a second vault connection.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/core/summary.h"
#include "backchannel/gui/file_picker.h"
#include "backchannel/gui/meeting_model.h"
#include "backchannel/gui/ui_context.h"
#include "backchannel/gui/virtual_list.h"

namespace bc::gui {

class SummaryView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

  /// What the worker produced (the notes as taken come from the meeting model).
  struct Data {
    core::Summary summary;
    std::optional<std::string> blocked;  ///< the leak scanner's (or the rule's) refusal
    std::string error;                   ///< the summary could not be built at all
    std::size_t replacements = 0;
  };
  /// Export is possible (a summary exists and the scanner let it pass).
  bool can_export() const { return data_ && !data_->blocked && data_->error.empty(); }

 private:
  void start(UiContext& ctx);
  void start_export(UiContext& ctx, const std::filesystem::path& path);
  void measure(const MeetingModel& model, float width);

  std::unique_ptr<Data> data_;
  core::Audience audience_ = core::Audience::participants;
  bool stable_ = false;
  int format_ = 0;
  std::int64_t meeting_ = 0;
  std::uint64_t revision_ = 0;
  core::Audience built_for_ = core::Audience::participants;
  bool built_stable_ = false;
  bool computing_ = false;
  bool again_ = false;
  VirtualList list_;
  float measured_width_ = -1;
  std::uint64_t measured_notes_ = 0;  ///< the model's notes_version() when measured
  FilePicker picker_;
  std::shared_ptr<TaskProgress> export_;
};

}  // namespace bc::gui
