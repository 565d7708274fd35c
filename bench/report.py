#!/usr/bin/env python3
"""Turns the JSON results of the benchmark programs into docs/performance.md.

Every figure is shown next to its reference from the same run, with the ratio; nothing here is
typed in by hand. usage: report.py RESULTS_DIR OUTPUT.md
"""
import glob
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys


def load(path):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        return json.load(f)


def base_name(run_name):
    """'BM_Search_Vault/7/repeats:3' -> 'BM_Search_Vault/7'; options after the name are dropped."""
    parts = run_name.split("/")
    keep = [parts[0]] + [p for p in parts[1:] if p.isdigit()]
    return "/".join(keep)


def _median(results, name, field):
    """The median (over repetitions) of `field` ("real_time" or "cpu_time") of benchmark `name`, in ms."""
    for b in results["benchmarks"]:
        if base_name(b.get("run_name", "")) == name and b.get("aggregate_name") == "median":
            unit = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
            return b[field] * unit
    raise KeyError(name)


def median_ms(results, name):
    """The median real time of benchmark `name`, in milliseconds."""
    return _median(results, name, "real_time")


def median_cpu_ms(results, name):
    """The median CPU time of benchmark `name`, in milliseconds."""
    return _median(results, name, "cpu_time")


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = "%.0f GiB RAM" % (int(line.split()[1]) / 1024 / 1024)
    except OSError:
        pass
    return "%s, %d cores, %s, %s %s" % (cpu, os.cpu_count() or 0, mem, platform.system(), platform.release())


def verdict(ok):
    return "met" if ok else "**missed**"


GOALS = []  # (what, goal, measured, ok), filled by the sections, shown first


def goal(what, target, measured, ok):
    """Records a goal for the table at the top and returns its verdict for the section's own table."""
    GOALS.append((what, target, measured, ok))
    return verdict(ok)


def vault_section(r):
    lines = []
    argon = median_ms(r, "BM_Unlock_Argon2idOnly")
    open_ = median_ms(r, "BM_Unlock_VaultOpen")
    rest = median_ms(r, "BM_Unlock_BeyondArgon2id")  # median of paired differences
    lines.append("### Unlock a 100,000-note vault\n")
    lines.append("| figure | time | reference (same run) | time | everything but Argon2id | goal |")
    lines.append("|---|---|---|---|---|---|")
    lines.append("| `Vault::open` (Argon2id moderate: 3 passes, 256 MiB) | %.1f ms | Argon2id alone, same parameters | %.1f ms | %.1f ms | under 50 ms: %s |"
                 % (open_, argon, rest, goal("unlock, beyond Argon2id", "under 50 ms", "%.1f ms" % rest, rest < 50)))
    lines.append("")
    lines.append("\"Everything but Argon2id\" is the median of paired differences (a whole open minus Argon2id alone,")
    lines.append("timed back to back), not the difference of the two medians, which Argon2id's own variance would swamp.")
    lines.append("")
    ours = median_ms(r, "BM_Append_Vault")
    plain = median_ms(r, "BM_Append_PlainSqlite")
    lines.append("### Append one note, durably (synchronous=FULL, WAL)\n")
    lines.append("| figure | time | reference (same run) | time | ratio | goal |")
    lines.append("|---|---|---|---|---|---|")
    lines.append("| `core::add_note` on the 100,000-note vault | %.2f ms | the same statements on plain SQLite, same schema and pragmas | %.2f ms | %.2fx | within 1.5x: %s |"
                 % (ours, plain, ours / plain, goal("append one note durably", "within 1.5x of plain SQLite", "%.2fx" % (ours / plain), ours / plain <= 1.5)))
    lines.append("")
    lines.append("### Full-text search, 20 typical queries, 100,000 notes\n")
    ours_q, plain_q, rows = [], [], []
    for b in r["benchmarks"]:
        if b.get("aggregate_name") != "median" or not b["run_name"].startswith("BM_Search_Vault/"):
            continue
        i = base_name(b["run_name"]).split("/")[1]
        o = median_ms(r, "BM_Search_Vault/" + i)
        p = median_ms(r, "BM_Search_PlainSqlite/" + i)
        ours_q.append(o)
        plain_q.append(p)
    def pct(xs, q):
        xs = sorted(xs)
        k = max(0, min(len(xs) - 1, int(round(q * (len(xs) - 1)))))
        return xs[k]
    p50o, p95o, p50p, p95p = pct(ours_q, .5), pct(ours_q, .95), pct(plain_q, .5), pct(plain_q, .95)
    lines.append("| figure | p50 | p95 | reference (same run): plain SQLite FTS5, same data and query | p50 | p95 | p50 ratio | goal |")
    lines.append("|---|---|---|---|---|---|---|---|")
    lines.append("| `core::search_notes` (normalize, FTS5, snippets) | %.2f ms | %.2f ms | | %.2f ms | %.2f ms | %.2fx | p50 within 1.5x: %s; p95 under 20 ms: %s |"
                 % (p50o, p95o, p50p, p95p, p50o / p50p,
                    goal("search p50", "within 1.5x of plain SQLite FTS5", "%.2fx" % (p50o / p50p), p50o / p50p <= 1.5),
                    goal("search p95", "under 20 ms", "%.2f ms" % p95o, p95o < 20)))
    lines.append("")
    return lines


