// Callbacks: the registrations on one cancellation state, the registry that lists them,
// and the protocol that runs and removes them (read in one place, as stdexec keeps
// its stop_token).
//
// A circular doubly-linked list (head only: head->prev is the tail) under a one-word
// lock. That word also keeps the state's memory, by one rule:
//
//   THE MEMORY RULE. The state's memory has holders: its references, all together, are
//   one holder, and every registration counted here is one more. The lock word counts
//   the holders; whoever drops the last one frees the memory.
//
// A link (below) holds it only until it has run: its owner holds a reference to the
// parent as well, which keeps the memory from then on, so removing a link that ran
// needs no lock.
//
// So a registration keeps the state's memory (not a reference: it must not keep a
// token alive or un-orphan it), and counting it while the lock is held anyway costs no
// extra atomic operation: the unlock is a plain store of the new count.
//
// The cancelling thread takes the callbacks one at a time off the list and runs each
// with no lock held. Unregistering a callback that is running on another thread waits
// for it (on the registration's own phase word); unregistering it from inside itself
// returns at once and leaves the freeing to the runner. Nothing here allocates.
#pragma once

#include "runtime/compiler.hpp"
#include "runtime/object_pool.hpp"

#include <enough/abi.h>

#include <gsl/pointers>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace enough::detail {

class callback_registry;

// Frees the object that owns `registry`, whose last memory holder a registration
// dropped (the memory rule). Defined by the owner of registries (the cancellation
// state), so that this file knows nothing above it.
void free_registry_owner(callback_registry *registry) noexcept;

// ---- a node: what a registry lists ------------------------------------------------
//
// Either a callback registration (below), or a link of a linked state to one of this
// library's parents, embedded in the child's link_set: the link needs no COM object,
// no callback pointer and no allocation of its own. Fields other than phase_ and
// spare_ are guarded by the registry's lock.
struct registry_node {
    enum class kind : uint8_t { registration, link };
    enum class phase : uint32_t { idle, listed, running, done };

    explicit registry_node(kind k) noexcept : kind_(k) {}
    registry_node(const registry_node &) = delete;
    registry_node &operator=(const registry_node &) = delete;

    phase current_phase() const noexcept {
        return static_cast<phase>(phase_.load(std::memory_order_acquire));
    }
    void set_phase(phase p) noexcept {
        phase_.store(static_cast<uint32_t>(p), std::memory_order_release);
    }
    // Runs what the node stands for on this thread, marked as "running here" so that
    // an unregister from inside it returns at once.
    void invoke(int32_t reason) noexcept;
    // Runs a node the registry did not list (the state was cancelled already), and
    // records that it ran: unregistering then says so.
    void run_unlisted(int32_t reason) noexcept {
        invoke(reason);
        set_phase(phase::done);
    }
    // Frees the node; it is not running.
    void destroy() noexcept;

    registry_node *prev_ = nullptr;
    registry_node *next_ = nullptr;
    std::atomic<uint32_t> phase_{static_cast<uint32_t>(phase::idle)};
    const kind kind_;
    bool destroy_after_run_ = false; // unregistered from inside its own run
    bool awaited_ = false;           // another thread waits for its run to finish
    std::atomic<bool> spare_{false}; // the owner's (a link's "parent gone" mark)
};
static_assert(sizeof(registry_node) == 24);

// What a link node does and how it goes, defined by its owners (the state, and a
// linked state's link_set), so that this file knows nothing above it.
void fire_link(registry_node *link, int32_t reason) noexcept;
void free_link(registry_node *link) noexcept;
// The registry of one of this library's tokens (defined by the state).
callback_registry &registry_of_own_token(gsl::not_null<enough_token *> token) noexcept;

// ---- a registration: the object enough_token_register hands out ----------------
//
// An enough_unknown whose last release unregisters with std::stop_callback's
// guarantee. It keeps the memory of the state it is registered with (the memory rule
// above), not a reference: a registration must not keep a token
// observable or its sources' right to cancel alive, but the state's list, which it
// sits in, must outlive it.
class callback_registration : public pooled<pool_kind::registration> {
public:
    // A registration in `registry` (whose owner's memory it holds once the registry
    // counts it), or in none (nullptr: a token that can never cancel; it never runs).
    // nullptr when memory is exhausted.
    static gsl::owner<callback_registration *> create(callback_registry *registry,
                                                      enough_callback_fn callback,
                                                      void *user_data) noexcept;

    enough_unknown *face() noexcept { return &face_; }
    static callback_registration *from(gsl::not_null<enough_unknown *> face) noexcept {
        return reinterpret_cast<callback_registration *>(face.get()); // face_ is first
    }
    registry_node *node() noexcept { return &node_; }
    static callback_registration *from(gsl::not_null<registry_node *> node) noexcept {
        return reinterpret_cast<callback_registration *>(reinterpret_cast<char *>(node.get()) -
                                                         offsetof(callback_registration, node_));
    }
    enough_callback_fn callback_function() const noexcept { return callback_; }
    void *callback_data() const noexcept { return user_data_; }

