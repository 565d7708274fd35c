#include "backchannel/storage/key_file.h"

#include <nlohmann/json.hpp>

#include <string>

#include "backchannel/crypto/encoding.h"
#include "backchannel/crypto/hmac.h"
#include "backchannel/files/atomic_file.h"

namespace bc::storage {

namespace {

constexpr std::string_view kFormatPrefix = "backchannel.keys/";
constexpr std::size_t kMaxKeyFileBytes = 64 * 1024;

std::string format_name(int version) { return std::string(kFormatPrefix) + std::to_string(version); }

const char* type_name(SlotType t) { return t == SlotType::passphrase ? "passphrase" : "recovery"; }

// Everything about a slot except the ciphertext is bound as associated data, so that moving a
// slot to another vault (or, from version 2 on, to another generation of its database),
// relabelling it or weakening its KDF parameters makes it fail to open.
std::string associated_data(const KeyFile& file, SlotType type, const crypto::Argon2idParams& kdf) {
  std::string ad = format_name(file.version);
  ad += '\n';
  ad += crypto::to_hex(file.vault_id);
  ad += '\n';
  if (file.version >= 2) {
    ad += crypto::to_hex(file.database_salt);
    ad += '\n';
  }
  ad += type_name(type);
  ad += "\nargon2id\n";
  ad += std::to_string(kdf.opslimit);
  ad += '\n';
  ad += std::to_string(kdf.memlimit);
  ad += '\n';
  ad += crypto::to_hex(kdf.salt);
  return ad;
}

Error damaged(std::string_view what) {
  return fail(ErrorCode::integrity, "vault.keys is damaged or was tampered with (" + std::string(what) + ")");
}

}  // namespace

const KeySlot* KeyFile::find(SlotType type) const {
  for (const auto& s : slots)
    if (s.type == type) return &s;
  return nullptr;
}

Result<KeySlot> make_slot(SlotType type, const KeyFile& file, std::span<const std::uint8_t> secret,
                          const crypto::SecureBuffer& master_key, const crypto::Argon2idParams& cost) {
  KeySlot slot;
  slot.type = type;
  slot.kdf = crypto::argon2id_params(crypto::KdfProfile::interactive);  // fresh salt
  slot.kdf.opslimit = cost.opslimit;
  slot.kdf.memlimit = cost.memlimit;
  BC_ASSIGN(crypto::SecureBuffer kek, crypto::argon2id_derive(secret, slot.kdf));
  slot.wrapped = crypto::wrap_key(kek, master_key.span(), crypto::bytes_of(associated_data(file, type, slot.kdf)));
  return slot;
}

Result<crypto::SecureBuffer> open_slot(const KeySlot& slot, const KeyFile& file, std::span<const std::uint8_t> secret) {
  if (auto v = crypto::validate(slot.kdf); !v) return std::move(v).error();
  BC_ASSIGN(crypto::SecureBuffer kek, crypto::argon2id_derive(secret, slot.kdf));
  auto master = crypto::unwrap_key(kek, slot.wrapped, crypto::bytes_of(associated_data(file, slot.type, slot.kdf)));
  if (!master || master->size() != 32)
    return fail(ErrorCode::auth_failed, "wrong passphrase or recovery code (or vault.keys was tampered with)");
  return master;
}

std::string serialize(const KeyFile& file) {
  nlohmann::ordered_json j;
  j["format"] = format_name(file.version);
  j["vault_id"] = crypto::to_hex(file.vault_id);
  if (file.version >= 2) j["database_salt"] = crypto::to_hex(file.database_salt);
  auto& slots = j["slots"] = nlohmann::ordered_json::array();
  for (const auto& s : file.slots) {
    nlohmann::ordered_json js;
    js["type"] = type_name(s.type);
    js["kdf"] = "argon2id";
    js["opslimit"] = s.kdf.opslimit;
    js["memlimit"] = s.kdf.memlimit;
    js["salt"] = crypto::to_base64(s.kdf.salt);
    js["nonce"] = crypto::to_base64(s.wrapped.nonce);
    js["wrapped_key"] = crypto::to_base64(s.wrapped.ciphertext);
    slots.push_back(std::move(js));
  }
  return j.dump(2) + "\n";
}

Result<KeyFile> parse_key_file(std::string_view text) {
  if (text.size() > kMaxKeyFileBytes) return damaged("too large");
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return damaged("not a key file");
  auto str = [&](const nlohmann::json& o, const char* k) -> const std::string* {
    auto it = o.find(k);
    return (it != o.end() && it->is_string()) ? it->get_ptr<const std::string*>() : nullptr;
  };
  const std::string* format = str(j, "format");
  if (format == nullptr) return damaged("no format");
  KeyFile file;
  if (*format == format_name(1)) {
    file.version = 1;
  } else if (*format == format_name(2)) {
    file.version = 2;
  } else {
    // "backchannel.keys/N" with N > 2 is a later format; anything else is damage.
    const std::string_view digits = std::string_view(*format).substr(std::min(format->size(), kFormatPrefix.size()));
    if (format->rfind(kFormatPrefix, 0) == 0 && !digits.empty() && digits.size() < 6 && digits[0] != '0' &&
        digits.find_first_not_of("0123456789") == std::string_view::npos)
      return fail(ErrorCode::unsupported, "vault.keys was written by a newer version of Backchannel (" + *format +
                                              "); upgrade Backchannel to open this vault");
    return damaged("unknown format");
  }
  // Version 2 takes only canonical (lower-case) hex, so that one key file has one spelling.
  auto fixed_hex = [&](const char* key, auto& out) -> bool {
    const std::string* hex = str(j, key);
    if (hex == nullptr) return false;
    auto bytes = crypto::from_hex(*hex);
    if (!bytes || bytes->size() != out.size()) return false;
    if (file.version >= 2 && crypto::to_hex(*bytes) != *hex) return false;
    std::copy(bytes->begin(), bytes->end(), out.begin());
    return true;
  };
  if (str(j, "vault_id") == nullptr) return damaged("no vault id");
  if (!fixed_hex("vault_id", file.vault_id)) return damaged("bad vault id");
  if (file.version >= 2 && !fixed_hex("database_salt", file.database_salt)) return damaged("bad database salt");
  if (file.version == 1 && j.contains("database_salt")) return damaged("unexpected database salt");
  auto slots = j.find("slots");
  if (slots == j.end() || !slots->is_array() || slots->empty() || slots->size() > 8) return damaged("bad slot list");
  for (const auto& js : *slots) {
    if (!js.is_object()) return damaged("bad slot");
    KeySlot s;
    const std::string* type = str(js, "type");
    const std::string* kdf = str(js, "kdf");
    if (type == nullptr || kdf == nullptr || *kdf != "argon2id") return damaged("bad slot");
    if (*type == "passphrase") s.type = SlotType::passphrase;
    else if (*type == "recovery") s.type = SlotType::recovery;
    else return damaged("unknown slot type");
    if (file.find(s.type) != nullptr) return damaged("duplicate slot");
    auto ops = js.find("opslimit");
    auto mem = js.find("memlimit");
    if (ops == js.end() || !ops->is_number_unsigned() || mem == js.end() || !mem->is_number_unsigned())
      return damaged("bad KDF parameters");
    s.kdf.opslimit = ops->get<std::uint64_t>();
    s.kdf.memlimit = mem->get<std::uint64_t>();
    const std::string* salt = str(js, "salt");
    const std::string* nonce = str(js, "nonce");
    const std::string* wrapped = str(js, "wrapped_key");
    if (salt == nullptr || nonce == nullptr || wrapped == nullptr) return damaged("bad slot");
    auto salt_b = crypto::from_base64(*salt);
    auto nonce_b = crypto::from_base64(*nonce);
    auto wrapped_b = crypto::from_base64(*wrapped);
    if (!salt_b || !nonce_b || !wrapped_b) return damaged("bad Base64");
    s.kdf.salt = std::move(*salt_b);
    s.wrapped.nonce = std::move(*nonce_b);
    s.wrapped.ciphertext = std::move(*wrapped_b);
    if (auto v = crypto::validate(s.kdf); !v) return damaged("KDF parameters out of range");
    if (s.wrapped.nonce.size() != 24 || s.wrapped.ciphertext.size() != 48) return damaged("bad wrapped key");
    file.slots.push_back(std::move(s));
  }
  if (file.find(SlotType::passphrase) == nullptr) return damaged("no passphrase slot");
  return file;
}

Result<KeyFile> load_key_file(const std::filesystem::path& path) {
  auto text = files::read_small_file(path, kMaxKeyFileBytes);
  if (!text) {
    if (text.error().code == ErrorCode::not_found)
      return fail(ErrorCode::not_found,
                  "no vault at " + path.parent_path().string() + " (" + path.filename().string() + " is missing)",
                  Remedy::create_vault);
    if (text.error().code == ErrorCode::bad_input) return damaged("too large");
    return std::move(text).error();
  }
  return parse_key_file(*text);
}

Status save_key_file(const std::filesystem::path& path, const KeyFile& file) {
  return files::write_file_atomically(path, serialize(file));
}

}  // namespace bc::storage