def counter(results, name, key):
    for b in results["benchmarks"]:
        if base_name(b.get("run_name", "")) == name and key in b and b.get("aggregate_name", "median") == "median":
            return b[key]
    raise KeyError(name + ":" + key)


def summary_section(r):
    lines = ["### Summary of a 10,000-note meeting with 250 participants\n"]
    part = median_ms(r, "BM_Summary_Produce/0")
    pub = median_ms(r, "BM_Summary_Produce/1")
    lines.append("| figure | time | goal |")
    lines.append("|---|---|---|")
    lines.append("| `produce_summary`, participants audience (load, anonymize, render Markdown, leak scan) | %.1f ms | under 100 ms: %s |"
                 % (part, goal("summary, 10,000 notes, participants", "under 100 ms", "%.1f ms" % part, part < 100)))
    lines.append("| `produce_summary`, public audience | %.1f ms | under 100 ms: %s |"
                 % (pub, goal("summary, 10,000 notes, public", "under 100 ms", "%.1f ms" % pub, pub < 100)))
    peak = counter(r, "BM_Summary_PeakMemory", "peak_growth_mib")
    lines.append("| peak resident memory added while producing it | %.1f MiB | |" % peak)
    lines.append("")
    lines += name_dense_lines(r)
    ours = counter(r, "BM_Matcher_Throughput", "bytes_per_second") / 1e6
    grep = counter(r, "BM_Grep_Reference", "bytes_per_second") / 1e6
    patterns = counter(r, "BM_Matcher_Throughput", "patterns")
    mib = counter(r, "BM_Matcher_Throughput", "text_mib")
    lines.append("### The name matcher alone\n")
    lines.append("| figure | throughput | reference (same run) | throughput | ratio (grep / ours) | goal |")
    lines.append("|---|---|---|---|---|---|")
    lines.append("| name matcher: normalize for matching with offsets + Aho-Corasick + boundaries, %d patterns, %.1f MiB of notes (all 100,000) | %.0f MB/s | `grep -F -i -f PATTERNS TEXT \\| wc -l` (C.UTF-8), same text and patterns | %.1f MB/s | %.2fx | within 2x: %s |"
                 % (patterns, mib, ours, grep, grep / ours, goal("name matcher", "within 2x of grep's throughput", "%.2fx" % (grep / ours), grep / ours <= 2.0)))
    lines.append("")
    lines += normalize_lines(r)
    return lines


def name_dense_lines(r):
    name = "BM_NameDense_SummaryCommandVsGrep"
    beyond = median_ms(r, name)
    whole = counter(r, name, "whole_command_ms")
    unlock = counter(r, name, "unlock_only_ms")
    grep = counter(r, name, "grep_ms")
    ratio = counter(r, name, "summary_over_grep")
    lines = ["### The whole `summary` command on a name-dense meeting\n"]
    lines.append("The meeting (`generate_name_dense_meeting` in `bench/dataset.cpp`, fixed seed): %d notes, %.1f MiB, in English "
                 "and Persian; 40 participants, each with a full name, a family name, a title and family name, a given name and "
                 "an e-mail address or a Persian-script name (and everyone a Persian-script family name); nine notes in ten name one "
                 "to three of them in either script. grep is given every form the summary protects (`core::build_forms` for the "
                 "participants audience, normalized, %d patterns) over the notes, one per line (%d lines match)."
                 % (counter(r, name, "notes"), counter(r, name, "text_mib"), counter(r, name, "patterns"),
                    counter(r, name, "grep_matching_lines")))
    lines.append("")
    lines.append("| figure | time | reference (same run) | time | ratio | goal |")
    lines.append("|---|---|---|---|---|---|")
    lines.append("| `backchannel-cli summary --meeting 1`, beyond unlocking (the whole command minus `backchannel-cli meetings`, run back to back) | %.0f ms | `LC_ALL=C.UTF-8 grep -F -i -f names-patterns.txt names-notes.txt \\| wc -l` | %.0f ms | %.2fx | at or below grep: %s |"
                 % (beyond, grep, ratio, goal("summary command, name-dense meeting, beyond unlocking", "at or below grep", "%.2fx" % ratio, ratio <= 1.0)))
    lines.append("")
    lines.append("The ratio is the median of the per-repetition ratios (each repetition runs the three commands back to back); "
                 "medians: whole summary command %.0f ms, unlocking and listing the meetings alone %.0f ms (the vault uses the "
                 "interactive Argon2id cost). Files in `build-bench/bench-data/` (`vault-names/`, `names-notes.txt`, "
                 "`names-patterns.txt`); grep's output goes to a pipe, as with standard output on /dev/null GNU grep stops at "
                 "the first match." % (whole, unlock))
    lines.append("")
    return lines


