// Tokens across process boundaries: enough_token_export / enough_token_import, in one
// process and across fork+exec (tests/process/peer.cpp is the other process).
#include "flag_token.hpp"

#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include "wait_helpers.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

extern char **environ;

namespace {

using enough_test::eventually;
using enough_test::readable;

using namespace std::chrono_literals;

// Exports go on the library's thread shortly after their token cancels or orphans.
class ProcessBoundary : public ::testing::Test {
protected:
    void SetUp() override { live_before_ = enough_live_objects(); }
    void TearDown() override {
        EXPECT_TRUE(eventually([&] { return enough_live_objects() == live_before_; }))
            << "leaked: " << enough_live_objects() - live_before_;
    }
    std::size_t live_before_ = 0;
};

enough::token import_token(int fd) {
    return enough::token::attach(static_cast<enough_token *>(enough_token_import(fd)));
}

// ---- one process -----------------------------------------------------------------

TEST_F(ProcessBoundary, RoundTripInOneProcess) {
    enough::source source;
    const int fd = enough_token_export(source.token().get());
    ASSERT_GE(fd, 0) << enough_last_error();
    EXPECT_EQ(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    void *raw = enough_token_import(fd);
    ASSERT_NE(raw, nullptr) << enough_last_error();
    close(fd); // import does not keep the descriptor
    enough::token imported = enough::token::attach(static_cast<enough_token *>(raw));
    const enough::token_view view(imported);
    EXPECT_FALSE(view.is_cancelled());
    EXPECT_TRUE(imported.may_cancel());
    EXPECT_FALSE(imported.wait(10ms));

    std::atomic<int32_t> seen{0};
    auto registration = imported.on_cancel([&](enough::reason why) { seen = static_cast<int32_t>(why); });
    enough::source child = enough::source::linked({view});
    const int imported_fd = imported.fd();
    ASSERT_GE(imported_fd, 0);

    ASSERT_TRUE(source.cancel(enough::reason{300}));
    EXPECT_TRUE(view.is_cancelled()); // one load of the shared word, at once
    EXPECT_EQ(view.check(), enough::reason{300});
    EXPECT_TRUE(imported.wait(5s));
    EXPECT_TRUE(eventually([&] { return seen.load() == 300; }));
    EXPECT_TRUE(eventually([&] { return child.reason() == enough::reason{300}; }));
    EXPECT_TRUE(readable(imported_fd, 5000));
}

TEST_F(ProcessBoundary, OnePagePerTokenAndTheWordIsShared) {
    enough::source source;
    enough::token token = source.token();
    const int first = enough_token_export(token.get());
    const int second = enough_token_export(source.token().get()); // the same token
    ASSERT_GE(first, 0);
    ASSERT_GE(second, 0);
    struct stat a {};
    struct stat b {};
    ASSERT_EQ(fstat(first, &a), 0);
    ASSERT_EQ(fstat(second, &b), 0);
    EXPECT_EQ(a.st_ino, b.st_ino);
    // One page of the system's size (times the build's multiple: 16 KiB in the posix preset).
    EXPECT_EQ(a.st_size, sysconf(_SC_PAGESIZE) * ENOUGH_TEST_PAGE_MULTIPLE);
    enough::token one = import_token(first);
    enough::token two = import_token(second);
    EXPECT_EQ(enough::token_view(one).get()->vtbl, enough::token_view(two).get()->vtbl);
    close(first);
    close(second);
}

TEST_F(ProcessBoundary, ObservingNeverGrantsPower) {
    enough::source source;
    const int fd = enough_token_export(source.token().get());
    ASSERT_GE(fd, 0);
    EXPECT_EQ(fcntl(fd, F_GETFL) & O_ACCMODE, O_RDONLY);
    EXPECT_EQ(mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), MAP_FAILED);
    const uint32_t scribble = 7;
    EXPECT_LT(pwrite(fd, &scribble, sizeof scribble, 0), 0);
    EXPECT_NE(ftruncate(fd, 0), 0);
    enough::token imported = import_token(fd);
    void *out = nullptr;
    enough_token *face = imported.get();
    EXPECT_EQ(face->vtbl->query_interface(face, &ENOUGH_IID_SOURCE, &out), ENOUGH_E_NOINTERFACE);
    EXPECT_EQ(face->vtbl->query_interface(face, &ENOUGH_IID_SOURCE3, &out), ENOUGH_E_NOINTERFACE);
    enough_cancellation_cancel(face); // refused: a token, not a source
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_WRONG_KIND);
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(face, 5));
    EXPECT_FALSE(source.is_cancelled());
    close(fd);
}