    uint32_t add_ref() noexcept { return refs_.fetch_add(1, std::memory_order_relaxed) + 1; }
    uint32_t release() noexcept; // the last one unregisters, waiting out a running callback
    // Releases this reference without ever waiting: true when it was the last and the
    // callback had not run (now it never will).
    bool release_without_waiting() noexcept;

    // Calls the callback (registry_node::invoke marks it as running here).
    void call(int32_t reason) noexcept { callback_(user_data_, reason); }

    // Frees the registration; its callback is not running.
    void destroy() noexcept;

private:
    struct unregistered {
        bool last;          // it was the last reference
        bool before_it_ran; // and the callback had not run: now it never will
    };
    unregistered unregister_on_last(bool wait) noexcept;

    callback_registration(callback_registry *registry, enough_callback_fn callback,
                          void *user_data) noexcept;
    ~callback_registration() = default;

    enough_unknown face_;
    std::atomic<uint32_t> refs_{1};
    enough_callback_fn callback_;
    void *user_data_;
    callback_registry *registry_;
    registry_node node_{registry_node::kind::registration};
};

// The vtable of this library's registrations (for the flat adapters' fast path).
ENOUGH_INTERNAL extern const enough_unknown_vtbl registration_vtable;

// The node the current thread is running, if any.
ENOUGH_INTERNAL bool is_running_on_this_thread(const registry_node *node) noexcept;


// ---- the registry: one per state -------------------------------------------------
class callback_registry {
public:
    // Counts `node` as a registration of this state and lists it to run when the state
    // cancels. Returns false, listing nothing (but counting it), when `word` already
    // holds a reason: the caller then runs the node itself.
    bool add(registry_node *node, const std::atomic<uint32_t> &word) noexcept;

    // Runs and unlists every listed node, on this (the cancelling) thread, which
    // holds a reference to the state throughout.
    void run_all(int32_t reason) noexcept;

    struct removal {
        bool free_node;     // false while its callback runs (the runner frees it)
        bool free_state;    // it dropped the state's last memory holder
        bool before_it_ran; // the callback never ran and now never will
    };
    // Unlists `node` and drops its holder. With `wait`, after it returns the callback
    // is not running and never will (but from inside the callback itself); without,
    // a callback running on another thread is left to finish, and frees the node.
    removal remove(registry_node *node, bool wait) noexcept {
        // A link that has run holds no memory: its owner holds a reference to the
        // parent, which keeps the memory while the runner finishes with it, so a done
        // link's holder went when it was marked done, and removing it touches nothing
        // here (no lock: dropping a cancelled chain takes no parent's lock). Done is final.
        if (is_done_link(node)) {
            return {true, false, false};
        }
        return remove_locked(node, wait);
    }

    // Takes the first listed node off the list of a state that can never cancel (it
    // never runs: unregistering it says so) and runs f(node) under the lock (short, no
    // user code). False when none is listed.
    template <class F>
    bool unlist_first(F f) noexcept {
        const uint32_t word = lock();
        registry_node *const node = head_;
        if (node != nullptr) {
            unlink(node);
            node->set_phase(phase::idle);
            f(node);
        }
        unlock(word);
        return node != nullptr;
    }

    // The state's last reference is gone: drops the references' holder. True if it was
    // the last holder (the caller frees the state).
    bool drop_references_holder() noexcept;

    // Runs f() under this registry's lock (the owning state's links use it too). f
    // must be short and run no user code.
    template <class F>
    void with_lock(F f) noexcept {
        const uint32_t word = lock();
        f();
        unlock(word);
    }

    // True when a registration exists or may be being added (the lock is held: a
    // registrar counts itself only when it unlocks). seq_cst: cancel_async orders it
    // after storing the word, and lock() is seq_cst, so a registrar either sees the
    // word or is seen here (see add, and docs/memory-order.md).
    bool has_registrations() const noexcept {
        const uint32_t word = lock_and_holders_.load(std::memory_order_seq_cst);
        return (word & locked) != 0 || (word & ~locked) > holder_unit;
    }

private:
    using phase = registry_node::phase;
    // lock_and_holders_: bit 0 = locked; bits 1..31 = the memory holders.
    static constexpr uint32_t locked = 1;
    static constexpr uint32_t holder_unit = 2;

    uint32_t lock() noexcept; // returns the word (without the lock bit), lock held
    void unlock(uint32_t word) noexcept { lock_and_holders_.store(word, std::memory_order_release); }
    void unlink(registry_node *node) noexcept; // with the lock held
    // Drops one holder from `word` (lock held); true when it was the last.
    static bool drop_holder(uint32_t &word) noexcept {
        word -= holder_unit;
        return word == 0;
    }

    static bool is_done_link(const registry_node *node) noexcept {
        return node->kind_ == registry_node::kind::link && node->current_phase() == registry_node::phase::done;
    }
    removal remove_locked(registry_node *node, bool wait) noexcept;

    std::atomic<uint32_t> lock_and_holders_{holder_unit}; // the references' holder
    registry_node *head_ = nullptr;
};

} // namespace enough::detail
