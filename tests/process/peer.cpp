// The other process in the cross-process tests: imports the token behind the
// descriptor it is given and reports, one line at a time on stdout, what it sees.
//   peer wait FD              import, "ready", block in enough_token_wait, then
//                             "cancelled REASON" or "orphaned"
//   peer poll FD              the same, polling the state word (token_view)
//   peer relay FD PEER        import, export again, run `PEER wait NEWFD` (a grandchild)
//   peer exporter PEER        make a source, export it, run `PEER wait FD`, "ready",
//                             then sleep until killed (kill -9, TerminateProcess)
// FD is a descriptor, or on Windows the value of an inherited HANDLE.
#include <enough/enough.hpp>

#if defined(_WIN32)
#include <windows.h>
#else
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

void say(const std::string &line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
}

#if defined(_WIN32)
// The exported handle is inheritable: a child started with inheritance has it under
// the same value. Our stdout (a pipe the test reads) goes to the child too.
using child_process = HANDLE;
child_process spawn_with_fd(const char *program, const char *mode, int handle) {
    std::string command = std::string("\"") + program + "\" " + mode + " " + std::to_string(handle);
    STARTUPINFOA startup{};
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    startup.hStdOutput = GetStdHandle(STD_OUTPUT_HANDLE);
    startup.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    PROCESS_INFORMATION started{};
    if (!CreateProcessA(program, command.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr,
                        &startup, &started)) {
        return nullptr;
    }
    CloseHandle(started.hThread);
    return started.hProcess;
}
int wait_for(child_process child) {
    WaitForSingleObject(child, INFINITE);
    DWORD code = 1;
    GetExitCodeProcess(child, &code);
    CloseHandle(child);
    return static_cast<int>(code);
}
void close_exported(int handle) { CloseHandle(LongToHandle(handle)); }
std::string id_of(child_process child) { return std::to_string(GetProcessId(child)); }
#else
extern "C" char **environ;
using child_process = pid_t;
child_process spawn_with_fd(const char *program, const char *mode, int fd) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fd, fd); // same number: clears close-on-exec
    const std::string fd_text = std::to_string(fd);
    char *argv[] = {const_cast<char *>(program), const_cast<char *>(mode),
                    const_cast<char *>(fd_text.c_str()), nullptr};
    pid_t pid = -1;
    const int failed = posix_spawn(&pid, program, &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    return failed == 0 ? pid : -1;
}
int wait_for(child_process child) {
    int status = 0;
    waitpid(child, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
void close_exported(int fd) { close(fd); }
std::string id_of(child_process child) { return std::to_string(child); }
#endif

enough::token import_or_die(const char *fd_text) {
    void *imported = enough_token_import(std::atoi(fd_text));
    if (imported == nullptr) {
        say(std::string("import failed: ") + enough_last_error());
        std::exit(2);
    }
    return enough::token::attach(static_cast<enough_token *>(imported));
}

void report(const enough::token &token) {
    if (token.is_cancelled()) {
        say("cancelled " + std::to_string(static_cast<int32_t>(token.check())));
    } else {
        say(std::string("orphaned may_cancel=") + (token.may_cancel() ? "1" : "0"));
    }
}

} // namespace

int main(int argc, char **argv) {
    if (argc < 3) {
        return 64;
    }
    const std::string mode = argv[1];
    if (mode == "wait") {
        enough::token token = import_or_die(argv[2]);
        say("ready");
        token.wait();
        report(token);
        return 0;
    }
    if (mode == "poll") {
        enough::token token = import_or_die(argv[2]);
        const enough::token_view view(token);
        say("ready");
        for (unsigned long spins = 0; !view.is_cancelled(); ++spins) {
            if (spins % 4096 == 0 && !view.may_cancel()) {
                break;
            }
        }
        report(token);
        return 0;
    }
    if (mode == "relay" && argc >= 4) {
        enough::token token = import_or_die(argv[2]);
        const int again = enough_token_export(token.get());
        const child_process grandchild = spawn_with_fd(argv[3], "wait", again);
        close_exported(again);
        return wait_for(grandchild); // its lines go straight to our stdout
    }
    if (mode == "exporter") {
        enough::source source;
        const int fd = enough_token_export(source.token().get());
        const child_process child = spawn_with_fd(argv[2], "wait", fd);
        close_exported(fd);
        say("exporter ready " + id_of(child));
        for (;;) {
            std::this_thread::sleep_for(std::chrono::seconds(1)); // until kill -9
        }
    }
    return 64;
}
