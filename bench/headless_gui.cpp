#include "headless_gui.h"

#include <imgui.h>

#include <chrono>
#include <thread>

#include "backchannel/gui/start_view.h"
#include "backchannel/gui/task_runner.h"
#include "bench_data.h"

namespace bc::bench {

HeadlessGui::HeadlessGui(const std::string& vault_dir, const std::string& passphrase, std::int64_t meeting) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.DisplaySize = ImVec2(kWidth, kHeight);
  io.DeltaTime = 1.0f / 60.0f;
  fonts_ = gui::load_fonts(*io.Fonts, 16.0f);
  unsigned char* pixels = nullptr;
  int w = 0, h = 0;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  gui::AppOptions o;
  o.vault = vault_dir;
  app_ = std::make_unique<gui::App>(std::move(o), fonts_);
  frame();
  app_->start_view().passphrase().assign(passphrase);
  app_->start_view().submit(app_->context());
  for (int i = 0; i < 6000 && !app_->unlocked(); ++i) {
    frame();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!app_->unlocked()) die("the GUI did not unlock the benchmark vault: " + app_->start_view().error());
  // Thousands of frames pass without input at 1/60 s each: without this the client would lock
  // itself after five simulated minutes and the rest would time the lock screen.
  app_->settings().auto_lock_minutes = 240;
  app_->context().select_meeting(meeting);
  settle();
}

HeadlessGui::~HeadlessGui() {
  app_->lock();
  app_.reset();
  ImGui::DestroyContext();
}

void HeadlessGui::require_unlocked() const {
  if (!app_->unlocked()) die("the client locked itself during the benchmark");
}

void HeadlessGui::frame() {
  now_ += 1.0 / 60.0;
  ImGui::NewFrame();
  app_->Frame(now_);
  ImGui::Render();
}

void HeadlessGui::settle() {
  for (int i = 0; i < 6000 && app_->tasks().busy(); ++i) {
    frame();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (int i = 0; i < 10; ++i) frame();
}

void HeadlessGui::wheel(float lines) {
  ImGuiIO& io = ImGui::GetIO();
  io.MousePos = ImVec2(kWidth * 0.5f, kHeight * 0.45f);  // over the note log
  io.MouseWheel = lines;
}

}  // namespace bc::bench
