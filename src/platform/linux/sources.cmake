# Linux: futex, eventfd, sealed memfd, pidfd; the rest from the POSIX backend.
set(enough_platform_sources
  platform/linux/process_watch.cpp
  platform/linux/shared_page.cpp
  platform/linux/wait_word.cpp
  platform/linux/waitable_event.cpp
  platform/posix/os_handle.cpp
  platform/posix/pipe.cpp
  platform/posix/process.cpp
  platform/posix/shared_memory.cpp
  platform/posix/shared_wake.cpp
  platform/posix/thread_exit.cpp)
