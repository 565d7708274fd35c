#include "backchannel/gui/file_io.h"

namespace bc::gui {

files::ReadFn progress_reader(files::InputFile& in, TaskProgress& progress) {
  progress.total = in.size();
  return [&in, &progress](std::span<std::uint8_t> buf) -> Result<std::size_t> {
    if (progress.cancelled) return fail(ErrorCode::io, "cancelled");
    BC_ASSIGN(std::size_t n, in.read(buf));
    progress.done += n;
    return n;
  };
}

files::WriteFn cancellable_writer(files::OutputFile& out, TaskProgress& progress) {
  return [&out, &progress](std::span<const std::uint8_t> bytes) -> Status {
    if (progress.cancelled) return fail(ErrorCode::io, "cancelled");
    return out.write(bytes);
  };
}

}  // namespace bc::gui
