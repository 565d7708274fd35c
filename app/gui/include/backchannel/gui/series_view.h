// The series view (tab "Series"): one row per thread of the selected meeting's series across its
// rounds, as a timeline coloured by status; above it, each round's attendance as the chosen
// audience may see it, and how many threads were raised, agreed and conveyed there. Clicking a
// thread (or Up/Down) shows its history and a form that records a new status in a chosen round,
// as `thread set-status` does: 1-6 pick the status, Left/Right the round, Enter records. Rows are clipped to the visible ones, so 300 threads over 14 rounds
// cost what a screenful costs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <imgui.h>

#include "backchannel/core/series_timeline.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class SeriesView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

  // For the headless tests and the benchmark.
  void set_audience(core::Audience a) { audience_ = a; }
  core::Audience audience() const { return audience_; }
  const std::optional<core::SeriesTimeline>& timeline() const { return timeline_; }
  std::optional<std::int64_t> selected_thread() const { return selected_; }
  void select_thread(std::int64_t id) { selected_ = id; }
  /// The status and the round (a meeting id) the form would record.
  core::ThreadStatus chosen_status() const { return status_choice_; }
  std::int64_t chosen_meeting() const { return meeting_choice_; }
  /// Why the last status could not be recorded (empty when it was).
  const std::string& status_error() const { return status_error_; }
  /// Rows drawn in the last frame (the clipper leaves the others out).
  int rows_drawn() const { return rows_drawn_; }

 private:
  void reload(UiContext& ctx, std::int64_t series_id);
  void wipe();
  void draw_header(UiContext& ctx, float label_w, float cell_w);
  void draw_detail(UiContext& ctx);
  void select(UiContext& ctx, std::int64_t thread_id);
  void handle_keys(UiContext& ctx);
  void record_status(UiContext& ctx);

  core::Audience audience_ = core::Audience::participants;
  std::optional<core::SeriesTimeline> timeline_;
  std::optional<core::Thread> detail_;
  std::optional<std::int64_t> selected_;
  std::uint64_t loaded_revision_ = 0;
  std::int64_t loaded_series_ = 0;
  core::Audience loaded_audience_ = core::Audience::participants;
  std::string error_;
  core::ThreadStatus status_choice_ = core::ThreadStatus::raised;
  std::int64_t meeting_choice_ = 0;
  std::string status_error_;
  bool scroll_to_selected_ = false;
  int rows_drawn_ = 0;
};

/// The colour of a status in the timeline.
ImVec4 status_colour(core::ThreadStatus status);

}  // namespace bc::gui