TEST_F(ProcessBoundary, OrphanedWhenTheSourcesGo) {
    auto *source = new enough::source();
    const int fd = enough_token_export(source->token().get());
    enough::token imported = import_token(fd);
    close(fd);
    std::atomic<bool> returned{false};
    std::atomic<bool> result{true};
    std::thread waiter([&] {
        result = imported.wait();
        returned = true;
    });
    std::this_thread::sleep_for(20ms);
    delete source; // orphans the exported token
    waiter.join();
    EXPECT_FALSE(result.load()); // nothing hangs
    EXPECT_FALSE(imported.may_cancel());
    EXPECT_FALSE(imported.is_cancelled());
}

TEST_F(ProcessBoundary, AnyTokenExports) {
    // A deadline-driven one, a linked one, the never token, an imported one.
    enough::source timed;
    timed.cancel_after(30ms);
    enough::source parent;
    enough::source linked = enough::source::linked({parent.token()});
    const int timed_fd = enough_token_export(timed.token().get());
    const int linked_fd = enough_token_export(linked.token().get());
    const int never_fd = enough_token_export(enough_token_create_never());
    enough::token timed_import = import_token(timed_fd);
    enough::token linked_import = import_token(linked_fd);
    enough::token never_import = import_token(never_fd);
    const int again_fd = enough_token_export(linked_import.get()); // an import, exported again
    enough::token again_import = import_token(again_fd);
    for (int fd : {timed_fd, linked_fd, never_fd, again_fd}) {
        ASSERT_GE(fd, 0);
        close(fd);
    }
    EXPECT_TRUE(timed_import.wait(5s));
    EXPECT_EQ(timed_import.check(), enough::reason::timed_out);
    parent.cancel(enough::reason{404});
    EXPECT_TRUE(linked_import.wait(5s));
    EXPECT_EQ(linked_import.check(), enough::reason{404});
    EXPECT_TRUE(again_import.wait(5s));
    EXPECT_EQ(again_import.check(), enough::reason{404});
    EXPECT_TRUE(eventually([&] { return !never_import.may_cancel(); }));
    EXPECT_FALSE(never_import.wait(-1ms));
}

TEST_F(ProcessBoundary, ForeignTokensExportThroughAMirror) {
    enough::token foreign = enough::make_token<enough_test::flag_token>();
    const int fd = enough_token_export(foreign.get());
    ASSERT_GE(fd, 0);
    enough::token imported = import_token(fd);
    close(fd);
    enough_test::flag_token::self(foreign.get())->cancel(); // the library's thread notices within 1 ms
    EXPECT_TRUE(imported.wait(5s));
    EXPECT_EQ(imported.check(), enough::reason::cancelled);
}

// ---- hostile descriptors and pages --------------------------------------------------

void expect_refused(int fd, int32_t code, const char *what) {
    EXPECT_EQ(enough_token_import(fd), nullptr) << what;
    EXPECT_EQ(enough_last_error_code(), code) << what << ": " << enough_last_error();
}

// One page of this system's (4 KiB here; 16 KiB on Apple silicon and in the posix
// preset's macOS personality): a size the importer would take, so that each refusal
// below is for the reason it names, not for the size.
std::size_t system_page() { return static_cast<std::size_t>(sysconf(_SC_PAGESIZE)); }

