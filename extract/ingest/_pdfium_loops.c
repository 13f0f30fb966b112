/* The PDF layout's per-object and per-line loops over PDFium, in C.

   From Python each PDFium call costs more in call overhead than PDFium's own work (a
   page's walk is two calls per object, a line's geometry five or six calls); here the
   same calls are made from C, on the function pointers pypdfium2 loaded (bound once by
   pdfium_calls.py), so the page is read by the very library pypdfium2 initialised.  What
   each function works out is exactly what pdf_runs.py's Python does when this module is
   not built (tests/test_pdfium_loops.py compares the two on rendered pages): keep the two
   in step. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <math.h>
#include <stdint.h>

typedef int (*int_of_handle)(void *);
typedef void *(*page_object_at)(void *, int);
typedef void *(*form_object_at)(void *, unsigned long);
typedef int (*char_box_fn)(void *, int, double *, double *, double *, double *);
typedef int (*char_origin_fn)(void *, int, double *, double *);
typedef double (*font_size_fn)(void *, int);
typedef int (*int_of_char)(void *, int);

static int_of_handle count_objects, object_type, path_segments, form_count;
static int_of_char map_error;
static page_object_at get_object;
static form_object_at form_object;
static char_box_fn char_box;
static char_origin_fn char_origin;
static font_size_fn font_size;
static int PATH_KIND, FORM_KIND, bound = 0;

static PyObject *bind(PyObject *self, PyObject *args) {
    unsigned long long f[10];
    if (!PyArg_ParseTuple(args, "KKKKKKKKKKii", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7], &f[8],
                          &f[9], &PATH_KIND, &FORM_KIND))
        return NULL;
    for (int i = 0; i < 10; i++)
        if (!f[i]) {
            PyErr_SetString(PyExc_ValueError, "a PDFium function's address is 0");
            return NULL;
        }
    count_objects = (int_of_handle)(uintptr_t)f[0];
    get_object = (page_object_at)(uintptr_t)f[1];
    object_type = (int_of_handle)(uintptr_t)f[2];
    path_segments = (int_of_handle)(uintptr_t)f[3];
    form_count = (int_of_handle)(uintptr_t)f[4];
    form_object = (form_object_at)(uintptr_t)f[5];
    char_box = (char_box_fn)(uintptr_t)f[6];
    char_origin = (char_origin_fn)(uintptr_t)f[7];
    font_size = (font_size_fn)(uintptr_t)f[8];
    map_error = (int_of_char)(uintptr_t)f[9];
    bound = 1;
    Py_RETURN_NONE;
}

static void *handle_arg(unsigned long long address) {
    if (!bound) {
        PyErr_SetString(PyExc_RuntimeError, "_pdfium_loops.bind() was not called");
        return NULL;
    }
    if (!address) {
        PyErr_SetString(PyExc_ValueError, "a null PDFium handle");
        return NULL;
    }
    return (void *)(uintptr_t)address;
}

/* pdf_runs.rule_segments: path segments (a path counts at least 1), in form XObjects too,
   until there are `enough` */
static long count_segments(void *parent, int is_form, long total, long enough) {
    int n = is_form ? form_count(parent) : count_objects(parent);
    for (int i = 0; i < n; i++) {
        void *obj = is_form ? form_object(parent, (unsigned long)i) : get_object(parent, i);
        int kind = object_type(obj);
        if (kind == PATH_KIND) {
            int s = path_segments(obj);
            total += s > 1 ? s : 1;
            if (total >= enough) break;
        } else if (kind == FORM_KIND) {
            total = count_segments(obj, 1, total, enough);
        }
    }
    return total;
}

static PyObject *rule_segments(PyObject *self, PyObject *args) {
    unsigned long long page_address;
    long enough;
    if (!PyArg_ParseTuple(args, "Kl", &page_address, &enough)) return NULL;
    void *page = handle_arg(page_address);
    if (!page) return NULL;
    return PyLong_FromLong(count_segments(page, 0, 0, enough));
}

/* FIRST_WORD = [!-,.-~]+-?|. */
static inline int word_char(Py_UCS4 c) { return (c >= 0x21 && c <= 0x2C) || (c >= 0x2E && c <= 0x7E); }

typedef struct {
    Py_UCS4 *buf;
    Py_ssize_t len, cap;
} Out;

