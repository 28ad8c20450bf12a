/* The ABI driven through its vtables from C99, and a token written by hand in C. */
#include <enough/enough.h>

#include <stdlib.h>

#include "check.h"

/* ---- a token implemented in plain C against the ABI: cancelled after N checks ---- */
typedef struct countdown_token {
    enough_token face; /* first member: the interface pointer is the object pointer */
    uint32_t refs;     /* single-threaded test object: a plain count is enough */
    int checks_left;
    int *destroyed;
} countdown_token;

static enough_result ENOUGH_CALL countdown_query(enough_token *self, const enough_iid *iid,
                                                 void **out) {
    if (out == NULL) {
        return ENOUGH_E_POINTER;
    }
    *out = NULL;
    if (enough_iid_equal(iid, &ENOUGH_IID_UNKNOWN) || enough_iid_equal(iid, &ENOUGH_IID_TOKEN)) {
        self->vtbl->add_ref(self);
        *out = self;
        return ENOUGH_OK;
    }
    return iid == NULL ? ENOUGH_E_POINTER : ENOUGH_E_NOINTERFACE;
}
static uint32_t ENOUGH_CALL countdown_add_ref(enough_token *self) {
    return ++((countdown_token *)self)->refs;
}
static uint32_t ENOUGH_CALL countdown_release(enough_token *self) {
    countdown_token *t = (countdown_token *)self;
    uint32_t left = --t->refs;
    if (left == 0) {
        ++*t->destroyed;
        free(t);
    }
    return left;
}
static int32_t ENOUGH_CALL countdown_is_cancelled(enough_token *self) {
    countdown_token *t = (countdown_token *)self;
    if (t->checks_left > 0) {
        --t->checks_left;
    }
    return t->checks_left == 0;
}
static int32_t ENOUGH_CALL countdown_may_cancel(enough_token *self) {
    (void)self;
    return 1;
}
static const uint32_t *ENOUGH_CALL countdown_state_word(enough_token *self) {
    (void)self;
    return NULL;
}
static const enough_token_vtbl countdown_vtbl = {
    countdown_query,        countdown_add_ref,    countdown_release,
    countdown_is_cancelled, countdown_may_cancel, countdown_state_word,
};

static enough_token *countdown_create(int checks, int *destroyed) {
    countdown_token *t = (countdown_token *)malloc(sizeof *t);
    if (t == NULL) {
        return NULL;
    }
    t->face.vtbl = &countdown_vtbl;
    t->refs = 1;
    t->checks_left = checks;
    t->destroyed = destroyed;
    return &t->face;
}

/* ---- tests ---------------------------------------------------------------------- */

static void *query(enough_unknown *object, const enough_iid *iid) {
    void *out = object; /* must be overwritten */
    enough_result r = object->vtbl->query_interface(object, iid, &out);
    CHECK((r == ENOUGH_OK) == (out != NULL));
    return out;
}

static void test_source_and_token_through_vtables(void) {
    enough_source *source = (enough_source *)enough_cancellation_create();
    enough_token *token = NULL;
    const uint32_t *word;
    void *unknown_of_source;
    void *unknown_of_token;

    CHECK(source != NULL);
    CHECK(source->vtbl->get_token(source, &token) == ENOUGH_OK);
    CHECK(token != NULL);
    CHECK(token == (enough_token *)enough_token_create(source));
    token->vtbl->release(token); /* the flat create above added one */

    /* identities */
    unknown_of_source = query((enough_unknown *)source, &ENOUGH_IID_UNKNOWN);
    unknown_of_token = query((enough_unknown *)token, &ENOUGH_IID_UNKNOWN);
    CHECK(unknown_of_source == (void *)source);
    CHECK(unknown_of_token == (void *)token);
    CHECK(unknown_of_source != unknown_of_token);
    ((enough_unknown *)unknown_of_source)->vtbl->release((enough_unknown *)unknown_of_source);
    ((enough_unknown *)unknown_of_token)->vtbl->release((enough_unknown *)unknown_of_token);

    /* a token never yields the source */
    CHECK(query((enough_unknown *)token, &ENOUGH_IID_SOURCE) == NULL);
    CHECK(query((enough_unknown *)source, &ENOUGH_IID_TOKEN) == NULL);

    word = token->vtbl->state_word(token);
    CHECK(word != NULL);
    CHECK(enough_state_word_load(word) == ENOUGH_REASON_NONE);
    CHECK(token->vtbl->is_cancelled(token) == 0);
    CHECK(token->vtbl->may_cancel(token) == 1);

    CHECK(source->vtbl->cancel(source) == 1);
    CHECK(source->vtbl->cancel(source) == 0);
    CHECK(source->vtbl->is_cancelled(source) == 1);
    CHECK(enough_state_word_load(word) == ENOUGH_REASON_CANCELLED);
    CHECK(token->vtbl->is_cancelled(token) == 1);

    source->vtbl->release(source);
    CHECK(token->vtbl->is_cancelled(token) == 1); /* outlives its source */
    CHECK(enough_token_is_cancelled(token));
    token->vtbl->release(token);
}

