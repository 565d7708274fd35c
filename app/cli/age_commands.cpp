// age encrypt | age decrypt: age v1 files (https://age-encryption.org/v1) without a vault, for
// anything that must be opened with the standard `age` tool.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backchannel/crypto/age.h"
#include "backchannel/crypto/age_identity_file.h"
#include "cli_context.h"
#include "secret_input.h"

namespace bc::cli {

namespace {

namespace age = crypto::age;

struct EncryptCommand {
  std::vector<std::string> recipients;
  std::optional<std::string> passphrase_file;
  int work_factor = 18;
  bool armor = false;
  std::optional<std::string> output;
  bool force = false;
  std::string input = "-";
};

struct DecryptCommand {
  std::vector<std::string> identity_files;
  std::optional<std::string> passphrase_file;
  std::optional<std::string> output;
  bool force = false;
  std::string input = "-";
};

Status vault_passphrase_hint(const Context& ctx) {
  if (ctx.passphrase_file)
    return fail(ErrorCode::usage,
                "--passphrase-file before `age` names the vault passphrase, which age commands do not use; "
                "give it after `age encrypt` or `age decrypt`");
  return {};
}

Result<crypto::SecureBuffer> read_age_passphrase(const std::string& file) {
  return read_secret({file, nullptr, "Passphrase: ", false, "passphrase"});
}

Status run_encrypt(const Context& ctx, const EncryptCommand& o) {
  std::vector<age::Recipient> recipients;
  if (o.passphrase_file) {
    if (!o.recipients.empty()) return fail(ErrorCode::usage, "-r and --passphrase-file cannot be combined");
    BC_ASSIGN(crypto::SecureBuffer pass, read_age_passphrase(*o.passphrase_file));
    age::ScryptPassphrase p;
    p.passphrase = std::move(pass);
    p.work_factor = o.work_factor;
    recipients.emplace_back(std::move(p));
  } else {
    if (o.recipients.empty()) {
      BC_TRY(vault_passphrase_hint(ctx));
      return fail(ErrorCode::usage, "age encrypt needs -r RECIPIENT (age1...) or --passphrase-file FILE");
    }
    for (const std::string& r : o.recipients) {
      Result<age::X25519Recipient> parsed = age::X25519Recipient::parse(r);
      if (!parsed.ok()) return fail(ErrorCode::usage, "-r " + r + ": " + parsed.error().message);
      recipients.emplace_back(*parsed);
    }
  }
  BC_ASSIGN(files::InputFile in, files::InputFile::open(o.input));
  BC_ASSIGN(files::OutputFile out, open_output(o.output, o.force));
  if (!o.armor) BC_TRY(refuse_binary_on_terminal(out, "binary age data", "-a (armor) or -o FILE"));
  age::EncryptOptions options;
  options.armor = o.armor;
  BC_TRY(age::encrypt(recipients, in.reader(), out.writer(), options));
  return out.commit();
}

Status run_decrypt(const Context& ctx, const DecryptCommand& o) {
  std::vector<age::Identity> identities;
  if (o.passphrase_file) {
    if (!o.identity_files.empty()) return fail(ErrorCode::usage, "-i and --passphrase-file cannot be combined");
    BC_ASSIGN(crypto::SecureBuffer pass, read_age_passphrase(*o.passphrase_file));
    age::ScryptPassphrase p;
    p.passphrase = std::move(pass);
    identities.emplace_back(std::move(p));
  } else {
    if (o.identity_files.empty()) {
      BC_TRY(vault_passphrase_hint(ctx));
      return fail(ErrorCode::usage, "age decrypt needs -i IDENTITY_FILE or --passphrase-file FILE");
    }
    for (const std::string& f : o.identity_files) {
      BC_ASSIGN(std::vector<age::Identity> ids, age::read_identity_file(f));
      for (auto& id : ids) identities.push_back(std::move(id));
    }
  }
  BC_ASSIGN(files::InputFile in, files::InputFile::open(o.input));
  BC_ASSIGN(files::OutputFile out, open_output(o.output, o.force));
  // The age failure class leads the message ("error: payload failure: ..."), and decides the
  // exit code: a failing reader or writer is the system's doing (5), not the file's (2).
  BC_TRY(age::decrypt(identities, in.reader(), out.writer()));
  return out.commit();
}

}  // namespace

void add_age_commands(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand(
      "age", "Encrypt or decrypt age v1 files (https://age-encryption.org/v1) that the standard `age` tool opens; "
             "no vault needed");
  group->require_subcommand(1);
  {
    auto o = std::make_shared<EncryptCommand>();
    auto* cmd = group->add_subcommand(
        "encrypt",
        "Encrypt IN (default: standard input) to OUT (default: standard output) for age1... recipients or a "
        "passphrase.\nWith -o the file appears only once encryption has succeeded.");
    auto* rec = cmd->add_option("-r,--recipient", o->recipients, "Encrypt to this X25519 recipient (age1...; repeatable)");
    auto* pass = cmd->add_option("--passphrase-file", o->passphrase_file,
                                 "Encrypt with the passphrase in FILE (scrypt; then the only recipient). Give it "
                                 "after `age encrypt`: before `age` it names the vault passphrase instead");
    rec->allow_extra_args(false);  // one value per -r, so that IN is not taken for a recipient
    rec->excludes(pass);
    cmd->add_option("--work-factor", o->work_factor, "scrypt work factor as log2 (default 18, as age uses)")
        ->check(CLI::Range(10, 22));
    cmd->add_flag("-a,--armor", o->armor, "Write ASCII armor (PEM, \"-----BEGIN AGE ENCRYPTED FILE-----\")");
    add_output_options(cmd, o->output, o->force, "the age file", false);
    cmd->add_option("IN", o->input, "File to encrypt (default: standard input)");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_encrypt(ctx, *o); }; });
  }
  {
    auto o = std::make_shared<DecryptCommand>();
    auto* cmd = group->add_subcommand(
        "decrypt",
        "Decrypt IN (default: standard input; binary or armored) to OUT (default: standard output).\n"
        "On failure the first line on stderr is \"error: <class>: <detail>\" with class no match, HMAC failure, "
        "header failure, payload failure or armor failure, and the exit code is 2; with -o no file is left behind "
        "(to standard output, the chunks that verified before the failure have been written).");
    auto* ids = cmd->add_option("-i,--identity", o->identity_files,
                                "Identity file in age-keygen format (AGE-SECRET-KEY-1... lines; repeatable)");
    auto* pass = cmd->add_option("--passphrase-file", o->passphrase_file,
                                 "Decrypt a passphrase-encrypted file with the passphrase in FILE. Give it after "
                                 "`age decrypt`: before `age` it names the vault passphrase instead");
    ids->allow_extra_args(false);  // one value per -i, so that IN is not taken for an identity file
    ids->excludes(pass);
    add_output_options(cmd, o->output, o->force, "the plaintext (it appears only if decryption succeeds)", false);
    cmd->add_option("IN", o->input, "File to decrypt (default: standard input)");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_decrypt(ctx, *o); }; });
  }
}

}  // namespace bc::cli