static int out_put(Out *o, Py_UCS4 c, Py_ssize_t times) {
    if (o->len + times > o->cap) {
        Py_ssize_t cap = (o->len + times) * 2 + 16;
        Py_UCS4 *buf = PyMem_Realloc(o->buf, (size_t)cap * sizeof(Py_UCS4));
        if (!buf) {
            PyErr_NoMemory();
            return -1;
        }
        o->buf = buf;
        o->cap = cap;
    }
    for (Py_ssize_t t = 0; t < times; t++) o->buf[o->len++] = c;
    return 0;
}

/* pdf_runs._segment: characters a..b, a double PDFium left whose boxes coincide once, a
   space standing for a gap of `column_gap` spaces or more as many spaces */
static PyObject *segment_text(void *tp, PyObject *text, int kind, const void *data, Py_ssize_t a, Py_ssize_t b,
                              double size, double tol, double em, long column_gap) {
    Out o = {NULL, 0, 0};
    Py_ssize_t copied = a; /* text[copied:i] still to copy */
    Py_ssize_t seen = -1;
    double p0 = 0, p2 = 0, left, right, bottom, top, ox, oy;
    if (size < 1.0) size = 1.0;
    for (Py_ssize_t i = a + 1; i < b; i++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i), prev = PyUnicode_READ(kind, data, i - 1);
        long long spaces = -1; /* -1: as it stands; 0: dropped; n: n spaces */
        if (c == prev && !Py_UNICODE_ISSPACE(c)) {
            if (seen != i - 1) {
                char_box(tp, (int)(i - 1), &left, &right, &bottom, &top);
                p0 = left;
                p2 = bottom;
            }
            char_box(tp, (int)i, &left, &right, &bottom, &top);
            if (fabs(p0 - left) <= tol && fabs(p2 - bottom) <= tol) spaces = 0;
            seen = i;
            p0 = left;
            p2 = bottom;
        } else if (c == ' ' && i + 1 < b && !Py_UNICODE_ISSPACE(prev) &&
                   !Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, i + 1))) {
            char_box(tp, (int)i, &left, &right, &bottom, &top);
            double start = left, width = right - left;
            if (width < 0.15 * size) {
                char_box(tp, (int)(i - 1), &left, &right, &bottom, &top);
                width = em * size;
                start = right;
            }
            char_origin(tp, (int)(i + 1), &ox, &oy);
            double n = nearbyint((ox - start) / width); /* round half to even, as Python's round() */
            if (isnan(n) || isinf(n)) {
                PyMem_Free(o.buf);
                PyErr_SetString(PyExc_ValueError, "a column gap of no size (a glyph box PDFium cannot place)");
                return NULL;
            }
            if (n >= (double)column_gap) {
                if (n > 1e6) {
                    PyMem_Free(o.buf);
                    return PyErr_NoMemory();
                }
                spaces = (long long)n;
            }
        }
        if (spaces >= 0) {
            for (Py_ssize_t k = copied; k < i; k++)
                if (out_put(&o, PyUnicode_READ(kind, data, k), 1) < 0) goto fail;
            if (spaces && out_put(&o, ' ', (Py_ssize_t)spaces) < 0) goto fail;
            copied = i + 1;
        }
    }
    if (copied == a) return PyUnicode_Substring(text, a, b);
    for (Py_ssize_t k = copied; k < b; k++)
        if (out_put(&o, PyUnicode_READ(kind, data, k), 1) < 0) goto fail;
    PyObject *s = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, o.buf, o.len);
    PyMem_Free(o.buf);
    return s;
fail:
    PyMem_Free(o.buf);
    return NULL;
}

/* pdf_runs.runs: the page's line runs as (text, x0, x1, bottom, top, size, lead, word, pen)
   rows, and the characters of runs whose fonts have no Unicode map */
