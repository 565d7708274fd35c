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
#include "backchannel/storage/atomic_file.h"
#include "cli_context.h"
#include "secret_input.h"

namespace bc::cli {

namespace {

namespace age = crypto::age;

constexpr std::size_t kMaxIdentityFile = 1 << 20;

struct EncryptCommand {
  std::vector<std::string> recipients;
  std::optional<std::string> passphrase_file;
  int work_factor = 18;
  bool armor = false;
  std::optional<std::string> output;
  std::optional<std::string> input;
};

struct DecryptCommand {
  std::vector<std::string> identity_files;
  std::optional<std::string> passphrase_file;
  std::optional<std::string> output;
  std::optional<std::string> input;
};

/// IN: a file, or standard input.
class Input {
 public:
  static Result<std::unique_ptr<Input>> open(const std::optional<std::string>& path) {
    auto in = std::unique_ptr<Input>(new Input());
    if (!path || *path == "-") return in;
    in->fd_ = ::open(path->c_str(), O_RDONLY | O_CLOEXEC);
    if (in->fd_ < 0) {
      const int err = errno;
      return fail(err == ENOENT ? ErrorCode::not_found : ErrorCode::io, "cannot open " + *path + ": " + std::strerror(err));
    }
    in->name_ = *path;
    return in;
  }
  ~Input() {
    if (fd_ != STDIN_FILENO) ::close(fd_);
  }
  Input(const Input&) = delete;
  Input& operator=(const Input&) = delete;

  age::ReadFn reader() {
    return [this](std::span<std::uint8_t> buf) -> Result<std::size_t> {
      while (true) {
        const ssize_t n = ::read(fd_, buf.data(), buf.size());
        if (n >= 0) return static_cast<std::size_t>(n);
        if (errno != EINTR) return fail(ErrorCode::io, "cannot read " + name_ + ": " + std::strerror(errno));
      }
    };
  }

 private:
  Input() = default;
  int fd_ = STDIN_FILENO;
  std::string name_ = "standard input";
};

/// OUT: a file that appears only when everything succeeded (-o), or standard output.
class Output {
 public:
  static Result<std::unique_ptr<Output>> open(const std::optional<std::string>& path) {
    auto out = std::unique_ptr<Output>(new Output());
    if (path && *path != "-") {
      BC_ASSIGN(storage::AtomicFileWriter w, storage::AtomicFileWriter::create(*path, true));
      out->file_.emplace(std::move(w));
    }
    return out;
  }
  Output(const Output&) = delete;
  Output& operator=(const Output&) = delete;
  bool to_stdout() const { return !file_; }

  age::WriteFn writer() {
    return [this](std::span<const std::uint8_t> bytes) -> Status {
      if (file_) return file_->write(bytes);
      while (!bytes.empty()) {
        const ssize_t n = ::write(STDOUT_FILENO, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return fail(ErrorCode::io, std::string("cannot write to standard output: ") + std::strerror(errno));
        bytes = bytes.subspan(static_cast<std::size_t>(n));
      }
      return {};
    };
  }
  /// Renames the finished file into place; nothing to do for standard output.
  Status commit() { return file_ ? file_->commit() : Status{}; }

 private:
  Output() = default;
  std::optional<storage::AtomicFileWriter> file_;  // removed unless committed
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

// Lines of an age-keygen identity file: AGE-SECRET-KEY-1... keys, '#' comments, blank lines.
// Messages name the line, never its contents: it may be a key.
Status parse_identity_file(const std::string& path, std::vector<age::Identity>& out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    return fail(err == ENOENT ? ErrorCode::not_found : ErrorCode::io,
                "cannot read the identity file " + path + ": " + std::strerror(err));
  }
  crypto::SecureBuffer text(kMaxIdentityFile + 1);
  std::size_t got = 0;
  while (got < text.capacity()) {
    const ssize_t n = ::read(fd, text.data() + got, text.capacity() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (got > kMaxIdentityFile) return fail(ErrorCode::bad_input, "the identity file " + path + " is too large");
  text.resize(got);

  const std::size_t before = out.size();
  std::string_view rest = text.view();
  for (std::size_t number = 1; !rest.empty(); ++number) {
    const std::size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#' || line.find_first_not_of(" \t") == std::string_view::npos) continue;
    const std::string where = "the identity file " + path + ", line " + std::to_string(number);
    if (line.rfind("AGE-SECRET-KEY-PQ-1", 0) == 0)
      return fail(ErrorCode::unsupported, where + ": post-quantum identities (AGE-SECRET-KEY-PQ-1...) are not supported");
    if (line.rfind("AGE-SECRET-KEY-1", 0) != 0)
      return fail(ErrorCode::bad_input, where + ": not an age identity (expected AGE-SECRET-KEY-1..., # comments or blank lines)");
    Result<age::X25519Identity> id = age::X25519Identity::parse(line);
    if (!id.ok()) return fail(ErrorCode::bad_input, where + ": not a valid age identity (bad checksum or length)");
    out.emplace_back(std::move(id.value()));
  }
  if (out.size() == before) return fail(ErrorCode::bad_input, "the identity file " + path + " holds no identities");
  return {};
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
  BC_ASSIGN(std::unique_ptr<Input> in, Input::open(o.input));
  BC_ASSIGN(std::unique_ptr<Output> out, Output::open(o.output));
  if (out->to_stdout() && !o.armor && ::isatty(STDOUT_FILENO))
    return fail(ErrorCode::usage, "refusing to write binary age data to a terminal: use -a (armor) or -o FILE");
  age::EncryptOptions options;
  options.armor = o.armor;
  BC_TRY(age::encrypt(recipients, in->reader(), out->writer(), options));
  return out->commit();
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
    for (const std::string& f : o.identity_files) BC_TRY(parse_identity_file(f, identities));
  }
  BC_ASSIGN(std::unique_ptr<Input> in, Input::open(o.input));
  BC_ASSIGN(std::unique_ptr<Output> out, Output::open(o.output));
  if (std::optional<age::AgeError> err = age::decrypt(identities, in->reader(), out->writer())) {
    // The age failure class leads the message ("error: payload failure: ..."); a failing reader
    // or writer is the system's doing, not the file's.
    if (err->cls == age::FailureClass::system) return fail(ErrorCode::io, err->detail);
    return fail(err->cls == age::FailureClass::no_match ? ErrorCode::auth_failed : ErrorCode::integrity, err->message());
  }
  return out->commit();
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
    cmd->add_option("-o,--output", o->output, "Write to FILE (replaced atomically, mode 0600)");
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
    cmd->add_option("-o,--output", o->output, "Write to FILE, which appears only if decryption succeeds");
    cmd->add_option("IN", o->input, "File to decrypt (default: standard input)");
    cmd->callback([&ctx, o] { ctx.action = [&ctx, o] { return run_decrypt(ctx, *o); }; });
  }
}

}  // namespace bc::cli
