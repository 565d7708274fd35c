// Files for background tasks: the shared InputFile and OutputFile (errors_and_files) with the
// task's progress and cancellation. A cancelled task's reader or writer fails, so the core
// abandons the work (an import rolls back, an export's temporary file is removed).
#pragma once

#include "backchannel/files/file_streams.h"
#include "backchannel/gui/task_runner.h"

namespace bc::gui {

/// Reads from `in`, counting bytes into `progress` (whose total becomes the file size) and
/// failing once progress.cancelled is set. `in` must outlive the function.
files::ReadFn progress_reader(files::InputFile& in, TaskProgress& progress);

/// Writes to `out`, failing once progress.cancelled is set (bytes are not counted: a task's
/// progress is its input). `out` must outlive the function.
files::WriteFn cancellable_writer(files::OutputFile& out, TaskProgress& progress);

}  // namespace bc::gui
