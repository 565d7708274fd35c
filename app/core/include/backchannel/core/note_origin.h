// Where the notes of a shared series came from: a note written on another device arrived by sync,
// and the note log marks it with that device and the team member whose key signed its bundles.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "backchannel/core/vault.h"

namespace bc::core {

/// A note that another device wrote.
struct NoteOrigin {
  std::string device;              ///< the device id (32 hex digits)
  std::string member_fingerprint;  ///< the member whose key signs that device's bundles; "" if not known here
};

/// The notes of a meeting that were first written on another device (not this vault's, nor a
/// device it was before a re-enrolment), by note id. Notes written here are absent.
Result<std::unordered_map<std::int64_t, NoteOrigin>> notes_from_other_devices(Vault& vault, std::int64_t meeting_id);

}  // namespace bc::core
