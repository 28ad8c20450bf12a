// A call when a thread exits, made while its thread-local storage is still whole.
//
// C++ thread_local destructors cannot promise that everywhere: under mingw-w64 the
// storage of thread_local variables (emulated TLS) may be freed before the
// destructors that read it run. So the object pool retires a thread's cache here:
// POSIX: a thread-specific data destructor (after C++ thread_local destructors, while
// TLS is intact); Windows: a fiber-local storage callback (before TLS callbacks and
// DLL_THREAD_DETACH).
#pragma once

namespace enough::detail {

using thread_exit_fn = void (*)(void *value) noexcept;

// When the calling thread exits, calls `at_exit(value)` on it. One function for the
// whole process (the first one given); a later call on the same thread replaces
// the value. False if the system refused.
bool call_at_thread_exit(thread_exit_fn at_exit, void *value) noexcept;

} // namespace enough::detail