def normalize_lines(r):
    ref = counter(r, "BM_Normalize_Utf8procReference", "bytes_per_second") / 1e6
    lines = ["### Text normalization (4 MiB of mixed English and Persian text)\n",
             "| figure | throughput | reference (same run): utf8proc NFKC case folding, marks and ignorables removed | ours / reference |",
             "|---|---|---|---|"]
    for arg, what in ((0, "`core::normalize` (search text)"), (1, "`core::normalize_with_offsets`"),
                      (3, "`core::normalize_for_matching_with_offsets` (the name matcher's input)"), (2, "`core::is_valid_utf8`")):
        v = counter(r, "BM_Normalize/%d" % arg, "bytes_per_second") / 1e6
        lines.append("| %s | %.0f MB/s | %.0f MB/s | %.2fx |" % (what, v, ref, v / ref))
    lines.append("")
    lines.append("Information only: no goal. Ours also folds Arabic letter forms and digits and splits words, which utf8proc does not; "
                 "the matcher's variant also decodes character references and reads look-alike letters by their UTS 39 skeletons.")
    lines.append("")
    return lines


def pdf_section(r):
    lines = ["### Printing to PDF (Pango and Cairo, beyond unlocking)\n"]
    md, md_cpu = median_ms(r, "BM_Pdf_SummaryMarkdownReference"), median_cpu_ms(r, "BM_Pdf_SummaryMarkdownReference")
    lines.append("| figure | wall time | CPU time | reference (same run) | wall time | CPU time | ratio (CPU) | goal (wall time) |")
    lines.append("|---|---|---|---|---|---|---|---|")
    pdf, pdf_cpu = median_ms(r, "BM_Pdf_Summary"), median_cpu_ms(r, "BM_Pdf_Summary")
    pages = counter(r, "BM_Pdf_Summary", "pages")
    lines.append("| `produce_summary` as a PDF: a %d-note meeting, %d pages (load, anonymize, leak scan, shape, draw) | %.0f ms | %.0f ms | the same summary as Markdown | %.1f ms | %.1f ms | %.0fx | under 1 s: %s |"
                 % (counter(r, "BM_Pdf_Summary", "notes"), pages, pdf, pdf_cpu, md, md_cpu, pdf_cpu / md_cpu,
                    goal("a %d-page summary as a PDF, beyond unlocking" % pages, "under 1 s", "%.0f ms" % pdf, pdf < 1000)))
    paper, paper_cpu = median_ms(r, "BM_Pdf_BilingualPaper30Pages"), median_cpu_ms(r, "BM_Pdf_BilingualPaper30Pages")
    paper_pages = counter(r, "BM_Pdf_BilingualPaper30Pages", "pages")
    lines.append("| `render_pdf`: a bilingual document, English and Persian in parallel columns, %d pages | %.0f ms | %.0f ms | the Markdown summary above | %.1f ms | %.1f ms | %.0fx | under 1 s: %s |"
                 % (paper_pages, paper, paper_cpu, md, md_cpu, paper_cpu / md_cpu,
                    goal("a %d-page bilingual PDF (parallel columns)" % paper_pages, "under 1 s", "%.0f ms" % paper, paper < 1000)))
    lines.append("")
    lines.append("The 1-minute load average at the end of the run was %.1f on %d cores: where it is above the core count,"
                 % (counter(r, "BM_Pdf_BilingualPaper30Pages", "load_1min"), os.cpu_count() or 0))
    lines.append("the wall time is mostly waiting for a core and the CPU time is the fairer figure.")
    lines.append("")
    return lines


