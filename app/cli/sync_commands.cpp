// sync, sync status, conflicts, conflicts resolve.
#include <nlohmann/json.hpp>

#include <csignal>
#include <cstdio>
#include <memory>

#include "backchannel/core/conflicts.h"
#include "backchannel/core/folder_watch.h"
#include "backchannel/core/sync.h"
#include "backchannel/message_text.h"
#include "cli_context.h"

namespace bc::cli {

namespace {

using json = nlohmann::ordered_json;

volatile std::sig_atomic_t g_stop = 0;
void request_stop(int) { g_stop = 1; }

struct SyncOptions {
  std::string folder;
  bool watch = false;
  bool as_json = false;
  std::string conflict, keep;
};

// One round: the summary line on stdout, notices on stderr; a refused bundle fails the command
// (exit 2) after everything else was applied.
Status one_round(core::Vault& vault, const std::string& folder) {
  BC_ASSIGN(core::SyncReport r, core::sync_once(vault, folder));
  print_line("published " + std::to_string(r.published) + ", applied " + std::to_string(r.applied) + ", pending " +
             std::to_string(r.pending) + ", refused " + std::to_string(r.refused) + ", conflicts " + std::to_string(r.conflicts));
  std::fflush(stdout);
  for (const auto& fp : r.signers_to_accept)
    std::fprintf(stderr, "notice: bundles signed by %s wait for `team accept --fingerprint %s`\n", printable_line(fp).c_str(),
                 printable_line(fp).c_str());
  for (const auto& n : r.notices) std::fprintf(stderr, "notice: %s\n", printable_line(n).c_str());
  if (r.integrity_failure) {
    std::string why = r.refusals.empty() ? std::string("a bundle failed to verify") : r.refusals.front();
    if (r.refusals.size() > 1) why += " (and " + std::to_string(r.refusals.size() - 1) + " more)";
    return fail(ErrorCode::integrity, "refused " + why);
  }
  return {};
}

Status run_sync(Context& ctx, const SyncOptions& o) {
  if (o.folder.empty()) return fail(ErrorCode::usage, "sync needs --folder DIR");
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  if (!o.watch) return one_round(vault, o.folder);
  BC_ASSIGN(core::FolderWatch watch, core::FolderWatch::open(o.folder));
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  Status last;
  while (!g_stop) {
    last = one_round(vault, o.folder);
    if (!last && last.error().code != ErrorCode::integrity) return last;
    // Wake on a finished file, and every few seconds anyway: a bundle held for its predecessor or
    // for a clock may become applicable without anything new arriving.
    bool arrived = false;
    for (int waited = 0; !arrived && !g_stop && waited < 5000; waited += 250) {
      BC_ASSIGN(arrived, watch.wait(250));
    }
  }
  return last;
}

std::string lag_text(const core::DeviceStatus& d) {
  if (d.own) return "published " + std::to_string(d.applied);
  return "applied " + std::to_string(d.applied) + " of " + std::to_string(d.in_folder) + " (lag " +
         std::to_string(d.in_folder > d.applied ? d.in_folder - d.applied : 0) + ")";
}

Status run_sync_status(Context& ctx, const SyncOptions& o) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::SeriesSyncStatus> all, core::sync_status(vault, o.folder));
  if (o.as_json) {
    json out = json::array();
    for (const auto& s : all) {
      json devices = json::array();
      for (const auto& d : s.devices)
        devices.push_back({{"device", d.device}, {"member", d.member_fingerprint}, {"own", d.own}, {"applied", d.applied},
                           {"in_folder", d.in_folder}});
      json members = json::array();
      for (const auto& m : s.team.members)
        members.push_back({{"fingerprint", m.fingerprint}, {"role", m.role}, {"removed", m.removed_epoch.has_value()}});
      json pending = json::array();
      for (const auto& p : s.pending_confirmations)
        pending.push_back({{"change", p.change}, {"meeting", p.meeting_id}, {"participant", p.participant_key}, {"field", p.field},
                           {"from", p.from}, {"to", p.to}, {"author", p.author_fingerprint}, {"confirmable_here", p.confirmable_here}});
      out.push_back({{"series", s.series_id}, {"series_uid", s.series_uid}, {"digest", s.digest}, {"epoch", s.team.epoch},
                     {"members", members}, {"devices", devices}, {"unpublished_changes", s.unpublished_changes},
                     {"conflicts", s.conflicts}, {"pending_confirmations", pending}});
    }
    print_json(out);
    return {};
  }
  for (const auto& s : all) {
    print_line("digest " + s.series_uid + " " + s.digest);
    print_line("  series " + std::to_string(s.series_id) + ", epoch " + std::to_string(s.team.epoch) + ", unpublished changes " +
               std::to_string(s.unpublished_changes) + ", conflicts " + std::to_string(s.conflicts));
    for (const auto& m : s.team.members)
      print_line("  member " + pad(m.role, 10) + m.fingerprint + (m.removed_epoch ? " removed" : "") + (m.is_self ? " (this vault)" : ""));
    for (const auto& d : s.devices)
      print_line("  device " + d.device.substr(0, 8) + (d.own ? " (this vault) " : " ") + lag_text(d));
    for (const auto& p : s.pending_confirmations)
      print_line("  pending " + p.change + " " + p.field + " " + p.from + " -> " + p.to +
                 (p.confirmable_here ? " (confirm with `team confirm`)" : " (waits for another member)"));
  }
  return {};
}

