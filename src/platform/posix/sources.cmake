# The portable POSIX.1-2008 backend (macOS and the BSDs; forced on Linux with
# -DENOUGH_PLATFORM=posix to test it).
set(enough_platform_sources
  platform/posix/os_handle.cpp
  platform/posix/pipe.cpp
  platform/posix/process.cpp
  platform/posix/process_watch.cpp
  platform/posix/shared_memory.cpp
  platform/posix/shared_page.cpp
  platform/posix/shared_wake.cpp
  platform/posix/thread_exit.cpp
  platform/posix/wait_word.cpp
  platform/posix/waitable_event.cpp)
