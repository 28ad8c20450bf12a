/*
 * enough._state_word: the base type of enough.Token, whose `cancelled` is a C getter
 * that reads the token's state word with one acquire load. A Python property costs
 * more than the check itself; this keeps token.cancelled within a small factor of
 * threading.Event.is_set(). Limited API (abi3): one build serves CPython 3.9 and up.
 */
#define Py_LIMITED_API 0x03090000
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>

typedef struct {
    PyObject_HEAD
    const uint32_t *word; /* the token's state word; NULL: none, or closed */
} state_word;

/* True once the word holds a reason. Without a word, the subclass decides (a closed
 * token raises, a token without a word asks the library). */
static PyObject *cancelled_get(PyObject *self, void *closure) {
    (void)closure;
    const uint32_t *word = ((state_word *)self)->word;
    if (word != NULL) {
        return PyBool_FromLong(__atomic_load_n(word, __ATOMIC_ACQUIRE) != 0);
    }
    return PyObject_CallMethod(self, "_cancelled_without_word", NULL);
}

/* _watch(address): the word to read from now on (0: none). The caller keeps the
 * memory alive (it holds a reference to the token) and calls _watch(0) before
 * releasing it. */
static PyObject *watch(PyObject *self, PyObject *address) {
    const unsigned long long value = PyLong_AsUnsignedLongLong(address);
    if (value == (unsigned long long)-1 && PyErr_Occurred() != NULL) {
        return NULL;
    }
    ((state_word *)self)->word = (const uint32_t *)(uintptr_t)value;
    Py_RETURN_NONE;
}

static PyGetSetDef getset[] = {
    {"cancelled", cancelled_get, NULL,
     "True once cancelled: one read of the token's state word, no foreign call.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyMethodDef methods[] = {
    {"_watch", watch, METH_O, "Sets the address of the state word to read (0: none)."},
    {NULL, NULL, 0, NULL},
};

static PyType_Slot slots[] = {
    {Py_tp_getset, getset},
    {Py_tp_methods, methods},
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_doc, "A token's state word, read in C."},
    {0, NULL},
};

static PyType_Spec spec = {
    "enough._state_word.StateWord", sizeof(state_word), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, slots,
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_state_word", "The C part of enough.Token.", -1,
    NULL, NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__state_word(void) {
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    PyObject *type = PyType_FromSpec(&spec);
    if (type == NULL || PyModule_AddObject(m, "StateWord", type) != 0) {
        Py_XDECREF(type);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