def archive_section(r):
    lines = ["### age, 512 MiB (whole processes, input in the page cache, output to /dev/null)\n"]
    ceiling = median_ms(r, "BM_AgeCeiling_RawChaCha20Poly1305")
    lines.append("| direction | backchannel-cli age | `age` 1.1.1 (same run) | ours / age | raw libsodium ChaCha20-Poly1305, one core, in memory (ceiling) | ours / ceiling | goal |")
    lines.append("|---|---|---|---|---|---|---|")
    for d in ("Encrypt", "Decrypt"):
        ours = median_ms(r, "BM_Age%s_Ours" % d)
        age = median_ms(r, "BM_Age%s_AgeTool" % d)
        lines.append("| %s | %.0f ms | %.0f ms | %.2fx | %.0f ms | %.2fx | at least as fast as age: %s; within 1.3x of the ceiling: %s |"
                     % (d.lower(), ours, age, ours / age, ceiling, ours / ceiling,
                        goal("age %s, 512 MiB" % d.lower(), "at least as fast as `age`", "%.2fx" % (ours / age), ours <= age),
                        goal("age %s, 512 MiB" % d.lower(), "within 1.3x of the one-core ceiling", "%.2fx" % (ours / ceiling), ours <= 1.3 * ceiling)))
    lines.append("")
    lines.append("Our STREAM seals and opens batches of 16 chunks on every core, which is why it can beat the one-core ceiling; "
                 "encryption is a pipeline (the calling thread reads the next batches and writes sealed ones while worker "
                 "threads seal), decryption opens one batch at a time. `age` (Go) is single-threaded but its "
                 "ChaCha20-Poly1305 needs about half the CPU time per byte of libsodium's (compare user times).")
    lines.append("")
    lines.append("### Export and import of the whole 100,000-note vault\n")
    dump = median_ms(r, "BM_Reference_SqliteDump")
    exp = median_ms(r, "BM_Export_WholeVault")
    imp = median_ms(r, "BM_Import_WholeVault")
    ep = counter(r, "BM_Export_WholeVault", "peak_growth_mib")
    ip = counter(r, "BM_Import_WholeVault", "peak_growth_mib")
    restore = median_ms(r, "BM_Reference_SqliteRestore")
    floor = median_ms(r, "BM_Reference_VaultInsertSelect")
    floor_cpu = median_cpu_ms(r, "BM_Reference_VaultInsertSelect")
    imp_cpu = median_cpu_ms(r, "BM_Import_WholeVault")
    lines.append("| figure | time | reference (same run) | time | ratio | peak memory added | goal |")
    lines.append("|---|---|---|---|---|---|---|")
    lines.append("| export (signed, age-encrypted, fsynced) | %.0f ms | `sqlite3 .dump` of the unencrypted copy | %.0f ms | %.2fx | %.1f MiB | within 3x: %s; under 200 MB: %s |"
                 % (exp, dump, exp / dump, ep, goal("export, 100,000 notes", "within 3x of `sqlite3 .dump`", "%.2fx" % (exp / dump), exp <= 3 * dump),
                    goal("export, peak memory added", "under 200 MB", "%.1f MiB" % ep, ep * 1.048576 < 200)))
    lines.append("| import (decrypt, verify, merge into an empty vault in one transaction) | %.0f ms | the storage floor: the same rows into a new vault by `INSERT ... SELECT` | %.0f ms | %.2fx | %.1f MiB | within 2x: %s; under 200 MB: %s |"
                 % (imp, floor, imp / floor, ip, goal("import, 100,000 notes", "within 2x of the storage floor", "%.2fx" % (imp / floor), imp <= 2 * floor),
                    goal("import, peak memory added", "under 200 MB", "%.1f MiB" % ip, ip * 1.048576 < 200)))
    lines.append("")
    lines.append("**The storage floor** is what SQLCipher alone needs to write these rows with this schema, measured in the "
                 "same run: a new vault, created as import's target is, receives the same rows by `INSERT ... SELECT` from the "
                 "unencrypted copy, in one transaction, with the search index filled at the end as import fills it; no file is "
                 "read, decrypted, parsed or checked. The notes, their four indexes, the revisions and the FTS5 index are "
                 "written, every page encrypted and authenticated. It takes %.2fx `.dump` (%.0f ms); import takes %.2fx "
                 "`.dump` and %.2fx restoring that dump into a new unencrypted database (`sqlite3 new.db < dump.sql`, %.0f ms, "
                 "which copies the FTS5 index as rows where import tokenizes every note)."
                 % (floor / dump, dump, imp / dump, imp / restore, restore))
    lines.append("")
    lines.append("Import runs on the calling thread: it decrypts, splits, parses and checks the signature as each piece of the "
                 "file arrives, checks each record and normalizes each note's text for search, and writes it with one statement "
                 "per row. CPU time of that thread: %.0f ms (the floor's: %.0f ms)." % (imp_cpu, floor_cpu))
    lines.append("")
    lines.append("Vault schema 4 changed CHECK constraints through `PRAGMA writable_schema` (docs/vault-format.md); that "
                 "migration stays as it is, and no further `writable_schema` edits are made: a later schema change rebuilds "
                 "a table the ordinary way, with its own migration test.")
    lines.append("")
    return lines


