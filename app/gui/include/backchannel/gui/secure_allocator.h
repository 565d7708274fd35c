// Dear ImGui's allocator, replaced by one that wipes every block it frees: ImGui copies the text
// being edited, labels and clipboard text into its own buffers and grows them by reallocation,
// which would otherwise leave plaintext (and passphrase characters) in freed heap memory.
#pragma once

namespace bc::gui {

/// Installs the wiping allocator. Call before ImGui::CreateContext().
void install_wiping_imgui_allocator();

}  // namespace bc::gui
