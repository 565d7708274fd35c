// Search (Ctrl+F) across every note of the vault, inside the encrypted database: case,
// diacritics and Persian/Arabic letter variants ignored. Results open the note in its meeting.
#pragma once

#include <string>
#include <vector>

#include "backchannel/core/search.h"
#include "backchannel/gui/ui_context.h"

namespace bc::gui {

class SearchView : public View {
 public:
  void Draw(UiContext& ctx);
  void Clear() override;
  bool DebugContains(std::string_view needle) const override;

  std::string& query() { return query_; }
  /// Runs the query now (the window runs it shortly after typing stops).
  void run(UiContext& ctx);
  const std::vector<core::SearchHit>& hits() const { return hits_; }

 private:
  std::string query_;
  std::string ran_;
  double edited_at_ = -1;
  std::vector<core::SearchHit> hits_;
  std::string error_;
  bool focus_ = false;
  bool was_open_ = false;
  int selected_ = 0;
};

}  // namespace bc::gui
