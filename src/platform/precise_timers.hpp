// The library's thread sleeps until the next deadline: a deadline is as late as the
// system lets that sleep overrun. Linux lets a thread's timed waits run up to 50 us
// late by default (its timer slack, to batch wake-ups); the library's thread asks for
// none.
#pragma once

namespace enough::detail {

// The calling thread's timed waits end as close to their time as the system can.
void make_this_threads_timers_precise() noexcept;

} // namespace enough::detail