static void test_orphan_through_vtables(void) {
    enough_source *source = (enough_source *)enough_cancellation_create();
    enough_token *token = NULL;
    CHECK(source->vtbl->add_ref(source) >= 2); /* a second source reference */
    CHECK(source->vtbl->get_token(source, &token) == ENOUGH_OK);
    source->vtbl->release(source);
    CHECK(token->vtbl->may_cancel(token) == 1); /* one source reference is left */
    source->vtbl->release(source);
    CHECK(token->vtbl->may_cancel(token) == 0);
    CHECK(token->vtbl->is_cancelled(token) == 0);
    token->vtbl->release(token);
}

static void test_never_token(void) {
    enough_token *never = (enough_token *)enough_token_create_never();
    CHECK(never != NULL);
    CHECK(never->vtbl->is_cancelled(never) == 0);
    CHECK(never->vtbl->may_cancel(never) == 0);
    CHECK(*never->vtbl->state_word(never) == 0);
    never->vtbl->release(never);
    never->vtbl->release(never);
    CHECK(enough_token_create(NULL) == (void *)never);
}

static void test_hand_written_token_through_flat_calls(void) {
    int destroyed = 0;
    enough_token *token = countdown_create(2, &destroyed);
    void *clone;
    CHECK(token != NULL);
    CHECK(!enough_token_is_cancelled(token));
    CHECK(enough_token_is_cancelled(token));
    CHECK(enough_token_may_cancel(token));
    clone = enough_token_clone(token);
    CHECK(clone == (void *)token);
    enough_token_destroy(token);
    CHECK(destroyed == 0);
    CHECK(query((enough_unknown *)clone, &ENOUGH_IID_SOURCE) == NULL);
    enough_token_destroy(clone);
    CHECK(destroyed == 1);
}

static void test_null_arguments(void) {
    enough_source *source = (enough_source *)enough_cancellation_create();
    void *out = source;
    CHECK(source->vtbl->query_interface(source, NULL, &out) == ENOUGH_E_POINTER);
    CHECK(out == NULL);
    CHECK(source->vtbl->query_interface(source, &ENOUGH_IID_SOURCE, NULL) == ENOUGH_E_POINTER);
    CHECK(source->vtbl->get_token(source, NULL) == ENOUGH_E_POINTER);
    CHECK(!enough_iid_equal(NULL, &ENOUGH_IID_SOURCE));
    CHECK(enough_iid_equal(&ENOUGH_IID_SOURCE, &ENOUGH_IID_SOURCE));
    CHECK(!enough_iid_equal(&ENOUGH_IID_TOKEN, &ENOUGH_IID_SOURCE));
    source->vtbl->release(source);
}

int main(void) {
    test_source_and_token_through_vtables();
    test_orphan_through_vtables();
    test_never_token();
    test_hand_written_token_through_flat_calls();
    test_null_arguments();
    return check_summary("c_vtable_test");
}
