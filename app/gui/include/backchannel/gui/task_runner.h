// Background work for the views: Argon2id, archives, packages, summaries and durable writes never
// run on the frame. Each task runs on its own thread and returns a continuation that drain() runs
// on the frame thread, so view state is only ever touched by the frame. Writes that must commit in
// the order the user made them (notes typed one after another) queue on one worker thread instead.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace bc::gui {

/// Shared between a task and the frame that shows it: progress as atomics, and a cancel flag the
/// task checks (e.g. in its age read/write functions).
struct TaskProgress {
  std::atomic<std::uint64_t> done{0};
  std::atomic<std::uint64_t> total{0};  ///< 0 when unknown
  std::atomic<bool> cancelled{false};
  /// Fraction done, or a negative value when the total is unknown.
  float fraction() const {
    const auto t = total.load();
    return t == 0 ? -1.0f : static_cast<float>(static_cast<double>(done.load()) / static_cast<double>(t));
  }
};

class TaskRunner {
 public:
  /// Runs on the frame thread after the task finished.
  using Continuation = std::function<void()>;
  /// Runs on a worker thread; returns what the frame should do with the result.
  using Work = std::function<Continuation(TaskProgress&)>;

  /// `wake` is called from a worker when a continuation is ready (the program posts an empty
  /// event so that a waiting event loop draws a frame).
  explicit TaskRunner(std::function<void()> wake = {});
  ~TaskRunner();  ///< cancels every task and waits for them
  TaskRunner(const TaskRunner&) = delete;
  TaskRunner& operator=(const TaskRunner&) = delete;

  /// Starts `work` on a new thread.
  std::shared_ptr<TaskProgress> run(std::string name, Work work);
  /// Starts `work` on a new thread as a waiter: something that blocks until the outside world
  /// does something (a sync folder receives a file). busy() and working() ignore it, so an idle
  /// client stays idle; cancel_all() stops it and wait_idle() waits for it like any task.
  std::shared_ptr<TaskProgress> run_waiter(std::string name, Work work);
  /// Queues `work` behind every work queued so far: they run one at a time, in the order queued,
  /// on one worker thread, and their continuations arrive in that order. cancel_all() does not
  /// touch them (a durable write either happens or reports why not).
  void run_in_order(Work work);
  /// Blocks until every work queued with run_in_order() has run (before the vault closes).
  void finish_in_order();
  /// Runs the continuations of finished tasks, in order; call at the start of each frame.
  /// Returns how many ran.
  int drain();
  /// True while a task runs or a continuation waits for drain().
  bool busy() const;
  /// True while a task started with run() works (the status bar's spinner; the in-order writes
  /// show where they belong, e.g. a note "saving…").
  bool working() const { return running_.load() > 0; }
  /// True while a waiter started with run_waiter() has not ended.
  bool waiting() const { return waiting_.load() > 0; }
  /// Asks every running task to stop (their continuations still arrive and must cope).
  void cancel_all();
  /// Blocks until nothing runs (in order or not) and no continuation waits, running the
  /// continuations as they arrive (lock, tests).
  void wait_idle();

 private:
  void in_order_loop();
  std::shared_ptr<TaskProgress> start(Work work, std::atomic<int>& count);

  struct Worker {
    std::thread thread;
    std::shared_ptr<TaskProgress> progress;
    std::shared_ptr<std::atomic<bool>> finished;
  };
  std::function<void()> wake_;
  mutable std::mutex mutex_;
  std::deque<Continuation> ready_;
  std::vector<Worker> workers_;
  std::atomic<int> running_{0};
  std::atomic<int> waiting_{0};  ///< waiters started with run_waiter()
  // The in-order queue (guarded by mutex_) and its thread, started with the first work.
  std::deque<Work> in_order_;
  bool in_order_running_ = false;
  bool stopping_ = false;
  std::condition_variable in_order_cv_;
  std::thread in_order_thread_;
};

}  // namespace bc::gui
