# Windows: WaitOnAddress, events, file mappings, process handles.
set(enough_platform_sources
  platform/win32/os_handle.cpp
  platform/win32/process.cpp
  platform/win32/process_watch.cpp
  platform/win32/shared_page.cpp
  platform/win32/shared_wake.cpp
  platform/win32/thread_exit.cpp
  platform/win32/wait_word.cpp
  platform/win32/waitable_event.cpp)
# WaitOnAddress lives in the API set behind libsynchronization.
set(enough_platform_libraries synchronization)
