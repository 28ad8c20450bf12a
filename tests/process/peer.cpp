// The other process in the cross-process tests: imports the token behind the
// descriptor it is given and reports, one line at a time on stdout, what it sees.
//   peer wait FD              import, "ready", block in enough_token_wait, then
//                             "cancelled REASON" or "orphaned"
//   peer poll FD              the same, polling the state word (token_view)
//   peer relay FD PEER        import, export again, run `PEER wait NEWFD` (a grandchild)
//   peer exporter PEER        make a source, export it, run `PEER wait FD`, "ready",
//                             then sleep until killed (the tests kill -9 it)
#include <enough/enough.hpp>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

extern char **environ;

namespace {

void say(const std::string &line) {
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
}

pid_t spawn_with_fd(const char *program, const char *mode, int fd) {
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
        const pid_t grandchild = spawn_with_fd(argv[3], "wait", again);
        close(again);
        int status = 0;
        waitpid(grandchild, &status, 0); // its lines go straight to our stdout
        return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
    }
    if (mode == "exporter") {
        enough::source source;
        const int fd = enough_token_export(source.token().get());
        const pid_t child = spawn_with_fd(argv[2], "wait", fd);
        close(fd);
        say("exporter ready " + std::to_string(child));
        for (;;) {
            std::this_thread::sleep_for(std::chrono::seconds(1)); // until kill -9
        }
    }
    return 64;
}