def gui_section(r, idle):
    lines = ["### Frame cost with the 10,000-note meeting in the log (headless: everything but OpenGL)\n"]
    empty = median_cpu_ms(r, "BM_Gui_EmptyFrame")
    log = median_cpu_ms(r, "BM_Gui_FrameNoteLog10k")
    scroll = median_cpu_ms(r, "BM_Gui_FrameScrolling10k")
    lines.append("| figure | CPU per frame | reference: an empty ImGui frame (same run) | goal |")
    lines.append("|---|---|---|---|")
    lines.append("| main screen, note log of 10,000 notes, nothing happening | %.3f ms | %.4f ms | under 2 ms: %s |"
                 % (log, empty, goal("frame, note log of 10,000", "under 2 ms of CPU", "%.3f ms" % log, log < 2.0)))
    lines.append("| scrolling the log, 3 lines a frame (new notes shaped every frame) | %.3f ms | %.4f ms | under 2 ms: %s |"
                 % (scroll, empty, goal("frame, scrolling the log", "under 2 ms of CPU", "%.3f ms" % scroll, scroll < 2.0)))
    lines.append("")
    lines.append("Measured by `bench_gui`: NewFrame + `App::Frame` + Render on an ImGui context without a window, "
                 "unlocked on the benchmark vault, CPU time of the thread (Google Benchmark), median of repetitions. "
                 "Handing the vertex buffers to OpenGL is not included (under Xvfb that would time Mesa's software rasterizer).")
    lines.append("")
    peak = counter(r, "BM_Gui_PeakMemory", "peak_rss_mib")
    after = counter(r, "BM_Gui_PeakMemory", "rss_after_unlock_mib")
    with_unlock = counter(r, "BM_Gui_PeakMemory", "peak_rss_including_unlock_mib")
    lines.append("### Memory and idle CPU\n")
    lines.append("| figure | value | goal |")
    lines.append("|---|---|---|")
    lines.append("| peak resident memory after unlocking, while scrolling the whole 10,000-note log, building the summary, showing participants (headless) | %.0f MiB (%.0f MiB right after unlocking) | under 150 MB: %s |"
                 % (peak, after, goal("client memory", "under 150 MB", "%.0f MiB" % peak, peak * 1.048576 < 150)))
    lines.append("| the same, counting the unlock itself (Argon2id moderate allocates 256 MiB for a moment) | %.0f MiB | (see below) |" % with_unlock)
    if idle:
        lines.append("| the real program under Xvfb, unlocked on that vault, untouched for %.0f s: CPU | %.2f %% of one core | under 1%%: %s |"
                     % (idle["seconds"], idle["cpu_percent"],
                        goal("client idle CPU", "under 1 % of one core", "%.2f %%" % idle["cpu_percent"], idle["cpu_percent"] < 1.0)))
        lines.append("| the same program: resident memory now / peak since start (peak includes Argon2id's 256 MiB) | %.0f MiB / %.0f MiB | |"
                     % (idle["vm_rss_mib"], idle["vm_hwm_mib"]))
    lines.append("")
    lines.append("Argon2id's memory cost is the point of the key derivation (it makes guessing passphrases expensive), "
                 "so every process that unlocks a vault with the default profile briefly holds 256 MiB more; the client's "
                 "own working set is the figure without it.")
    lines.append("")
    return lines


