# Fails if the library built with the portable backend calls what macOS or FreeBSD
# lacks (src/platform/posix/README.md): Linux-only calls that would compile here and
# fail at the port. (libstdc++'s inline std::condition_variable calls glibc's
# pthread_cond_clockwait: that is the C++ library's business, and libc++ on macOS has
# its own.) And the backend's sources name none of Linux's own flags. Usage:
#   cmake -DNM=nm -DLIBRARY=libenough.so -DSOURCES=src/platform/posix -P check_calls.cmake
cmake_policy(SET CMP0057 NEW) # IN_LIST
set(lacking pipe2 eventfd eventfd_read eventfd_write memfd_create accept4 dup3
    pthread_condattr_setclock sem_init sem_destroy sem_timedwait sem_clockwait
    pthread_timedjoin_np pthread_tryjoin_np syscall
    epoll_create epoll_create1 epoll_wait signalfd timerfd_create pidfd_open
    gettid sched_getcpu)
execute_process(COMMAND ${NM} -D --undefined-only ${LIBRARY}
  OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${LIBRARY}")
endif()
string(REGEX MATCHALL "U [A-Za-z0-9_]+" calls "${listing}")
list(TRANSFORM calls REPLACE "^U " "")
set(found "")
foreach(call IN LISTS lacking)
  if(call IN_LIST calls)
    list(APPEND found ${call})
  endif()
endforeach()
if(found)
  message(FATAL_ERROR "${LIBRARY} calls what macOS or FreeBSD lacks: ${found}")
endif()
list(LENGTH calls count)
list(LENGTH lacking checked)
message(STATUS "${count} system calls and symbols used; none of the ${checked} that macOS or FreeBSD lacks")

set(linux_flags SOCK_CLOEXEC SOCK_NONBLOCK O_TMPFILE MFD_CLOEXEC F_ADD_SEALS MAP_POPULATE
    CLOCK_BOOTTIME EFD_CLOEXEC)
file(GLOB sources ${SOURCES}/*.cpp ${SOURCES}/*.hpp)
foreach(source IN LISTS sources)
  file(READ ${source} text)
  foreach(flag IN LISTS linux_flags)
    if(text MATCHES "[^A-Za-z_]${flag}[^A-Za-z_]")
      message(FATAL_ERROR "${source} uses ${flag}, which macOS lacks")
    endif()
  endforeach()
endforeach()
list(LENGTH sources files)
message(STATUS "${files} sources of the backend name none of Linux's own flags: ${linux_flags}")