int sealed_page(std::size_t size, bool seal) {
    const int fd = memfd_create("not-a-token", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    EXPECT_EQ(ftruncate(fd, static_cast<off_t>(size)), 0);
    if (seal) {
        fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
    }
    return fd;
}

TEST_F(ProcessBoundary, BadDescriptorsAreRefusedWithAClearError) {
    expect_refused(-1, ENOUGH_ERROR_BAD_ARGUMENT, "-1");
    int pipe_ends[2];
    ASSERT_EQ(pipe(pipe_ends), 0);
    expect_refused(pipe_ends[0], ENOUGH_ERROR_NOT_EXPORTED, "a pipe");
    close(pipe_ends[1]);
    expect_refused(pipe_ends[1], ENOUGH_ERROR_BAD_ARGUMENT, "a closed descriptor");
    close(pipe_ends[0]);
    FILE *file = std::tmpfile();
    ASSERT_NE(file, nullptr);
    ASSERT_EQ(ftruncate(fileno(file), static_cast<off_t>(system_page())), 0);
    expect_refused(fileno(file), ENOUGH_ERROR_NOT_EXPORTED, "a regular file");
    std::fclose(file);
    const int small = sealed_page(64, true);
    expect_refused(small, ENOUGH_ERROR_NOT_EXPORTED, "a memfd of the wrong size");
    close(small);
    const int unsealed = sealed_page(system_page(), false);
    expect_refused(unsealed, ENOUGH_ERROR_NOT_EXPORTED, "an unsealed memfd (it could shrink)");
    close(unsealed);
    const int zeros = sealed_page(system_page(), true);
    expect_refused(zeros, ENOUGH_ERROR_NOT_EXPORTED, "a sealed page without the magic");
    close(zeros);
}

TEST_F(ProcessBoundary, APeerScribblingOnThePageCannotHurt) {
    // A page made by hand, as a buggy or hostile exporter would: valid header, then garbage.
    enough::source source;
    const int real = enough_token_export(source.token().get());
    uint32_t header[8] = {};
    ASSERT_EQ(pread(real, header, sizeof header, 0), static_cast<ssize_t>(sizeof header));
    close(real);
    const int fd = memfd_create("hostile", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    const std::size_t size = system_page();
    ASSERT_EQ(ftruncate(fd, static_cast<off_t>(size)), 0);
    auto *page = static_cast<uint32_t *>(mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
    ASSERT_NE(page, MAP_FAILED);
    std::memcpy(page, header, sizeof header); // our pid and start time: "alive"
    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
    enough::token imported = import_token(fd);
    ASSERT_NE(imported.get(), enough::token().get());
    EXPECT_TRUE(imported.may_cancel());
    page[0] = 0xFFFFFFFFu; // no reason at all
    EXPECT_TRUE(imported.is_cancelled());
    EXPECT_EQ(imported.check(), enough::reason::cancelled); // clamped, never negative
    EXPECT_EQ(enough_token_reason(imported.get()), ENOUGH_REASON_CANCELLED);
    page[0] = 0; // un-cancelled by the peer: we report what the page says, nothing breaks
    page[1] = 0xDEADBEEF; // "orphaned" as garbage
    EXPECT_FALSE(imported.may_cancel());
    EXPECT_FALSE(imported.wait(-1ms));
    // The pid of a process that has exited and been reaped: an import sees a dead exporter.
    const pid_t gone = fork();
    if (gone == 0) {
        _exit(0);
    }
    ASSERT_EQ(waitpid(gone, nullptr, 0), gone);
    page[4] = static_cast<uint32_t>(gone);
    page[1] = 0;
    enough::token second = import_token(fd);
    EXPECT_FALSE(second.may_cancel());
    munmap(page, size);
    close(fd);
}

// ---- across fork + exec ---------------------------------------------------------

// A child process running tests/process/peer.cpp, with the descriptor inherited.
class peer {
public:
    peer(const std::vector<std::string> &arguments, int fd) {
        int out[2];
        EXPECT_EQ(pipe2(out, O_CLOEXEC), 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
        if (fd >= 0) {
            posix_spawn_file_actions_adddup2(&actions, fd, fd); // clears close-on-exec
        }
        std::vector<char *> argv{const_cast<char *>(ENOUGH_PROCESS_PEER)};
        for (const std::string &argument : arguments) {
            argv.push_back(const_cast<char *>(argument.c_str()));
        }
        argv.push_back(nullptr);
        EXPECT_EQ(posix_spawn(&pid_, ENOUGH_PROCESS_PEER, &actions, nullptr, argv.data(), environ), 0);
        posix_spawn_file_actions_destroy(&actions);
        close(out[1]);
        output_ = fdopen(out[0], "r");
    }
    ~peer() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        std::fclose(output_);
    }
    // The next line it prints ("" at end of output).
    std::string line() {
        char buffer[256];
        if (std::fgets(buffer, sizeof buffer, output_) == nullptr) {
            return "";
        }
        std::string text = buffer;
        if (!text.empty() && text.back() == '\n') {
            text.pop_back();
        }
        return text;
    }
    int exit_code() {
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    FILE *output_ = nullptr;
};

TEST_F(ProcessBoundary, CancelWithReasonAcrossForkExec) {
    for (const char *mode : {"wait", "poll"}) {
        enough::source source;
        const int fd = enough_token_export(source.token().get());
        peer child({mode, std::to_string(fd)}, fd);
        close(fd);
        ASSERT_EQ(child.line(), "ready") << mode;
        source.cancel(enough::reason{777});
        EXPECT_EQ(child.line(), "cancelled 777") << mode;
        EXPECT_EQ(child.exit_code(), 0);
    }
}

TEST_F(ProcessBoundary, OrphanedAcrossProcessesWhenTheSourceGoes) {
    auto *source = new enough::source();
    const int fd = enough_token_export(source->token().get());
    peer child({"wait", std::to_string(fd)}, fd);
    close(fd);
    ASSERT_EQ(child.line(), "ready");
    delete source;
    EXPECT_EQ(child.line(), "orphaned may_cancel=0");
    EXPECT_EQ(child.exit_code(), 0);
}

TEST_F(ProcessBoundary, AnExporterKilledWithSigkillIsNoticedWithinASecond) {
    peer exporter({"exporter", ENOUGH_PROCESS_PEER}, -1);
    // Two lines, in either order: the exporter's and its importing child's.
    std::string first = exporter.line();
    std::string second = exporter.line();
    if (first == "ready") {
        std::swap(first, second);
    }
    ASSERT_EQ(first.rfind("exporter ready ", 0), 0u) << first;
    ASSERT_EQ(second, "ready");
    const pid_t importer = std::stoi(first.substr(std::strlen("exporter ready ")));
    const auto killed = std::chrono::steady_clock::now();
    kill(exporter.pid(), SIGKILL);
#if ENOUGH_TEST_PLATFORM_POSIX
    // POSIX cannot tell a zombie from a running process: the exporter's death shows
    // once its parent (this test) has reaped it. Linux's pidfd sees it before that.
    exporter.exit_code(); // reaps it
#endif
    EXPECT_EQ(exporter.line(), "orphaned may_cancel=0"); // the importer's line, through the pipe
    const auto noticed = std::chrono::steady_clock::now() - killed;
    EXPECT_LT(noticed, 2s) << "an exit is noticed within a second (plus slack for sanitizers)";
    // The importer is not left running for ever: it returned and exits.
    EXPECT_TRUE(eventually([&] { return kill(importer, 0) != 0 || waitpid(importer, nullptr, WNOHANG) != 0; }));
}

TEST_F(ProcessBoundary, ManyImportersOfOneExport) {
    enough::source source;
    const int fd = enough_token_export(source.token().get());
    std::vector<std::unique_ptr<peer>> children;
    for (int i = 0; i < 4; ++i) {
        children.push_back(std::make_unique<peer>(std::vector<std::string>{i % 2 ? "poll" : "wait", std::to_string(fd)}, fd));
        ASSERT_EQ(children.back()->line(), "ready");
    }
    close(fd);
    source.cancel(enough::reason{1234});
    for (auto &child : children) {
        EXPECT_EQ(child->line(), "cancelled 1234");
        EXPECT_EQ(child->exit_code(), 0);
    }
}

TEST_F(ProcessBoundary, GrandchildrenImportAnImport) {
    enough::source source;
    const int fd = enough_token_export(source.token().get());
    peer child({"relay", std::to_string(fd), ENOUGH_PROCESS_PEER}, fd);
    close(fd);
    ASSERT_EQ(child.line(), "ready"); // the grandchild's, relayed through the same pipe
    source.cancel(enough::reason{4321});
    EXPECT_EQ(child.line(), "cancelled 4321");
    EXPECT_EQ(child.exit_code(), 0);
}

} // namespace

namespace {

TEST_F(ProcessBoundary, ThroughTheProjection) {
    enough::source source;
    const int fd = source.token().export_fd();
    ASSERT_GE(fd, 0);
    std::optional<enough::token> imported = enough::token::import_fd(fd);
    close(fd);
    ASSERT_TRUE(imported.has_value());
    source.cancel(enough::reason{55});
    EXPECT_EQ(imported->check(), enough::reason{55});
    EXPECT_FALSE(enough::token::import_fd(-1).has_value());
    EXPECT_EQ(enough::last_error().code, ENOUGH_ERROR_BAD_ARGUMENT);
}

} // namespace

namespace {

TEST_F(ProcessBoundary, DeadlinesCrossToo) {
    enough::source source;
    ASSERT_TRUE(source.cancel_after(std::chrono::hours(1)));
    const int fd = source.token().export_fd();
    std::optional<enough::token> imported = enough::token::import_fd(fd);
    close(fd);
    ASSERT_TRUE(imported.has_value());
    const auto first = imported->remaining();
    ASSERT_TRUE(first.has_value());
    EXPECT_GT(*first, 0ms);
    EXPECT_LE(*first, std::chrono::hours(1));
    ASSERT_TRUE(source.cancel_after(std::chrono::hours(10))); // re-armed: the exporter republishes
    EXPECT_TRUE(eventually([&] { return imported->remaining() > std::chrono::hours(1); },
                           std::chrono::milliseconds(60'000)));
    source.cancel();
    EXPECT_EQ(imported->remaining(), 0ms);
}

} // namespace

namespace {

// A foreign enough_token2 that refuses every callback (with a failure, not
// ENOUGH_E_NOTIMPL): an export cannot follow it, and says so.
struct refusing_token {
    enough_token2 face;
    static enough_result ENOUGH_CALL query(enough_token2 *self, const enough_iid *iid, void **out) {
        *out = nullptr;
        if (enough_iid_equal(iid, &ENOUGH_IID_UNKNOWN) || enough_iid_equal(iid, &ENOUGH_IID_TOKEN) ||
            enough_iid_equal(iid, &ENOUGH_IID_TOKEN2)) {
            *out = self;
            return ENOUGH_OK;
        }
        return ENOUGH_E_NOINTERFACE;
    }
    static uint32_t ENOUGH_CALL immortal(enough_token2 *) { return 1; }
    static int32_t ENOUGH_CALL no(enough_token2 *) { return 0; }
    static int32_t ENOUGH_CALL yes(enough_token2 *) { return 1; }
    static const uint32_t *ENOUGH_CALL no_word(enough_token2 *) { return nullptr; }
    static enough_result ENOUGH_CALL refuse(enough_token2 *, enough_callback_fn, void *, enough_unknown **out) {
        *out = nullptr;
        return ENOUGH_E_UNEXPECTED;
    }
    static int32_t ENOUGH_CALL never_waits(enough_token2 *, int64_t) { return 0; }
    static int32_t ENOUGH_CALL no_fd(enough_token2 *) { return -1; }
    static constexpr enough_token2_vtbl vtable = {query, immortal, immortal, no,     yes,
                                                  no_word, no,    refuse,   never_waits, no_fd};
};

TEST_F(ProcessBoundary, AForeignTokenThatRefusesToBeFollowedIsReported) {
    refusing_token token{{&refusing_token::vtable}};
    EXPECT_EQ(enough_token_export(&token.face), -1);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_FOREIGN_FAILURE);
    EXPECT_STREQ(enough_last_error(), "enough_token_export: the foreign token refused to be followed");
}

} // namespace
