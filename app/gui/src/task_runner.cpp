#include "backchannel/gui/task_runner.h"

#include <chrono>

namespace bc::gui {

TaskRunner::TaskRunner(std::function<void()> wake) : wake_(std::move(wake)) {}

TaskRunner::~TaskRunner() {
  cancel_all();
  for (auto& w : workers_)
    if (w.thread.joinable()) w.thread.join();
  // The queued writes still run: they are what the user typed.
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  in_order_cv_.notify_all();
  if (in_order_thread_.joinable()) in_order_thread_.join();
  // Continuations left over may hold results (e.g. an unlocked vault); destroying them here
  // releases those on this thread.
  std::lock_guard lock(mutex_);
  ready_.clear();
}

std::shared_ptr<TaskProgress> TaskRunner::run(std::string name, Work work) {
  (void)name;  // kept for debugging; never shown (it may describe what the user is doing)
  return start(std::move(work), running_);
}

std::shared_ptr<TaskProgress> TaskRunner::run_waiter(std::string name, Work work) {
  (void)name;
  return start(std::move(work), waiting_);
}

std::shared_ptr<TaskProgress> TaskRunner::start(Work work, std::atomic<int>& count) {
  auto progress = std::make_shared<TaskProgress>();
  auto finished = std::make_shared<std::atomic<bool>>(false);
  ++count;
  Worker w;
  w.progress = progress;
  w.finished = finished;
  w.thread = std::thread([this, work = std::move(work), progress, finished, &count]() mutable {
    Continuation next = work(*progress);
    {
      std::lock_guard lock(mutex_);
      if (next) ready_.push_back(std::move(next));
    }
    // Release whatever the work captured (e.g. a second vault connection) on this thread.
    work = nullptr;
    --count;
    finished->store(true);
    if (wake_) wake_();
  });
  workers_.push_back(std::move(w));
  return progress;
}

void TaskRunner::run_in_order(Work work) {
  {
    std::lock_guard lock(mutex_);
    in_order_.push_back(std::move(work));
    if (!in_order_thread_.joinable()) in_order_thread_ = std::thread([this] { in_order_loop(); });
  }
  in_order_cv_.notify_all();
}

void TaskRunner::in_order_loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    in_order_cv_.wait(lock, [&] { return stopping_ || !in_order_.empty(); });
    if (in_order_.empty()) return;  // stopping, and nothing left to write
    Work work = std::move(in_order_.front());
    in_order_.pop_front();
    in_order_running_ = true;
    lock.unlock();
    TaskProgress progress;
    Continuation next = work(progress);
    work = nullptr;  // release what it captured on this thread
    lock.lock();
    if (next) ready_.push_back(std::move(next));
    in_order_running_ = false;
    in_order_cv_.notify_all();
    if (wake_) {
      lock.unlock();
      wake_();
      lock.lock();
    }
  }
}

void TaskRunner::finish_in_order() {
  std::unique_lock lock(mutex_);
  in_order_cv_.wait(lock, [&] { return in_order_.empty() && !in_order_running_; });
}

int TaskRunner::drain() {
  // Join the threads that are done.
  for (auto it = workers_.begin(); it != workers_.end();) {
    if (it->finished->load()) {
      it->thread.join();
      it = workers_.erase(it);
    } else {
      ++it;
    }
  }
  int n = 0;
  while (true) {
    Continuation c;
    {
      std::lock_guard lock(mutex_);
      if (ready_.empty()) break;
      c = std::move(ready_.front());
      ready_.pop_front();
    }
    c();
    ++n;
  }
  return n;
}

bool TaskRunner::busy() const {
  if (running_.load() > 0) return true;
  std::lock_guard lock(mutex_);
  return !ready_.empty() || !in_order_.empty() || in_order_running_;
}

void TaskRunner::cancel_all() {
  for (auto& w : workers_) w.progress->cancelled.store(true);
}

void TaskRunner::wait_idle() {
  // A continuation may start another task: keep going until nothing runs and nothing waits.
  while (busy() || waiting_.load() > 0)
    if (drain() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

}  // namespace bc::gui