def scaling_section(path):
    import csv
    rows = list(csv.DictReader(open(path)))
    if not rows:
        return []
    lines = ["Search and summary time as the vault grows (fixed-seed data, 250 participants; meetings hold at most "
             "100,000 notes, the import limit per file, so the summary column stops growing there). "
             "Charts: `docs/images/scaling-search.png`, `docs/images/scaling-summary.png`.", "",
             "![search time against vault size](images/scaling-search.png)", "",
             "![summary time against vault size](images/scaling-summary.png)", "",
             "| notes | search p50 | p95 | plain SQLite FTS5 p50 | p95 | p50 ratio | summary of a meeting of | summary |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        n = int(row["notes"])
        lines.append("| %s | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.2fx | %s notes | %.0f ms |" % (
            "{:,}".format(n), float(row["search_p50_ms"]), float(row["search_p95_ms"]),
            float(row["plain_search_p50_ms"]), float(row["plain_search_p95_ms"]),
            float(row["search_p50_ms"]) / float(row["plain_search_p50_ms"]),
            "{:,}".format(int(row["summary_meeting_notes"])), float(row["summary_ms"])))
    lines.append("")
    return lines


def trace_section(r, path):
    """bench_trace's JSON: tracing accuracy per paper length and excerpt, and one trace's time."""
    when = datetime.datetime.fromtimestamp(os.path.getmtime(path), datetime.timezone.utc).isoformat(timespec="seconds")
    lines = ["_Measured: %s._" % when, "",
             "Generated papers (fixed seed %d, %d per length, about 500 words a page) with %d registered copies each; "
             "%d excerpts per copy, fraction and arrangement (contiguous, or several passages in shuffled order), "
             "with %.0f %% of the words changed and OCR-like noise on %.0f %% of the characters "
             "(`tests/support/paper_generator.cpp`). Goal: at 25 %% and above, at least 95 %% right and none wrong; "
             "at 10 %%, none wrong." % (r["seed"], r["papers_per_length"], r["copies"], r["excerpts_per_copy"],
                                         100 * r["word_changes"], 100 * r["char_noise"]), "",
             "| pages | words | variant points | words per point |", "|---|---|---|---|"]
    for d in r["density"]:
        lines.append("| %d | %.0f | %.0f | %.1f |" % (d["pages"], d["words"], d["points"], d["words_per_point"]))
    lines += ["", "| pages | excerpt | arrangement | traces | right | wrong | cannot tell | points read (mean) | goal |",
              "|---|---|---|---|---|---|---|---|---|"]
    for a in r["accuracy"]:
        ok = a["wrong"] == 0 and (a["fraction"] < 0.2 or a["right"] >= 0.95 * a["traces"])
        lines.append("| %d | %.0f %% | %s | %d | %.1f %% | %d | %.1f %% | %.1f | %s |" % (
            a["pages"], 100 * a["fraction"], "reordered" if a["reordered"] else "contiguous", a["traces"],
            100.0 * a["right"] / a["traces"], a["wrong"], 100.0 * a["cannot_tell"] / a["traces"],
            a["mean_readings"], verdict(ok)))
    big = [a for a in r["accuracy"] if a["fraction"] >= 0.2]
    worst = min(big, key=lambda a: a["right"] / a["traces"])
    goal("tracing, excerpts of 25 % and 50 %, each paper length and arrangement", "at least 95 % traced right",
         "%.1f %% at worst (%d pages, %.0f %%, %s)" % (100.0 * worst["right"] / worst["traces"], worst["pages"],
                                                       100 * worst["fraction"],
                                                       "reordered" if worst["reordered"] else "contiguous"),
         all(a["right"] >= 0.95 * a["traces"] for a in big))
    wrong = sum(a["wrong"] for a in r["accuracy"])
    goal("tracing, every excerpt", "none traced to a wrong copy",
         "%d of %d" % (wrong, sum(a["traces"] for a in r["accuracy"])), wrong == 0)
    t = r["timing"]
    lines += ["", "| figure | time | reference (same run) | time | ratio | goal |", "|---|---|---|---|---|---|",
              "| `core::trace_copy` of a whole noised %d-word copy (%d points) against %d copies%s | %.1f ms | "
              "GNU `diff` of the same text, one word a line, against each of the %d copies | %.1f ms | %.3fx | "
              "under 1 s: %s |" % (t["leak_words"], t["points"], t["copies"],
                                   "" if t["verdict_right"] else " (**named no copy or a wrong one**)", t["trace_ms"],
                                   t["copies"], t["diff_ms"], t["trace_ms"] / t["diff_ms"],
                                   goal("`paper trace` of a 10-page text against 50 copies, beyond unlocking",
                                        "under 1 s", "%.1f ms (the core function)" % t["trace_ms"],
                                        t["trace_ms"] < 1000)),
              "", "The time is `core::trace_copy` alone, without unlocking a vault.", ""]
    return lines


PAIRED_PATHS = [("BM_Summary_Produce/0", "summary, 10,000-note meeting, in process"),
                ("BM_NameDense_SummaryCommandVsGrep", "`summary` command, name-dense meeting, beyond unlocking"),
                ("BM_Export_WholeVault", "export, 100,000 notes"),
                ("BM_Import_WholeVault", "import, 100,000 notes")]


def paired_section(p):
    revs = p["revisions"]
    name = os.path.splitext(os.path.basename(p["file"]))[0]
    opts = "" if name == "paired" else " --as %s --title '%s'" % (name[len("paired-"):], p["title"])
    opts += " --own-bench" if p.get("own_bench") else ""
    cmd = "scripts/bench-paired --rounds %d%s %s" % (p["rounds"], opts, " ".join("%s=%s" % (r["label"], r["commit"][:7]) for r in revs))
    load = p["loadavg_1min"]
    lines = ["_Measured: %s._" % p["date"], "",
             "Each step is one commit, measured against the revision before it: \"before\" and \"after\" are the "
             "medians over the rounds, \"after / before\" the median of the per-round ratios. Where a step removes "
             "a thread or a serializer, a ratio above 1 on a path is what that code bought there: it saved "
             "1 - 1/ratio of the plain version's time (20 %% is a ratio of 1.25). A step measured on a path it "
             "does not touch shows the noise. Command: `%s`: Release builds of each revision, %s, "
             "taking turns in each of %d rounds (the order rotates), so that "
             "neighbours see the same machine; one-minute load average over the run %.1f to %.1f (median %.1f) "
             "on %d cores, shared with other work."
             % (cmd, "each with its own benchmark sources and data" if p.get("own_bench") else "all with the benchmark sources of this tree",
                p["rounds"], load["min"], load["max"], load["median"], os.cpu_count() or 0), "",
             "| step | path | before | after | after / before | ratio in each round |",
             "|---|---|---|---|---|---|"]
    for step in p["steps"]:
        for name, what in PAIRED_PATHS:
            if name not in step["paths"]:
                continue  # not measured by these revisions' own benchmarks
            x = step["paths"][name]
            lines.append("| %s | %s | %.0f ms | %.0f ms | %.2fx | %s |" % (
                step["after"], what, x["before_ms"], x["after_ms"], x["ratio"], " ".join("%.2f" % v for v in x["ratios"])))
    lines.append("")
    lines.append("The steps, in order:")
    lines.append("")
    for r in revs:
        lines.append("- `%s` %s: %s" % (r["commit"][:7], r["label"], r["subject"]))
    lines.append("")
    return lines


def sync_section(join, latency):
    """bench_sync's JSON: joining a series vs export + import, bundle bytes, and note latency."""
    lines = []
    if latency:
        t, ours = latency["total"], latency["ours_publish_plus_apply"]
        lines += ["### A note from A readable in B, through two Syncthing daemons on loopback", "",
                  "From `add_note` returning in vault A to the note readable in vault B, both vaults unlocked (as in the",
                  "desktop client); %d notes a moment apart. The engine's share is from the bundle written in A's folder"
                  % latency["notes"],
                  "to the file in B's folder (Syncthing's watcher waits `fsWatcherDelayS` 1 s, then sends); ours is A's",
                  "publish plus B's apply and read.", "",
                  "| part | p50 | p95 |", "|---|---|---|"]
        for key, label in (("ours_publish", "ours: A publishes (one bundle, age-encrypted, signed)"),
                           ("engine_delivery", "Syncthing: A's folder to B's folder"),
                           ("ours_apply_and_read", "ours: B applies it and reads the note"),
                           ("ours_publish_plus_apply", "ours in all"), ("total", "total")):
            lines.append("| %s | %.0f ms | %.0f ms |" % (label, latency[key]["p50_ms"], latency[key]["p95_ms"]))
        lines += ["", "Ours is %.0f %% of the total time (summed over the notes). Goal, p95 under 3 s: %s." % (
            100 * latency["ours_share_of_total"],
            goal("a note from A readable in B through Syncthing on loopback", "p95 under 3 s",
                 "p95 %.2f s (p50 %.2f s; ours p95 %.0f ms)" % (t["p95_ms"] / 1000, t["p50_ms"] / 1000, ours["p95_ms"]),
                 t["p95_ms"] < 3000)), ""]
    if join:
        ratio = join["ratio_join_total_to_export_import"]
        lines += ["### Joining a %d-note series, against export + import of an archive" % join["notes"], "",
                  "| step | time |", "|---|---|",
                  "| export of the series to an archive | %.1f s |" % (join["export_ms"] / 1000),
                  "| import of that archive into an empty vault | %.1f s |" % (join["import_ms"] / 1000),
                  "| **reference: export + import** | **%.1f s** |" % (join["export_plus_import_ms"] / 1000),
                  "| the convenor's sync: the snapshot bundle | %.1f s |" % (join["convenor_snapshot_publish_ms"] / 1000),
                  "| the newcomer's two syncs (list the signer; apply the snapshot) | %.1f s |" % (join["newcomer_join_ms"] / 1000),
                  "| **join: both** | **%.1f s (%.2fx the reference)** |" % (join["join_total_ms"] / 1000, ratio), "",
                  "Goal, within 1.5x of export + import: " + goal("joining a 100,000-note series", "within 1.5x of export + import",
                       "%.2fx (%.1f s vs %.1f s)" % (ratio, join["join_total_ms"] / 1000, join["export_plus_import_ms"] / 1000),
                       ratio <= 1.5) + ".", "",
                  "### Bytes per note", "",
                  "| carrier | bytes | per note |", "|---|---|---|",
                  "| the archive (`export`) | %d | %.0f |" % (join["archive_bytes"], join["archive_bytes_per_note"]),
                  "| the snapshot bundle | %d | %.0f (%.2fx the archive) |" % (join["snapshot_bytes"], join["snapshot_bytes_per_note"],
                                                                         join["snapshot_bytes_per_note"] / join["archive_bytes_per_note"]),
                  "| a changes bundle of 50 notes | %d | %.0f |" % (join["changes_bundle_50_notes_bytes"],
                                                                 join["changes_bundle_50_bytes_per_note"]),
                  "| a changes bundle of 1 note (the 4 KiB bucket) | %d | %d |" % (join["changes_bundle_1_note_bytes"],
                                                                              join["changes_bundle_1_note_bytes"]), ""]
    return lines


def goals_section():
    lines = ["| what | goal | measured | |", "|---|---|---|---|"]
    for what, target, measured, ok in GOALS:
        lines.append("| %s | %s | %s | %s |" % (what, target, measured, verdict(ok)))
    lines.append("")
    return lines


def run_date(results):
    """When this JSON was measured (Google Benchmark's context), for sections from earlier runs."""
    d = (results or {}).get("context", {}).get("date", "")
    return ["_Measured: %s._" % d, ""] if d else []


def main():
    results_dir, out = sys.argv[1], sys.argv[2]
    lines = ["# Performance", "",
             "Generated by `scripts/bench` on %s. Every figure is a median of repeated runs, next to a reference"
             % datetime.date.today().isoformat(),
             "measured in the same run on the same machine; the ratios are what to compare across machines.", "",
             "- Machine: " + machine(),
             "- Command: `scripts/bench` (Release build in `build-bench/`, data from `bench/dataset.cpp`, fixed seed)",
             "- Raw results: `build-bench/results/*.json` (Google Benchmark JSON); the paired comparison: "
             "`build-bench/results/paired.json` (`scripts/bench-paired`)", ""]
    head = len(lines)  # the goals table goes here, once the sections have been computed
    vault = load(os.path.join(results_dir, "vault.json"))
    if vault:
        lines.append("## Vault")
        lines.append("")
        lines.append("Dataset: 10 meetings x 10,000 notes (English and Persian), 250 participants, in a vault with the default")
        lines.append("Argon2id cost; the plain-SQLite reference is an unencrypted `sqlcipher_export` copy of the same database.")
        lines.append("")
        lines += run_date(vault)
        lines += vault_section(vault)
    summary = load(os.path.join(results_dir, "summary.json"))
    if summary:
        lines.append("## Summaries")
        lines.append("")
        lines += run_date(summary)
        lines += summary_section(summary)
    pdf = load(os.path.join(results_dir, "pdf.json"))
    if pdf:
        lines.append("## Printing to PDF")
        lines.append("")
        lines.append("Dataset: one meeting of the same generator (40 participants, English and Persian notes) in its own vault,")
        lines.append("opened before timing; the summary is the participants' copy.")
        lines.append("")
        lines += run_date(pdf)
        lines += pdf_section(pdf)
    archive = load(os.path.join(results_dir, "archive.json"))
    if archive:
        lines.append("## Archives and age")
        lines.append("")
        lines += run_date(archive)
        lines += archive_section(archive)
    gui = load(os.path.join(results_dir, "gui.json"))
    if gui:
        lines.append("## Desktop client")
        lines.append("")
        lines += run_date(gui)
        lines += gui_section(gui, load(os.path.join(results_dir, "gui-idle.json")))
    trace_path = os.path.join(results_dir, "trace.json")
    trace = load(trace_path)
    if trace:
        lines.append("## Copy tracing")
        lines.append("")
        lines += trace_section(trace, trace_path)
    sync_join, sync_latency = load(os.path.join(results_dir, "sync-join.json")), load(os.path.join(results_dir, "sync-latency.json"))
    if sync_join or sync_latency:
        lines.append("## Team sync")
        lines.append("")
        lines += sync_section(sync_join, sync_latency)
    scaling = os.path.join(results_dir, "scaling.csv")
    if os.path.exists(scaling):
        lines.append("## Scaling with vault size")
        lines.append("")
        lines += scaling_section(scaling)
    for path in sorted(glob.glob(os.path.join(results_dir, "paired*.json"))):
        paired = load(path)
        paired["file"] = path
        lines.append("## " + paired.get("title", "What the simpler code cost or saved"))
        lines.append("")
        lines += paired_section(paired)
    if GOALS:
        lines[head:head] = ["## Goals", "", "Every goal, with the figure it is judged on (details in the sections below).", ""] + goals_section()
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
