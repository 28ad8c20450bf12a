// Tokens across processes on Windows: the exported int is the value of an inheritable
// HANDLE; a child started by CreateProcess with inheritance imports it (peer.cpp is
// the other process). Run under Wine here.
#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include <windows.h>

#include <string>

namespace {

// The peer program, beside this one (ENOUGH_PROCESS_PEER names its file).
std::string peer_path() {
    char path[MAX_PATH];
    const DWORD length = GetModuleFileNameA(nullptr, path, MAX_PATH);
    std::string self(path, length);
    return self.substr(0, self.find_last_of("\\/") + 1) + ENOUGH_PROCESS_PEER;
}

// A child running the peer, its stdout a pipe we read line by line.
class peer {
public:
    explicit peer(const std::string &arguments) {
        SECURITY_ATTRIBUTES inheritable{sizeof inheritable, nullptr, TRUE};
        HANDLE write_end = nullptr;
        EXPECT_TRUE(CreatePipe(&read_, &write_end, &inheritable, 0));
        SetHandleInformation(read_, HANDLE_FLAG_INHERIT, 0); // ours alone
        const std::string program = peer_path();
        std::string command = "\"" + program + "\" " + arguments;
        STARTUPINFOA startup{};
        startup.cb = sizeof startup;
        startup.dwFlags = STARTF_USESTDHANDLES;
        startup.hStdOutput = write_end;
        startup.hStdError = write_end;
        startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
        PROCESS_INFORMATION started{};
        EXPECT_TRUE(CreateProcessA(program.c_str(), command.data(), nullptr, nullptr, TRUE, 0,
                                   nullptr, nullptr, &startup, &started))
            << GetLastError();
        CloseHandle(write_end); // the child (and its children) hold the other copies
        CloseHandle(started.hThread);
        process_ = started.hProcess;
    }
    ~peer() {
        if (process_ != nullptr) {
            TerminateProcess(process_, 9);
            WaitForSingleObject(process_, 5000);
            CloseHandle(process_);
        }
        CloseHandle(read_);
    }
    // The next line it prints ("" at the end of its output).
    std::string line() {
        std::string text;
        char c = 0;
        DWORD got = 0;
        while (ReadFile(read_, &c, 1, &got, nullptr) && got == 1) {
            if (c == '\n') {
                break;
            }
            if (c != '\r') {
                text += c;
            }
        }
        return text;
    }
    int exit_code() {
        WaitForSingleObject(process_, 20000);
        DWORD code = 1;
        GetExitCodeProcess(process_, &code);
        CloseHandle(process_);
        process_ = nullptr;
        return static_cast<int>(code);
    }
    HANDLE process() const { return process_; }

private:
    HANDLE read_ = nullptr;
    HANDLE process_ = nullptr;
};

TEST(ProcessBoundaryWindows, AReasonCrossesToTwoChildren) {
    enough::source source;
    const int exported = enough_token_export(source.token().get());
    ASSERT_GT(exported, 0) << enough_last_error();
    peer first("wait " + std::to_string(exported));
    peer second("poll " + std::to_string(exported));
    ASSERT_EQ(first.line(), "ready");
    ASSERT_EQ(second.line(), "ready");
    source.cancel(static_cast<enough::reason>(4242));
    EXPECT_EQ(first.line(), "cancelled 4242");
    EXPECT_EQ(second.line(), "cancelled 4242");
    EXPECT_EQ(first.exit_code(), 0);
    EXPECT_EQ(second.exit_code(), 0);
    CloseHandle(LongToHandle(exported));
}

TEST(ProcessBoundaryWindows, TheExporterDestroyingItsSourcesOrphansTheChild) {
    auto source = std::make_unique<enough::source>();
    const int exported = enough_token_export(source->token().get());
    ASSERT_GT(exported, 0);
    peer child("wait " + std::to_string(exported));
    ASSERT_EQ(child.line(), "ready");
    source.reset();
    EXPECT_EQ(child.line(), "orphaned may_cancel=0");
    EXPECT_EQ(child.exit_code(), 0);
    CloseHandle(LongToHandle(exported));
}

TEST(ProcessBoundaryWindows, TerminateProcessOnTheExporterOrphansAGrandchild) {
    peer exporter("exporter \"" + peer_path() + "\"");
    std::string first = exporter.line();
    std::string second = exporter.line();
    if (first == "ready") {
        std::swap(first, second);
    }
    ASSERT_EQ(first.rfind("exporter ready ", 0), 0u) << first;
    ASSERT_EQ(second, "ready");
    ASSERT_TRUE(TerminateProcess(exporter.process(), 9));
    EXPECT_EQ(exporter.line(), "orphaned may_cancel=0"); // the grandchild's line
}

TEST(ProcessBoundaryWindows, BadHandleValuesAreRefusedWithoutACrash) {
    EXPECT_EQ(enough_token_import(-1), nullptr);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_BAD_ARGUMENT);
    EXPECT_EQ(enough_token_import(0), nullptr);
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    EXPECT_EQ(enough_token_import(static_cast<int>(HandleToLong(event))), nullptr);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_NOT_EXPORTED) << enough_last_error();
    CloseHandle(event);
    EXPECT_EQ(enough_token_import(static_cast<int>(HandleToLong(event))), nullptr); // closed
    EXPECT_NE(enough_last_error_code(), ENOUGH_ERROR_NONE);
    enough::source source;
    const int exported = enough_token_export(source.token().get());
    void *imported = enough_token_import(exported); // in the same process: it works too
    ASSERT_NE(imported, nullptr);
    source.cancel();
    EXPECT_TRUE(enough_token_is_cancelled(imported));
    // An importer can never cancel: an imported token is refused as a source.
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(imported, 5));
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_WRONG_KIND);
    enough_token_destroy(imported);
    CloseHandle(LongToHandle(exported));
}

} // namespace
