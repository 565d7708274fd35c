// The records of a shared series as team sync sends them (docs/sync.md, "Records"): reading a
// series, meeting, participant, attendance or note out of the vault as JSON in the archive's
// shapes, checking the same records when they come from another device, and writing them (and
// the merged value of a field) into the vault through the RecordWriter, the one write path.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "backchannel/core/vault.h"
#include "record_fields.h"

namespace bc::core::sync {

/// The record a field belongs to: "meeting:<uid>", "participant:<uid>",
/// "attendance:<meeting uid>:<participant uid>".
std::string meeting_target(const std::string& meeting_uid);
std::string participant_target(const std::string& participant_uid);
std::string attendance_target(const std::string& meeting_uid, const std::string& participant_uid);

/// A target resolved to this vault's ids.
struct TargetIds {
  std::string record;  ///< "meeting", "participant" or "attendance"
  std::int64_t meeting_id = 0, participant_id = 0;
};
/// Nothing when the target is malformed or its record is not (yet) in this vault.
Result<std::optional<TargetIds>> resolve_target(Vault& vault, const std::string& target);
/// The record kind a target names ("" when malformed).
std::string target_record(const std::string& target);

/// Checks a field's value as it arrived from another device.
Status check_value(const std::string& record, const std::string& field, const nlohmann::json& value, const std::string& where);
/// A field's value as the vault holds it now (null when the record is absent).
Result<nlohmann::json> table_value(Vault& vault, const TargetIds& target, const std::string& field);
/// Writes a field's merged value through the RecordWriter (the caller decides whether the write
/// is reported).
Status write_value(Vault& vault, const TargetIds& target, const std::string& field, const nlohmann::json& value);

/// Records as read from the vault, with "fields" holding the current value of every field.
Result<nlohmann::json> series_record(Vault& vault, std::int64_t series_id);
Result<nlohmann::json> meeting_record(Vault& vault, std::int64_t meeting_id);
Result<nlohmann::json> participant_record(Vault& vault, std::int64_t participant_id);
Result<nlohmann::json> attendance_record(Vault& vault, std::int64_t meeting_id, std::int64_t participant_id);
/// A note without its revisions (`revisions` is an empty array).
Result<nlohmann::json> note_record(Vault& vault, std::int64_t note_id);

/// Threads (threads.h): a thread, one link of a note to it, one status decision.
Result<nlohmann::json> thread_record(Vault& vault, std::int64_t thread_id);
Result<nlohmann::json> thread_link_record(Vault& vault, std::int64_t thread_id, std::int64_t note_id);
Result<nlohmann::json> thread_status_record(Vault& vault, std::int64_t status_id);
/// The series uid of a thread when that series has a team.
Result<std::optional<std::string>> team_of_thread(Vault& vault, std::int64_t thread_id);

/// Inserts a record from another device unless its uid is here already; returns its local id.
Result<std::int64_t> insert_series(Vault& vault, const Fields& f);
Result<std::int64_t> insert_meeting(Vault& vault, const Fields& f);
Result<std::int64_t> insert_participant(Vault& vault, const Fields& f);
/// Attendance: the meeting and participant must be here. Two attendees who arrived with the same
/// key keep it in uid order: the smaller participant uid keeps the key, the other gets
/// "KEY-<first 8 digits of its uid>", whatever order they arrived in.
Status insert_attendance(Vault& vault, const Fields& f);

/// A local id by uid, if present.
Result<std::optional<std::int64_t>> local_id(Vault& vault, const char* table, const std::string& uid);

}  // namespace bc::core::sync
