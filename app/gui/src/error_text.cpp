#include "backchannel/gui/error_text.h"

#include "backchannel/message_text.h"

namespace bc::gui {

namespace {

std::string remedy_hint(const Error& e) {
  switch (e.remedy) {
    case Remedy::none: return {};
    case Remedy::list_meetings: return " (the Meetings list on the left shows them)";
    case Remedy::list_participants: return " (the Participants tab lists them)";
    case Remedy::list_inbox: return " (Review ▸ Inbox lists them)";
    case Remedy::number_statements: return " (the review window numbers them)";
    case Remedy::give_recipient: return ": paste their age1… recipient in the Participants tab";
    case Remedy::add_public_term: return " (Meeting ▸ Settings ▸ Public terms)";
    case Remedy::check_vault: return "; Vault ▸ Audit log ▸ Check the vault verifies it";
    case Remedy::create_vault: return "; create one from the start screen";
    case Remedy::replace_output: return "; choose another name, or pick it with Browse… and confirm replacing it";
    case Remedy::trust_signer: return " (compare it in person, then choose “It matches”)";
    case Remedy::allow_weak_passphrase: return {};
  }
  return {};
}

}  // namespace

std::string describe(const Error& error) { return printable_line(error.message + remedy_hint(error)); }

}  // namespace bc::gui