Status run_conflicts(Context& ctx, const SyncOptions& o) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_ASSIGN(std::vector<core::Conflict> all, core::list_conflicts(vault));
  if (o.as_json) {
    json out = json::array();
    for (const auto& c : all) {
      json sides = json::array();
      for (const auto& s : c.sides)
        sides.push_back({{"value", s.value}, {"change", s.change}, {"author", s.author_fingerprint}, {"at", s.at}});
      out.push_back({{"id", c.id}, {"series", c.series_id}, {"kind", c.kind}, {"meeting", c.meeting_id},
                     {"participant", c.participant_key}, {"note", c.note_id}, {"field", c.field}, {"current", c.current},
                     {"sides", sides}});
    }
    print_json(out);
    return {};
  }
  for (const auto& c : all) {
    std::string where = c.kind == "note" ? "note " + std::to_string(c.note_id)
                                         : "meeting " + std::to_string(c.meeting_id) +
                                               (c.participant_key.empty() ? "" : " participant " + c.participant_key) + " " + c.field;
    print_line(c.id + "  " + where + "  standing: " + clip(c.current, 40));
    for (const auto& s : c.sides)
      print_line("    keep " + (c.kind == "note" ? s.change.substr(0, 8) + "  " + clip(s.value, 60) : clip(s.value, 60)) +
                 (s.author_fingerprint.empty() ? "" : "  by " + s.author_fingerprint));
  }
  return {};
}

Status run_conflicts_resolve(Context& ctx, const SyncOptions& o) {
  BC_ASSIGN(core::Vault vault, ctx.open_vault());
  BC_TRY(core::resolve_conflict(vault, o.conflict, o.keep));
  print_line("resolved " + o.conflict);
  return {};
}

}  // namespace

void add_sync_commands(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<SyncOptions>();
  auto* sync = app.add_subcommand("sync", "Publish this vault's changes to shared series and apply the bundles of others");
  sync->add_option("--folder", o->folder, "The folder a sync engine replicates (Syncthing, a USB stick...)");
  sync->add_flag("--watch", o->watch, "Keep syncing as files arrive, until interrupted");
  auto* status = sync->add_subcommand("status", "Per shared series: digest, members, devices and lag, pending changes");
  status->add_option("--folder", o->folder, "The sync folder")->required();
  status->add_flag("--json", o->as_json, "Print JSON");
  status->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_sync_status(ctx, *o); }; });
  sync->callback([&ctx, o, status] {
    if (status->parsed()) return;
    ctx.action = [&ctx, o] { return run_sync(ctx, *o); };
  });

  auto* conflicts = app.add_subcommand("conflicts", "List the open conflicts of shared series");
  conflicts->add_flag("--json", o->as_json, "Print JSON");
  auto* resolve = conflicts->add_subcommand("resolve", "Keep one side of a conflict");
  resolve->add_option("ID", o->conflict, "The conflict id")->required();
  resolve->add_option("--keep", o->keep, "The value (or revision uid) to keep")->required();
  resolve->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_conflicts_resolve(ctx, *o); }; });
  conflicts->callback([&ctx, o, resolve] {
    if (resolve->parsed()) return;
    ctx.action = [&ctx, o] { return run_conflicts(ctx, *o); };
  });
}

}  // namespace bc::cli
