// libFuzzer target: random sequences of flat calls, each answer checked against a
// model (cancellation_model.hpp). The input is a program: one byte picks the call,
// the next bytes pick its handles (slots) and arguments. Between calls every live
// handle is checked against the model, and so are the events of a watch list
// (enough_watch_list_*); plain sources are also abandoned (enough_cancellation_abandon),
// which must then be exactly a destroy. At the end everything is released and the
// library's live-object count must be back where it started.
//
// Built with libFuzzer by the `fuzz` preset (clang); every build also replays the
// committed corpus through the same function (replay_main.cpp).
#include "cancellation_model.hpp"

#include <enough/enough.h>

#include <poll.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace {

using enough_fuzz::cancellation_model;

[[noreturn]] void fail(const char *what, std::size_t step) {
    std::fprintf(stderr, "flat_calls_fuzz: step %zu: %s\n", step, what);
    std::abort();
}
#define CHECK(condition)                                                                      \
    do {                                                                                       \
        if (!(condition)) {                                                                    \
            fail(#condition, step_);                                                           \
        }                                                                                      \
    } while (0)

struct callback_record {
    std::atomic<int> runs{0};
    std::atomic<int32_t> reason{ENOUGH_REASON_NONE};
};
void ENOUGH_CALL record_callback(void *user_data, int32_t reason) {
    auto *record = static_cast<callback_record *>(user_data);
    record->reason.store(reason);
    record->runs.fetch_add(1);
}

constexpr std::size_t slots = 6;
constexpr uint64_t far_future_ms = 3'600'000; // a deadline that never fires in a run

struct source_slot {
    void *handle = nullptr;
    int state = -1;
};
struct token_slot {
    void *handle = nullptr;
    int state = -1; // -1: the never token
};
struct registration_slot {
    void *handle = nullptr;
    int model = -1;
};
struct watch_slot {
    void *handle = nullptr;
    int state = -1;     // -1: the never token
    uint64_t key = 0;   // unique in the program
    bool taken = false; // its event was taken
    int32_t reason = ENOUGH_REASON_NONE;
};

class program {
public:
    program(const uint8_t *data, std::size_t size) : data_(data), size_(size) {}

    void run() {
        while (at_ < size_) {
            step();
            ++step_;
            check_all();
        }
        release_all();
    }

private:
    // ---- reading the program ------------------------------------------------------
    uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
    std::size_t slot() { return byte() % slots; }
    int32_t reason() {
        static constexpr std::array<int32_t, 8> reasons = {
            ENOUGH_REASON_CANCELLED, ENOUGH_REASON_TIMED_OUT, 0, -1, INT32_MIN, INT32_MAX,
            ENOUGH_REASON_FIRST_USER, 7};
        return reasons[byte() % reasons.size()];
    }

    void step() {
        switch (byte() % 20) {
        case 0: create_source(slot()); break;
        case 1: create_linked(); break;
        case 2: create_token(slot(), slot()); break;
        case 3: clone_token(slot(), slot()); break;
        case 4: cancel(slot()); break;
        case 5: cancel_with_reason(slot(), reason()); break;
        case 6: cancel_after_far(slot()); break;
        case 7: cancel_after_now(slot()); break;
        case 8: register_callback(slot(), slot()); break;
        case 9: destroy_registration(slot()); break;
        case 10: wait_zero(slot()); break;
        case 11: check_fd(slot()); break;
        case 12: destroy_token(slot()); break;
        case 13: destroy_source(slot()); break;
        case 14: add_source_ref(slot(), slot()); break;
        case 15: wrong_kind(slot(), slot()); break;
        case 16: abandon_source(slot()); break;
        case 17: add_watch(slot(), slot()); break;
        case 18: destroy_watch(slot()); break;
        default: null_handles(); break;
        }
    }

    // ---- the calls ----------------------------------------------------------------
    void create_source(std::size_t s) {
        destroy_source(s);
        void *handle = enough_cancellation_create();
        CHECK(handle != nullptr);
        sources_[s] = {handle, model_.create()};
        plain(sources_[s].state) = true;
    }

    // A state made by create_source that never had a deadline armed: abandoning its
    // source must be exactly destroying it (no deadline, no parent to keep it for).
    std::vector<bool>::reference plain(int state) {
        if (static_cast<std::size_t>(state) >= plain_.size()) {
            plain_.resize(static_cast<std::size_t>(state) + 1);
        }
        return plain_[static_cast<std::size_t>(state)];
    }

    void abandon_source(std::size_t s) {
        if (sources_[s].handle == nullptr || !plain(sources_[s].state)) {
            destroy_source(s); // what abandon keeps alive the model does not follow
            return;
        }
        enough_cancellation_abandon(sources_[s].handle);
        model_.release_source_ref(sources_[s].state);
        sources_[s] = {};
    }

    // A watch on a token: one event, once it is cancelled (with the reason) or can never
    // be (reason 0), checked in check_watches.
    void add_watch(std::size_t t, std::size_t into) {
        destroy_watch(into);
        if (tokens_[t].handle == nullptr) {
            return;
        }
        const uint64_t key = ++watch_keys_;
        void *handle = enough_watch_list_add(watch_list_.get(), tokens_[t].handle, key);
        CHECK(handle != nullptr);
        watches_[into] = {handle, tokens_[t].state, key};
    }

    void destroy_watch(std::size_t w) {
        if (watches_[w].handle != nullptr) {
            enough_watch_destroy(watches_[w].handle);
            watches_[w] = {};
        }
    }

    void create_linked() {
        const std::size_t into = slot();
        const std::size_t count = byte() % 4;
        std::vector<void *> parents;
        std::vector<int> parent_states;
        for (std::size_t i = 0; i < count; ++i) {
            const uint8_t pick = byte();
            if (pick % 8 == 7) {
                parents.push_back(nullptr); // skipped
            } else if (const token_slot &t = tokens_[pick % slots]; t.handle != nullptr) {
                parents.push_back(t.handle);
                parent_states.push_back(t.state);
            }
        }
        void *handle = enough_cancellation_create_linked(parents.data(), parents.size());
        CHECK(handle != nullptr);
        destroy_source(into);
        sources_[into] = {handle, model_.create_linked(parent_states)};
    }

    void create_token(std::size_t from, std::size_t into) {
        destroy_token(into);
        const source_slot &s = sources_[from];
        void *handle = enough_token_create(s.handle); // NULL source: the never token
        CHECK(handle != nullptr);
        CHECK((s.handle == nullptr) == (handle == enough_token_create_never()));
        tokens_[into] = {handle, s.state};
    }

    void clone_token(std::size_t from, std::size_t into) {
        if (from == into || tokens_[from].handle == nullptr) {
            return;
        }
        destroy_token(into);
        void *handle = enough_token_clone(tokens_[from].handle);
        CHECK(handle == tokens_[from].handle); // a token handle is the object's pointer
        tokens_[into] = tokens_[from];
    }

    void cancel(std::size_t s) {
        if (sources_[s].handle == nullptr) {
            return;
        }
        enough_cancellation_cancel(sources_[s].handle);
        model_.cancel(sources_[s].state, ENOUGH_REASON_CANCELLED);
    }

    void cancel_with_reason(std::size_t s, int32_t why) {
        if (sources_[s].handle == nullptr) {
            return;
        }
        const bool won = enough_cancellation_cancel_with_reason(sources_[s].handle, why);
        CHECK(won == model_.cancel(sources_[s].state, why));
    }

    void cancel_after_far(std::size_t s) {
        if (sources_[s].handle == nullptr) {
            return;
        }
        const bool armed = enough_cancellation_cancel_after(sources_[s].handle, far_future_ms);
        CHECK(armed == !model_.state(sources_[s].state).cancelled());
        plain(sources_[s].state) = false;
    }

    // A deadline of 0 is already due: the source cancels before the call returns, on
    // this thread, with its callbacks (registrations, linked children) already run.
    void cancel_after_now(std::size_t s) {
        const source_slot &source = sources_[s];
        if (source.handle == nullptr) {
            return;
        }
        const bool armed = enough_cancellation_cancel_after(source.handle, 0);
        CHECK(armed == !model_.state(source.state).cancelled());
        plain(source.state) = false;
        if (armed) {
            CHECK(enough_cancellation_reason(source.handle) == ENOUGH_REASON_TIMED_OUT);
            model_.cancel(source.state, ENOUGH_REASON_TIMED_OUT);
        }
    }

    void register_callback(std::size_t t, std::size_t into) {
        if (tokens_[t].handle == nullptr) {
            return;
        }
        destroy_registration(into);
        auto record = std::make_unique<callback_record>();
        void *handle = enough_token_register(tokens_[t].handle, record_callback, record.get());
        CHECK(handle != nullptr);
        const int model = model_.register_callback(tokens_[t].state);
        CHECK(record->runs.load() == model_.registration(model).expected_runs);
        registrations_[into] = {handle, model};
        records_.push_back(std::move(record)); // kept to the end: a late run is caught
    }

    void destroy_registration(std::size_t r) {
        registration_slot &slot = registrations_[r];
        if (slot.handle == nullptr) {
            return;
        }
        enough_registration_destroy(slot.handle);
        model_.registration(slot.model).live = false;
        slot = {};
    }

    void wait_zero(std::size_t t) {
        if (tokens_[t].handle == nullptr) {
            return;
        }
        CHECK(enough_token_wait(tokens_[t].handle, 0) == expected_cancelled(tokens_[t]));
    }

    void check_fd(std::size_t t) {
        if (tokens_[t].handle == nullptr) {
            return;
        }
        const int fd = enough_token_fd(tokens_[t].handle);
        CHECK(fd >= 0); // the never token's too: one that never becomes readable
        // Readable once cancelled: at once after a cancel on this thread; a cancel on
        // another thread publishes the word first and signals the fd just after, so the
        // fd may lag the word by a moment, never be lost.
        pollfd p{fd, POLLIN, 0};
        const bool cancelled = expected_cancelled(tokens_[t]);
        CHECK(poll(&p, 1, cancelled ? 5000 : 0) == (cancelled ? 1 : 0));
    }

    // Every cancel and orphaning runs on this thread, so each event is queued by the
    // time the call returns: a live watch has had its event exactly when its token is
    // cancelled or can never cancel, with the token's reason (0 for the latter).
    void check_watches() {
        std::array<enough_watch_event, 8> events{};
        for (std::size_t n; (n = enough_watch_list_take(watch_list_.get(), events.data(), events.size(), 0)) != 0;) {
            for (std::size_t i = 0; i < n; ++i) {
                watch_slot *found = nullptr;
                for (watch_slot &w : watches_) {
                    found = w.handle != nullptr && w.key == events[i].key ? &w : found;
                }
                CHECK(found != nullptr); // never one of a destroyed watch
                CHECK(!found->taken);    // once
                found->taken = true;
                found->reason = events[i].reason;
            }
        }
        for (const watch_slot &w : watches_) {
            if (w.handle == nullptr) {
                continue;
            }
            const bool cancelled = w.state >= 0 && model_.state(w.state).cancelled();
            const bool fires = w.state < 0 || cancelled || !model_.state(w.state).may_cancel();
            CHECK(w.taken == fires);
            CHECK(!w.taken || w.reason == (cancelled ? model_.state(w.state).reason : ENOUGH_REASON_NONE));
        }
    }

    void destroy_token(std::size_t t) {
        if (tokens_[t].handle != nullptr) {
            enough_token_destroy(tokens_[t].handle);
            tokens_[t] = {};
        }
    }

    void destroy_source(std::size_t s) {
        if (sources_[s].handle != nullptr) {
            enough_cancellation_destroy(sources_[s].handle);
            model_.release_source_ref(sources_[s].state);
            sources_[s] = {};
        }
    }

    // Another source handle to the same object, through the vtable (COM add_ref).
    void add_source_ref(std::size_t from, std::size_t into) {
        if (from == into || sources_[from].handle == nullptr) {
            return;
        }
        destroy_source(into);
        auto *face = static_cast<enough_source *>(sources_[from].handle);
        face->vtbl->add_ref(face);
        model_.add_source_ref(sources_[from].state);
        sources_[into] = sources_[from];
    }

    // A source where a token belongs and the reverse: refused, nothing changes.
    void wrong_kind(std::size_t s, std::size_t t) {
        if (void *source = sources_[s].handle; source != nullptr) {
            CHECK(!enough_token_is_cancelled(source));
            CHECK(enough_token_clone(source) == nullptr);
            CHECK(enough_token_register(source, record_callback, nullptr) == nullptr);
            CHECK(enough_last_error() != nullptr);
        }
        if (void *token = tokens_[t].handle; token != nullptr && tokens_[t].state >= 0) {
            enough_cancellation_cancel(token);
            CHECK(!enough_cancellation_cancel_with_reason(token, ENOUGH_REASON_CANCELLED));
            enough_cancellation_destroy(token);
        }
    }

    void null_handles() {
        CHECK(!enough_token_is_cancelled(nullptr));
        CHECK(!enough_token_may_cancel(nullptr));
        CHECK(enough_token_reason(nullptr) == ENOUGH_REASON_NONE);
        CHECK(!enough_token_wait(nullptr, -1));
        CHECK(enough_token_fd(nullptr) == -1);
        CHECK(enough_token_clone(nullptr) == nullptr);
        CHECK(!enough_cancellation_cancel_with_reason(nullptr, ENOUGH_REASON_CANCELLED));
        CHECK(!enough_cancellation_cancel_after(nullptr, 0));
        enough_cancellation_cancel(nullptr);
        enough_token_destroy(nullptr);
        enough_cancellation_destroy(nullptr);
        enough_registration_destroy(nullptr);
    }

    // ---- checking -----------------------------------------------------------------
    bool expected_cancelled(const token_slot &t) const {
        return t.state >= 0 && model_.state(t.state).cancelled();
    }

    // Every live handle against the model: a mismatch aborts with the condition. Every
    // cancel in a program runs on this thread (deadlines are 0, which cancels at once,
    // or an hour away), so the library must agree with the model after every call.
    void check_all() {
        for (const token_slot &t : tokens_) {
            if (t.handle == nullptr) {
                continue;
            }
            const int32_t reason = t.state >= 0 ? model_.state(t.state).reason : ENOUGH_REASON_NONE;
            const bool may_cancel = t.state >= 0 && model_.state(t.state).may_cancel();
            CHECK(enough_token_is_cancelled(t.handle) == (reason != ENOUGH_REASON_NONE));
            CHECK(enough_token_reason(t.handle) == reason);
            CHECK(enough_token_may_cancel(t.handle) == may_cancel);
        }
        for (const source_slot &s : sources_) {
            if (s.handle != nullptr) {
                CHECK(enough_cancellation_is_cancelled(s.handle) ==
                             model_.state(s.state).cancelled());
                CHECK(enough_cancellation_reason(s.handle) == model_.state(s.state).reason);
            }
        }
        for (std::size_t i = 0; i < records_.size(); ++i) {
            const auto &expected = model_.registration(static_cast<int>(i));
            CHECK(records_[i]->runs.load() == expected.expected_runs);
            CHECK(expected.expected_runs == 0 ||
                         records_[i]->reason.load() == expected.expected_reason);
        }
        check_watches();
    }

    void release_all() {
        for (std::size_t i = 0; i < slots; ++i) {
            destroy_watch(i);
            destroy_registration(i);
            destroy_token(i);
            destroy_source(i);
        }
        check_all(); // no callback ran after its registration was destroyed
    }

    const uint8_t *data_;
    std::size_t size_;
    std::size_t at_ = 0;
    std::size_t step_ = 0;
    cancellation_model model_;
    std::array<source_slot, slots> sources_{};
    std::array<token_slot, slots> tokens_{};
    std::array<registration_slot, slots> registrations_{};
    std::vector<std::unique_ptr<callback_record>> records_;
    std::vector<bool> plain_;
    struct list_deleter {
        void operator()(void *list) const noexcept { enough_watch_list_destroy(list); }
    };
    std::unique_ptr<void, list_deleter> watch_list_{enough_watch_list_create()};
    std::array<watch_slot, slots> watches_{};
    uint64_t watch_keys_ = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    const std::size_t live_before = enough_live_objects();
    program(data, size).run();
    if (enough_live_objects() != live_before) {
        std::fprintf(stderr, "flat_calls_fuzz: %zu objects leaked\n",
                     enough_live_objects() - live_before);
        std::abort();
    }
    return 0;
}