static PyObject *line_runs(PyObject *self, PyObject *args) {
    unsigned long long tp_address;
    PyObject *text;
    double tol, em;
    long column_gap;
    if (!PyArg_ParseTuple(args, "KUddl", &tp_address, &text, &tol, &em, &column_gap)) return NULL;
    void *tp = handle_arg(tp_address);
    if (!tp) return NULL;
    Py_ssize_t n = PyUnicode_GET_LENGTH(text);
    int kind = PyUnicode_KIND(text);
    const void *data = PyUnicode_DATA(text);
    PyObject *rows = PyList_New(0);
    if (!rows) return NULL;
    long unmapped = 0;
    double left, right, bottom, top, ox, oy;
    Py_ssize_t p = 0;
    while (p < n) {
        Py_ssize_t e = p; /* the line break ending this run, or the end */
        while (e < n) {
            Py_UCS4 c = PyUnicode_READ(kind, data, e);
            if (c == '\r' || c == '\n') break;
            e++;
        }
        Py_ssize_t a = p; /* its first and past its last glyph */
        while (a < e && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, a))) a++;
        if (a < e) {
            Py_ssize_t b = e;
            while (Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, b - 1))) b--;
            Py_ssize_t z = b - 1;
            if (map_error(tp, (int)a))
                for (Py_ssize_t i = a; i < b; i++) unmapped += map_error(tp, (int)i) ? 1 : 0;
            double size = font_size(tp, (int)a);
            if (z > a) {
                double s = font_size(tp, (int)z);
                if (s > size) size = s;
            }
            int edit = 0; /* a space, or a character twice in a row */
            for (Py_ssize_t j = a; j < b && !edit; j++) {
                Py_UCS4 c = PyUnicode_READ(kind, data, j);
                edit = c == ' ' || (j < z && c == PyUnicode_READ(kind, data, j + 1) && !Py_UNICODE_ISSPACE(c));
            }
            PyObject *line = edit ? segment_text(tp, text, kind, data, a, b, size, tol, em, column_gap)
                                  : PyUnicode_Substring(text, a, b);
            if (!line) goto fail;
            char_box(tp, (int)a, &left, &right, &bottom, &top);
            double x0 = left, x0_right = right, y0 = bottom, t0 = top, x1, word;
            if (z > a) {
                char_box(tp, (int)z, &left, &right, &bottom, &top);
                x1 = right;
                double y1 = bottom, t1 = top;
                Py_UCS4 first = PyUnicode_READ(kind, data, a);
                Py_ssize_t end = a; /* the first word's last character: past ASCII, a word of its own */
                if (first <= '~') {
                    Py_ssize_t w = a + 1;
                    if (word_char(first)) {
                        while (w < n && word_char(PyUnicode_READ(kind, data, w))) w++;
                        if (w < n && PyUnicode_READ(kind, data, w) == '-') w++;
                    }
                    end = (w < b ? w : b) - 1;
                }
                if (end == a)
                    word = x0_right - x0;
                else if (end == z)
                    word = x1 - x0;
                else {
                    char_box(tp, (int)end, &left, &right, &bottom, &top);
                    word = right - x0;
                }
                if (y1 < y0) y0 = y1;
                if (t1 > t0) t0 = t1;
            } else {
                x1 = x0_right;
                word = x0_right - x0;
            }
            char_origin(tp, (int)a, &ox, &oy);
            PyObject *row = Py_BuildValue("Ndddddndd", line, x0, x1, y0, t0, size, a - p, word, ox);
            if (!row) goto fail;
            int err = PyList_Append(rows, row);
            Py_DECREF(row);
            if (err < 0) goto fail;
        }
        if (e >= n) break;
        p = (PyUnicode_READ(kind, data, e) == '\r' && e + 1 < n && PyUnicode_READ(kind, data, e + 1) == '\n') ? e + 2
                                                                                                             : e + 1;
    }
    return Py_BuildValue("Nl", rows, unmapped);
fail:
    Py_DECREF(rows);
    return NULL;
}

static PyMethodDef methods[] = {
    {"bind", bind, METH_VARARGS, "bind(10 PDFium function addresses, PATH, FORM): the functions called"},
    {"rule_segments", rule_segments, METH_VARARGS, "rule_segments(page, enough): path segments, up to enough"},
    {"line_runs", line_runs, METH_VARARGS,
     "line_runs(textpage, text, dedupe_tolerance, space_em, column_gap): (rows, unmapped characters)"},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pdfium_loops",
                                    "The PDF layout's loops over PDFium calls, in C (see pdf_runs.py).", -1, methods};

PyMODINIT_FUNC PyInit__pdfium_loops(void) { return PyModule_Create(&module); }
