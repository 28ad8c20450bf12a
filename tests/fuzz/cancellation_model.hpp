// What the flat API should answer, kept in the simplest possible form: one record per
// cancellation state (shared by a source and its tokens), with the rules of the
// contract written out: first cancel wins, an orphan never cancels, a cancel reaches
// the registrations and the linked children of its state.
#pragma once

#include <enough/enough.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace enough_fuzz {

struct model_registration {
    int state;               // -1: registered on the never token
    bool live = true;        // not yet destroyed
    int expected_runs = 0;   // 0 or 1
    int32_t expected_reason = ENOUGH_REASON_NONE;
};

struct model_state {
    int32_t reason = ENOUGH_REASON_NONE; // 0 while not cancelled
    int source_refs = 1;
    bool orphaned = false;
    std::vector<int> children; // states linked to this one (their links may be gone)

    bool cancelled() const noexcept { return reason != ENOUGH_REASON_NONE; }
    bool may_cancel() const noexcept { return cancelled() || !orphaned; }
};

class cancellation_model {
public:
    int create() {
        states_.emplace_back();
        return static_cast<int>(states_.size() - 1);
    }
    const model_state &state(int index) const { return states_.at(static_cast<std::size_t>(index)); }

    // The child starts cancelled by the first cancelled parent; parents that may still
    // cancel get a link. -1 is the never token (no link).
    int create_linked(const std::vector<int> &parents) {
        const int child = create();
        for (const int parent : parents) {
            if (parent < 0) {
                continue;
            }
            model_state &p = states_.at(static_cast<std::size_t>(parent));
            if (p.cancelled()) {
                cancel(child, p.reason);
            } else if (!p.orphaned) {
                p.children.push_back(child);
            }
        }
        return child;
    }

    // True for the call that cancelled.
    bool cancel(int index, int32_t reason) {
        if (reason <= ENOUGH_REASON_NONE) {
            return false;
        }
        model_state &s = states_.at(static_cast<std::size_t>(index));
        if (s.cancelled() || s.orphaned) {
            return false;
        }
        s.reason = reason;
        for (model_registration &r : registrations_) {
            if (r.live && r.state == index) {
                r.expected_runs = 1;
                r.expected_reason = reason;
            }
        }
        const std::vector<int> children = s.children; // cancel may grow states_
        for (const int child : children) {
            cancel(child, reason); // a child orphaned since has no link: refuses
        }
        return true;
    }

    void add_source_ref(int index) { ++states_.at(static_cast<std::size_t>(index)).source_refs; }
    void release_source_ref(int index) {
        model_state &s = states_.at(static_cast<std::size_t>(index));
        if (--s.source_refs == 0 && !s.cancelled()) {
            s.orphaned = true;
        }
    }

    // A registration on `state` (-1: the never token); runs at once if cancelled.
    int register_callback(int state) {
        model_registration r{state};
        if (state >= 0 && states_.at(static_cast<std::size_t>(state)).cancelled()) {
            r.expected_runs = 1;
            r.expected_reason = states_.at(static_cast<std::size_t>(state)).reason;
        }
        registrations_.push_back(r);
        return static_cast<int>(registrations_.size() - 1);
    }
    model_registration &registration(int index) {
        return registrations_.at(static_cast<std::size_t>(index));
    }

private:
    std::vector<model_state> states_;
    std::vector<model_registration> registrations_;
};

} // namespace enough_fuzz
