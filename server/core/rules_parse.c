/* The rule compiler: statements (class, macro, rule, disable), patterns parsed into a small
 * syntax tree, then compiled into backtracking programs (TEST, SPLIT, JMP, SAVE, MATCH). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "errors.h"
#include "hash.h"
#include "rules_impl.h"
#include "stage.h"

#define MAX_REPEAT      16
#define INF             (-1)
#define MAX_MACRO_DEPTH 8
/* Groups, spans and captures nested deeper than this are refused: the parser and the compiler
 * recurse once per level, and a rule file is data from outside. */
#define MAX_NESTING 32

typedef struct macro {
    char *name;
    char *text;
    const char *file;
    long line;
} macro;

typedef struct parser {
    wt_tagger *t;
    wti_rules *r;
    wti_arena arena; /* syntax trees and macro texts */
    macro *macros;
    size_t nmacros, capmacros;
    const char *file;
    long line;
    unsigned layer;
    wt_error *err;
    /* pattern lexer state */
    const char *s;
    size_t pos, len;
    int depth;   /* macro expansions */
    int nesting; /* open ( [ < */
    int have_span, have_attr;
    char attr_name[48];
} parser;

enum { N_TEST, N_SEQ, N_ALT, N_CAP };

typedef struct node {
    int kind;
    int min, max;
    uint32_t test;
    int slot;
    struct node *kids; /* SEQ items, ALT alternatives, CAP body */
    struct node *next;
} node;

static int fail(parser *p, wt_error_code code, const char *fmt, const char *arg)
{
    wti_data_error(p->err, code, p->file, p->line, fmt, arg);
    return -1;
}

static int oom(parser *p)
{
    return fail(p, WT_E_NOMEM, "%s", "out of memory");
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static int is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           (c >= 'A' && c <= 'Z') || c == '.' || c == '-';
}

/* ---- token tests ---------------------------------------------------------------------- */

static int add_conj(parser *p, const wti_conj *c)
{
    wti_rules *r = p->r;
    if (wti_grow((void **)&r->conj, &r->capconj, r->nconj, sizeof *c) < 0)
        return oom(p);
    r->conj[r->nconj++] = *c;
    return 0;
}

/* The vocabulary id of a literal word, folded like text. */
static uint32_t literal_word(parser *p, const char *s, size_t n)
{
    char buf[64 * WTI_FOLD_MAX];
    if (n == 0 || n > 64)
        return 0;
    size_t k = wti_fold_string(&p->t->fold, s, n, buf);
    return wti_vocab_add(&p->t->vocab, buf, k, wti_hash(buf, k));
}

/* Parses a test word such as `cap&!not_name|initial|"of"` into a new test; returns its index
 * or -1. */
static int64_t parse_test(parser *p, const char *w, size_t n)
{
    wti_rules *r = p->r;
    uint32_t first = (uint32_t)r->nconj;
    size_t i = 0;
    for (;;) {
        wti_conj c = {0};
        wti_mask mustnot = 0;
        for (;;) { /* one conjunction */
            int neg = 0;
            while (i < n && w[i] == '!') {
                neg = !neg;
                i++;
            }
            if (i < n && w[i] == '"') {
                size_t b = ++i;
                while (i < n && w[i] != '"')
                    i++;
                if (i >= n)
                    return fail(p, WT_E_DATA_SYNTAX, "unterminated literal in '%s'", w);
                uint32_t id = literal_word(p, w + b, i - b);
                i++;
                if (!id)
                    return fail(p, WT_E_DATA_SYNTAX, "bad literal word in '%s'", w);
                if (neg) {
                    if (c.notword)
                        return fail(p, WT_E_DATA_SYNTAX,
                                    "at most one negated literal per conjunction in '%s'", w);
                    c.notword = id;
                } else {
                    if (c.word && c.word != id)
                        return fail(p, WT_E_DATA_SYNTAX, "two different literals in '%s'", w);
                    c.word = id;
                }
            } else if (i < n && w[i] == '.' && (i + 1 == n || w[i + 1] == '&' || w[i + 1] == '|')) {
                i++; /* any token */
                if (neg)
                    return fail(p, WT_E_DATA_SYNTAX, "'!.' never matches in '%s'", w);
            } else {
                size_t b = i;
                while (i < n && ((w[i] >= 'a' && w[i] <= 'z') || (w[i] >= '0' && w[i] <= '9') ||
                                 w[i] == '_'))
                    i++;
                if (i == b)
                    return fail(p, WT_E_DATA_SYNTAX, "expected a class name in '%s'", w);
                char name[48];
                size_t k = i - b < sizeof name - 1 ? i - b : sizeof name - 1;
                memcpy(name, w + b, k);
                name[k] = '\0';
                wti_mask bit = wti_class_bit(p->t, name);
                if (!bit)
                    return fail(p, WT_E_DATA_SYNTAX, "unknown class '%s'", name);
                if (neg)
                    mustnot |= bit;
                else
                    c.must |= bit;
            }
            if (i < n && w[i] == '&') {
                i++;
                continue;
            }
            break;
        }
        if (c.must & mustnot)
            return fail(p, WT_E_DATA_SYNTAX,
                        "a class both required and excluded never matches in '%s'", w);
        c.care = c.must | mustnot;
        if (add_conj(p, &c) < 0)
            return -1;
        if (i < n && w[i] == '|') {
            i++;
            continue;
        }
        if (i != n)
            return fail(p, WT_E_DATA_SYNTAX, "unexpected character in test '%s'", w);
        break;
    }
    if (wti_grow((void **)&r->tests, &r->captests, r->ntests, sizeof *r->tests) < 0)
        return oom(p);
    r->tests[r->ntests].first = first;
    r->tests[r->ntests].n = (uint32_t)(r->nconj - first);
    return (int64_t)r->ntests++;
}

/* ---- patterns ------------------------------------------------------------------------- */

static node *new_node(parser *p, int kind)
{
    node *n = wti_arena_zalloc(&p->arena, sizeof *n);
    if (!n) {
        oom(p);
        return NULL;
    }
    n->kind = kind;
    n->min = n->max = 1;
    return n;
}

static void skip_spaces(parser *p)
{
    while (p->pos < p->len && is_space(p->s[p->pos]))
        p->pos++;
}

static node *parse_alt(parser *p);

/* Reads an optional quantifier right after an atom. */
static int parse_quant(parser *p, node *n)
{
    if (p->pos >= p->len)
        return 0;
    char c = p->s[p->pos];
    if (c == '?') {
        n->min = 0;
        n->max = 1;
    } else if (c == '*') {
        n->min = 0;
        n->max = INF;
    } else if (c == '+') {
        n->min = 1;
        n->max = INF;
    } else if (c == '{') {
        int m = 0, x = 0, i = (int)p->pos + 1, have_x = 0;
        while (i < (int)p->len && p->s[i] >= '0' && p->s[i] <= '9' && m <= MAX_REPEAT)
            m = m * 10 + (p->s[i++] - '0');
        x = m;
        if (i < (int)p->len && p->s[i] == ',') {
            i++;
            x = INF;
            while (i < (int)p->len && p->s[i] >= '0' && p->s[i] <= '9' && x <= MAX_REPEAT) {
                x = (have_x ? x : 0) * 10 + (p->s[i++] - '0');
                have_x = 1;
            }
        }
        if (i >= (int)p->len || p->s[i] != '}' || m > MAX_REPEAT ||
            (x != INF && (x < m || x > MAX_REPEAT || x == 0)))
            return fail(p, WT_E_DATA_SYNTAX, "%s",
                        "bad repetition {m,n} (0 <= m <= n <= 16, n > 0)");
        n->min = m;
        n->max = x;
        p->pos = (size_t)i;
    } else {
        return 0;
    }
    p->pos++;
    return 0;
}

static node *parse_atom(parser *p)
{
    char c = p->s[p->pos];
    node *n = NULL;
    if ((c == '(' || c == '[' || c == '<') && p->nesting >= MAX_NESTING) {
        fail(p, WT_E_DATA_SYNTAX, "%s", "groups nested deeper than 32");
        return NULL;
    }
    if (c == '(') {
        p->pos++;
        p->nesting++;
        n = parse_alt(p);
        p->nesting--;
        skip_spaces(p);
        if (!n)
            return NULL;
        if (p->pos >= p->len || p->s[p->pos] != ')') {
            fail(p, WT_E_DATA_SYNTAX, "%s", "missing ')'");
            return NULL;
        }
        p->pos++;
        if (n->min != 1 || n->max != 1) { /* wrap so that a quantifier can apply again */
            node *g = new_node(p, N_SEQ);
            if (!g)
                return NULL;
            g->kids = n;
            n = g;
        }
    } else if (c == '[' || c == '<') {
        int attr = c == '<';
        p->pos++;
        if (attr) {
            size_t b = p->pos;
            while (p->pos < p->len && p->s[p->pos] >= 'a' && p->s[p->pos] <= 'z')
                p->pos++;
            size_t k = p->pos - b;
            if (k == 0 || k >= sizeof p->attr_name) {
                fail(p, WT_E_DATA_SYNTAX, "%s", "'<' must be followed by an attribute name");
                return NULL;
            }
            if (p->have_attr) {
                fail(p, WT_E_DATA_SYNTAX, "%s", "a rule captures at most one attribute");
                return NULL;
            }
            memcpy(p->attr_name, p->s + b, k);
            p->attr_name[k] = '\0';
            p->have_attr = 1;
        } else {
            if (p->have_span) {
                fail(p, WT_E_DATA_SYNTAX, "%s", "a rule has exactly one [ ] entity span");
                return NULL;
            }
            p->have_span = 1;
        }
        n = new_node(p, N_CAP);
        if (!n)
            return NULL;
        n->slot = attr ? 2 : 0;
        p->nesting++;
        n->kids = parse_alt(p);
        p->nesting--;
        if (!n->kids)
            return NULL;
        skip_spaces(p);
        char close = attr ? '>' : ']';
        if (p->pos >= p->len || p->s[p->pos] != close) {
            fail(p, WT_E_DATA_SYNTAX, "%s", attr ? "missing '>'" : "missing ']'");
            return NULL;
        }
        p->pos++;
        return n; /* no quantifier on captures */
    } else if (c == '@') {
        size_t b = ++p->pos;
        while (p->pos < p->len && is_name_char(p->s[p->pos]))
            p->pos++;
        char name[64];
        size_t k = p->pos - b < sizeof name - 1 ? p->pos - b : sizeof name - 1;
        memcpy(name, p->s + b, k);
        name[k] = '\0';
        const macro *m = NULL;
        for (size_t i = p->nmacros; i-- > 0;)
            if (strcmp(p->macros[i].name, name) == 0) {
                m = &p->macros[i];
                break;
            }
        if (!m) {
            fail(p, WT_E_DATA_SYNTAX, "unknown macro '@%s'", name);
            return NULL;
        }
        if (p->depth >= MAX_MACRO_DEPTH) {
            fail(p, WT_E_DATA_SYNTAX, "macros nested deeper than 8 at '@%s'", name);
            return NULL;
        }
        const char *s = p->s;
        size_t pos = p->pos, len = p->len;
        p->s = m->text;
        p->pos = 0;
        p->len = strlen(m->text);
        p->depth++;
        node *body = parse_alt(p);
        skip_spaces(p);
        if (body && p->pos != p->len) {
            fail(p, WT_E_DATA_SYNTAX, "macro '@%s' does not parse to its end", name);
            body = NULL;
        }
        p->depth--;
        p->s = s;
        p->pos = pos;
        p->len = len;
        if (!body)
            return NULL;
        n = new_node(p, N_SEQ);
        if (!n)
            return NULL;
        n->kids = body;
    } else {
        size_t b = p->pos;
        int quoted = 0;
        while (p->pos < p->len) {
            char d = p->s[p->pos];
            if (d == '"')
                quoted = !quoted;
            else if (!quoted && (is_space(d) || strchr("()[]<>?*+{", d)))
                break;
            p->pos++;
        }
        if (p->pos == b) {
            char bad[2] = {c, '\0'};
            fail(p, WT_E_DATA_SYNTAX, "unexpected '%s' in pattern", bad);
            return NULL;
        }
        char w[256];
        size_t k = p->pos - b;
        if (k >= sizeof w) {
            fail(p, WT_E_DATA_SYNTAX, "%s", "token test longer than 255 characters");
            return NULL;
        }
        memcpy(w, p->s + b, k);
        w[k] = '\0';
        int64_t test = parse_test(p, w, k);
        if (test < 0)
            return NULL;
        n = new_node(p, N_TEST);
        if (!n)
            return NULL;
        n->test = (uint32_t)test;
    }
    if (parse_quant(p, n) < 0)
        return NULL;
    return n;
}

static node *parse_seq(parser *p)
{
    node *seq = new_node(p, N_SEQ);
    if (!seq)
        return NULL;
    node **tail = &seq->kids;
    for (;;) {
        skip_spaces(p);
        if (p->pos >= p->len || strchr(")]>|", p->s[p->pos]))
            break;
        node *n = parse_atom(p);
        if (!n)
            return NULL;
        *tail = n;
        tail = &n->next;
    }
    if (!seq->kids) {
        fail(p, WT_E_DATA_SYNTAX, "%s", "empty pattern or alternative");
        return NULL;
    }
    return seq;
}

static node *parse_alt(parser *p)
{
    node *first = parse_seq(p);
    if (!first)
        return NULL;
    skip_spaces(p);
    if (p->pos >= p->len || p->s[p->pos] != '|')
        return first;
    node *alt = new_node(p, N_ALT);
    if (!alt)
        return NULL;
    alt->kids = first;
    node **tail = &first->next;
    while (p->pos < p->len && p->s[p->pos] == '|') {
        p->pos++;
        node *n = parse_seq(p);
        if (!n)
            return NULL;
        *tail = n;
        tail = &n->next;
        skip_spaces(p);
    }
    return alt;
}

/* ---- code generation ------------------------------------------------------------------ */

static int64_t emit(parser *p, uint8_t op, uint8_t slot, uint32_t x, uint32_t y)
{
    wti_rules *r = p->r;
    if (wti_grow((void **)&r->code, &r->capcode, r->ncode, sizeof *r->code) < 0)
        return oom(p);
    wti_inst *in = &r->code[r->ncode];
    in->op = op;
    in->slot = slot;
    in->pad = 0;
    in->x = x;
    in->y = y;
    return (int64_t)r->ncode++;
}

static int gen(parser *p, const node *n);

static int gen_once(parser *p, const node *n)
{
    wti_rules *r = p->r;
    switch (n->kind) {
        case N_TEST: return emit(p, WTI_OP_TEST, 0, n->test, 0) < 0 ? -1 : 0;
        case N_SEQ:
            for (const node *k = n->kids; k; k = k->next)
                if (gen(p, k) < 0)
                    return -1;
            return 0;
        case N_CAP:
            if (emit(p, WTI_OP_SAVE, (uint8_t)n->slot, 0, 0) < 0 || gen(p, n->kids) < 0 ||
                emit(p, WTI_OP_SAVE, (uint8_t)(n->slot + 1), 0, 0) < 0)
                return -1;
            return 0;
        case N_ALT: {
            /* SPLIT a, next; a: alt; JMP end; next: SPLIT b, next2; ... last alt; end: */
            size_t jumps[64];
            size_t nj = 0;
            for (const node *k = n->kids; k; k = k->next) {
                int64_t split = -1;
                if (k->next) {
                    split = emit(p, WTI_OP_SPLIT, 0, 0, 0);
                    if (split < 0)
                        return -1;
                    r->code[split].x = (uint32_t)r->ncode;
                }
                if (gen(p, k) < 0)
                    return -1;
                if (k->next) {
                    if (nj == 64)
                        return fail(p, WT_E_DATA_LIMIT, "%s", "more than 64 alternatives");
                    int64_t j = emit(p, WTI_OP_JMP, 0, 0, 0);
                    if (j < 0)
                        return -1;
                    jumps[nj++] = (size_t)j;
                    r->code[split].y = (uint32_t)r->ncode;
                }
            }
            for (size_t i = 0; i < nj; i++)
                r->code[jumps[i]].x = (uint32_t)r->ncode;
            return 0;
        }
    }
    return -1;
}

static int gen(parser *p, const node *n)
{
    wti_rules *r = p->r;
    for (int i = 0; i < n->min; i++)
        if (gen_once(p, n) < 0)
            return -1;
    if (n->max == INF) {
        int64_t loop = emit(p, WTI_OP_SPLIT, 0, 0, 0);
        if (loop < 0)
            return -1;
        r->code[loop].x = (uint32_t)r->ncode;
        if (gen_once(p, n) < 0 || emit(p, WTI_OP_JMP, 0, (uint32_t)loop, 0) < 0)
            return -1;
        r->code[loop].y = (uint32_t)r->ncode;
        return 0;
    }
    size_t opt[MAX_REPEAT];
    int nopt = 0;
    for (int i = n->min; i < n->max; i++) {
        int64_t split = emit(p, WTI_OP_SPLIT, 0, 0, 0);
        if (split < 0)
            return -1;
        r->code[split].x = (uint32_t)r->ncode;
        opt[nopt++] = (size_t)split;
        if (gen_once(p, n) < 0)
            return -1;
    }
    for (int i = 0; i < nopt; i++)
        r->code[opt[i]].y = (uint32_t)r->ncode;
    return 0;
}

/* ---- statements ----------------------------------------------------------------------- */

/* Splits "word rest" at the first space run; returns rest. */
static char *next_word(char *s, char **word)
{
    while (is_space(*s))
        s++;
    *word = s;
    while (*s && !is_space(*s))
        s++;
    if (*s)
        *s++ = '\0';
    while (is_space(*s))
        s++;
    return s;
}

static int valid_name(const char *s)
{
    if (!*s || strlen(s) > 60)
        return 0;
    for (; *s; s++)
        if (!is_name_char(*s))
            return 0;
    return 1;
}

/* The bits every token passing a test has: the intersection of its conjunctions' musts. */
static wti_mask test_must(const wti_rules *r, uint32_t test)
{
    const wti_test *t = &r->tests[test];
    wti_mask m = ~(wti_mask)0;
    for (uint32_t i = t->first; i < t->first + t->n; i++)
        m &= r->conj[i].must;
    return t->n ? m : 0;
}

static unsigned rarity_of(const wti_rules *r, unsigned bit)
{
    if (bit >= WTI_C__BUILTIN)
        return r->rarity[bit] ? r->rarity[bit] - 1u : 3; /* rule classes store rarity + 1;
                                                            lexicon classes are set at load */
    switch (bit) {
        case WTI_C_WORD: case WTI_C_LOWER: case WTI_C_PUNCT: case WTI_C_SPACE_BEFORE:
        case WTI_C_SEEN_LOWER: case WTI_C_EDGE: return 0; /* an edge starts every line */
        case WTI_C_CAP: case WTI_C_SENT_START: case WTI_C_LINE_START: case WTI_C_LINE_END:
        case WTI_C_HEADLINE: case WTI_C_SEEN_CAP_MID: case WTI_C_NUMBER: case WTI_C_UPPER:
            return 1;
        default: return 2;
    }
}

/* The rarest bit of a mask and its rarity. */
static unsigned rarest_bit(const wti_rules *r, wti_mask m, unsigned *rarity)
{
    unsigned best = 0, best_r = 0;
    for (unsigned b = 0; b < WTI_MAX_CLASSES; b++)
        if ((m >> b & 1) && (rarity_of(r, b) > best_r || (rarity_of(r, b) == best_r && !(m >> best & 1)))) {
            best = b;
            best_r = rarity_of(r, b);
        }
    *rarity = best_r;
    return best;
}

static int stmt_class(parser *p, char *rest, int scope)
{
    static const char *const usage[] = {"expected: class NAME = TEST [/REGEX/]",
                                        "expected: line NAME = TEST [min=N]",
                                        "expected: document NAME = TEST"};
    wti_rules *r = p->r;
    char *name;
    rest = next_word(rest, &name);
    char *eq;
    rest = next_word(rest, &eq);
    if (!valid_name(name) || strcmp(eq, "=") != 0)
        return fail(p, WT_E_DATA_SYNTAX, "%s", usage[scope]);
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
            return fail(p, WT_E_DATA_SYNTAX, "class name '%s' must be of a-z 0-9 _", name);
    if (wti_class_bit(p->t, name))
        return fail(p, WT_E_DATA_CONFLICT, "class '%s' is already defined", name);
    char *testw;
    rest = next_word(rest, &testw);
    if (!*testw)
        return fail(p, WT_E_DATA_SYNTAX, "class '%s' needs a test", name);
    int64_t test = parse_test(p, testw, strlen(testw));
    if (test < 0)
        return -1;
    pcre2_code *re = NULL;
    unsigned min = 1;
    if (*rest && scope == WTI_SCOPE_LINE) {
        char *endp;
        if (strncmp(rest, "min=", 4) != 0 || (min = (unsigned)strtoul(rest + 4, &endp, 10)) == 0 ||
            min > 255 || *endp)
            return fail(p, WT_E_DATA_SYNTAX, "%s", usage[scope]);
    } else if (*rest && scope == WTI_SCOPE_DOCUMENT) {
        return fail(p, WT_E_DATA_SYNTAX, "%s", usage[scope]);
    } else if (*rest) {
        char *end = strrchr(rest, '/');
        if (rest[0] != '/' || end == rest)
            return fail(p, WT_E_DATA_SYNTAX, "%s", "a regular expression is written /REGEX/");
        uint32_t opts = PCRE2_UTF | PCRE2_NO_UTF_CHECK | PCRE2_NEVER_BACKSLASH_C;
        for (char *f = end + 1; *f; f++) {
            if (*f == 'i')
                opts |= PCRE2_CASELESS;
            else if (!is_space(*f))
                return fail(p, WT_E_DATA_SYNTAX, "%s", "unknown regex flag (only i)");
        }
        int ecode;
        PCRE2_SIZE eoff;
        re = pcre2_compile((PCRE2_SPTR)(rest + 1), (PCRE2_SIZE)(end - rest - 1), opts, &ecode,
                           &eoff, NULL);
        if (!re) {
            PCRE2_UCHAR msg[160];
            pcre2_get_error_message(ecode, msg, sizeof msg);
            char both[220];
            snprintf(both, sizeof both, "%s at offset %zu", (char *)msg, (size_t)eoff);
            return fail(p, WT_E_DATA_SYNTAX, "bad regular expression: %s", both);
        }
        (void)pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
    }
    wt_tagger *t = p->t;
    if (t->nclasses >= WTI_MAX_CLASSES) {
        pcre2_code_free(re);
        return fail(p, WT_E_DATA_LIMIT, "too many classes at '%s' (at most 128)", name);
    }
    if (wti_grow((void **)&r->derived, &r->capderived, r->nderived, sizeof *r->derived) < 0) {
        pcre2_code_free(re);
        return oom(p);
    }
    char *copy = strdup(name);
    if (!copy) {
        pcre2_code_free(re);
        return oom(p);
    }
    r->derived_names[r->nderived] = copy;
    r->derived[r->nderived].bit = WTI_BIT(t->nclasses);
    r->derived[r->nderived].test = (uint32_t)test;
    r->derived[r->nderived].re = re;
    wti_test *dt = &r->tests[test];
    if (scope == WTI_SCOPE_TOKEN && !re) {
        /* Plain literal words ("street"|"road"|...) need no work per token: the class goes
         * onto those words in the vocabulary, and only the other alternatives stay. */
        uint32_t keep = dt->first;
        for (uint32_t i = dt->first; i < dt->first + dt->n; i++) {
            wti_conj *cj = &r->conj[i];
            if (cj->word && !cj->care && !cj->notword) {
                if (wti_vocab_add_classes(&t->vocab, cj->word, WTI_BIT(t->nclasses)) < 0) {
                    free(copy); /* (the class is not counted yet: nothing else frees it) */
                    r->derived_names[r->nderived] = NULL;
                    return t->vocab.nsets >= WTI_VOCAB_MAX_SETS
                               ? fail(p, WT_E_DATA_LIMIT, "%s",
                                      "more than 32767 different combinations of classes "
                                      "among words")
                               : oom(p);
                }
            } else {
                r->conj[keep++] = *cj;
            }
        }
        dt->n = keep - dt->first;
    }
    /* Every passing token has the rarest must bit of some conjunction; a class with no
     * alternatives left is never evaluated. */
    wti_mask quick = 0;
    for (uint32_t i = dt->first; i < dt->first + dt->n; i++) {
        wti_mask must = r->conj[i].must;
        unsigned rar;
        quick |= must ? WTI_BIT(rarest_bit(r, must, &rar)) : ~(wti_mask)0;
    }
    r->derived[r->nderived].quick = quick;
    /* A class is as rare as the rarest class every one of its tokens must have. */
    unsigned rar = 0;
    wti_mask must = test_must(r, (uint32_t)test);
    if (must)
        rarest_bit(r, must, &rar);
    if (scope != WTI_SCOPE_TOKEN)
        rar = 0; /* line and document classes cover many tokens */
    else if (dt->n == 0)
        rar = 3; /* a class of literal words only: as rare as a lexicon class */
    r->rarity[t->nclasses] = (uint8_t)(rar + 1);
    r->derived[r->nderived].scope = (uint8_t)scope;
    r->derived[r->nderived].min = (uint8_t)min;
    r->nderived++;
    t->class_names[t->nclasses++] = copy;
    return 0;
}

static int stmt_macro(parser *p, char *rest)
{
    char *name, *eq;
    rest = next_word(rest, &name);
    rest = next_word(rest, &eq);
    if (!valid_name(name) || strcmp(eq, "=") != 0 || !*rest)
        return fail(p, WT_E_DATA_SYNTAX, "%s", "expected: macro NAME = PATTERN");
    macro m = {wti_arena_strndup(&p->arena, name, strlen(name)),
               wti_arena_strndup(&p->arena, rest, strlen(rest)), p->file, p->line};
    if (!m.name || !m.text ||
        wti_grow((void **)&p->macros, &p->capmacros, p->nmacros, sizeof m) < 0)
        return oom(p);
    /* Check it parses now, so the error points at the macro. */
    const char *s = p->s;
    p->s = m.text;
    p->pos = 0;
    p->len = strlen(m.text);
    int hs = p->have_span, ha = p->have_attr;
    node *n = parse_alt(p);
    skip_spaces(p);
    int ok = n && p->pos == p->len;
    if (n && !ok)
        fail(p, WT_E_DATA_SYNTAX, "unexpected '%s' in macro", m.text + p->pos);
    p->s = s;
    p->have_span = hs;
    p->have_attr = ha;
    if (!ok)
        return -1;
    p->macros[p->nmacros++] = m;
    return 0;
}

/* The least and most tokens a node can match (INF when unbounded). */
static void node_len(const node *n, int *lo, int *hi);

static void seq_len(const node *k, int *lo, int *hi)
{
    *lo = 0;
    *hi = 0;
    for (; k; k = k->next) {
        int a, b;
        node_len(k, &a, &b);
        *lo += a;
        *hi = (*hi == INF || b == INF) ? INF : *hi + b;
    }
}

static void node_len(const node *n, int *lo, int *hi)
{
    int a = 1, b = 1;
    if (n->kind == N_SEQ || n->kind == N_CAP) {
        seq_len(n->kids, &a, &b);
    } else if (n->kind == N_ALT) {
        a = INT32_MAX;
        b = 0;
        for (const node *k = n->kids; k; k = k->next) {
            int x, y;
            node_len(k, &x, &y);
            a = x < a ? x : a;
            b = (b == INF || y == INF) ? INF : (y > b ? y : b);
        }
    }
    *lo = a * n->min;
    *hi = (b == INF || n->max == INF) ? INF : b * n->max;
}

/* Chooses the rule's anchor: a test on the rule's leading path that every match must pass, at
 * a bounded distance from the start. The runner starts the rule only near tokens that carry the
 * test's bits. A test that needs a lexicon or rule class is preferred to one that needs only
 * shapes (rarer in text), then a narrower window, then an earlier one. */
static void find_anchor(const wti_rules *r, const node *n, wti_rule *rule)
{
    /* Walk the top-level sequence, entering captures, keeping the distance from the start. */
    const node *stack[16];
    size_t sp = 0;
    const node *cur = n->kind == N_SEQ || n->kind == N_CAP ? n->kids : n;
    int lo = 0, hi = 0, best = -1;
    while (cur && hi != INF) {
        if ((cur->kind == N_CAP || cur->kind == N_SEQ) && cur->min == 1 && cur->max == 1) {
            if (cur->next) {
                if (sp == 16)
                    break;
                stack[sp++] = cur->next;
            }
            cur = cur->kids;
            continue;
        }
        if (cur->kind == N_TEST && cur->min >= 1) {
            /* Each alternative of the test gives its rarest bit; all must give one. */
            const wti_test *tt = &r->tests[cur->test];
            unsigned bits[4], nb = 0, rar = 9;
            int ok = tt->n > 0 && tt->n <= 4;
            for (uint32_t i = tt->first; ok && i < tt->first + tt->n; i++) {
                if (!r->conj[i].must) {
                    ok = 0;
                    break;
                }
                unsigned cr;
                unsigned b = rarest_bit(r, r->conj[i].must, &cr);
                rar = cr < rar ? cr : rar;
                int dup = 0;
                for (unsigned k = 0; k < nb; k++)
                    dup |= bits[k] == b;
                if (!dup)
                    bits[nb++] = b;
            }
            int score = ok ? (int)rar * 1000 - (hi - lo) * 10 - lo - (int)nb : -1;
            if (ok && score > best) {
                best = score;
                rule->anchor_test = (int32_t)cur->test;
                rule->anchor_lo = (uint32_t)lo;
                rule->anchor_hi = (uint32_t)hi;
                rule->anchor = test_must(r, cur->test);
                rule->ntriggers = nb;
                memcpy(rule->triggers, bits, sizeof bits);
            }
        }
        int a, b;
        node_len(cur, &a, &b);
        lo += a;
        hi = (b == INF) ? INF : hi + b;
        cur = cur->next;
        if (!cur && sp)
            cur = stack[--sp];
    }

}

/* Collects the masks of the tokens every match must contain: the tests on the rule's
 * mandatory path (captures and groups with a minimum of one entered, alternatives skipped). */
static void find_needs(const wti_rules *r, const node *n, wti_rule *rule)
{
    for (; n; n = n->next) {
        if (n->min < 1)
            continue;
        if (n->kind == N_TEST) {
            wti_mask m = test_must(r, n->test);
            if (m && rule->nneeds < sizeof rule->needs / sizeof rule->needs[0])
                rule->needs[rule->nneeds++] = m;
        } else if (n->kind == N_SEQ || n->kind == N_CAP) {
            find_needs(r, n->kids, rule);
        }
    }
}

/* The bits the token where a match starts must have: what every path from `pc` tests first
 * (0 when some path can match without testing, or branches too deeply to follow). */
static wti_mask lead_must(const wti_rules *r, uint32_t pc, int depth)
{
    for (int steps = 0; depth < 16 && steps < 64; steps++) {
        const wti_inst *in = &r->code[pc];
        switch (in->op) {
            case WTI_OP_TEST: return test_must(r, in->x);
            case WTI_OP_SAVE: pc++; break;
            case WTI_OP_JMP: pc = in->x; break;
            case WTI_OP_SPLIT: return lead_must(r, in->x, depth + 1) & lead_must(r, in->y, depth + 1);
            default: return 0;
        }
    }
    return 0;
}

static wti_rule *find_rule(wti_rules *r, const char *name)
{
    for (size_t i = 0; i < r->nrules; i++)
        if (r->rules[i].name && strcmp(r->rules[i].name, name) == 0)
            return &r->rules[i];
    return NULL;
}

static int stmt_rule(parser *p, char *rest)
{
    wti_rules *r = p->r;
    char *name, *type, *conf, *eq;
    rest = next_word(rest, &name);
    rest = next_word(rest, &type);
    rest = next_word(rest, &conf);
    rest = next_word(rest, &eq);
    unsigned over = 0;
    if (strcmp(eq, "over") == 0) {
        char *list;
        rest = next_word(rest, &list);
        for (char *tn = list; *tn;) {
            char *comma = strchr(tn, ',');
            size_t len = comma ? (size_t)(comma - tn) : strlen(tn);
            int ot = wt_type_from_name(tn, len);
            if (ot < 0) {
                tn[len] = '\0';
                return fail(p, WT_E_DATA_SYNTAX, "unknown type '%s' after over", tn);
            }
            over |= 1u << ot;
            tn = comma ? comma + 1 : tn + len;
        }
        rest = next_word(rest, &eq);
    }
    if (!valid_name(name) || !*type || !*conf || strcmp(eq, "=") != 0 || !*rest)
        return fail(p, WT_E_DATA_SYNTAX, "%s",
                    "expected: rule NAME TYPE CONFIDENCE [over TYPES] = PATTERN");
    int ty = strcmp(type, "none") == 0 ? -1 : wt_type_from_name(type, strlen(type));
    if (ty < 0 && strcmp(type, "none") != 0)
        return fail(p, WT_E_DATA_SYNTAX,
                    "unknown type '%s' (person, organization, country, treaty, place, other, "
                    "none)",
                    type);
    char *endp;
    double c = strtod(conf, &endp);
    if (*endp || !(c > 0.0 && c <= 1.0))
        return fail(p, WT_E_DATA_SYNTAX, "confidence '%s' must be a number in (0, 1]", conf);
    wti_rule *old = find_rule(r, name);
    if (old && old->layer == p->layer)
        return fail(p, WT_E_DATA_CONFLICT, "rule '%s' is defined twice", name);

    p->s = rest;
    p->pos = 0;
    p->len = strlen(rest);
    p->have_span = p->have_attr = 0;
    p->depth = 0;
    p->nesting = 0;
    node *n = parse_alt(p);
    if (!n)
        return -1;
    skip_spaces(p);
    if (p->pos != p->len)
        return fail(p, WT_E_DATA_SYNTAX, "unexpected '%s' in pattern", rest + p->pos);
    if (!p->have_span)
        return fail(p, WT_E_DATA_SYNTAX, "rule '%s' has no [ ] entity span", name);

    wti_rule rule;
    memset(&rule, 0, sizeof rule);
    rule.type = ty;
    rule.over = over;
    rule.confidence = (float)c;
    rule.layer = p->layer;
    rule.code = (uint32_t)r->ncode;
    rule.anchor_test = -1;
    find_anchor(r, n, &rule);
    find_needs(r, n, &rule);
    if (gen(p, n) < 0 || emit(p, WTI_OP_MATCH, 0, 0, 0) < 0)
        return -1;
    rule.lead = lead_must(r, rule.code, 0);
    rule.name = strdup(name);
    rule.attr = p->have_attr ? strdup(p->attr_name) : NULL;
    if (!rule.name || (p->have_attr && !rule.attr)) {
        free(rule.name);
        free(rule.attr);
        return oom(p);
    }
    if (old) { /* a later layer replaces the rule */
        free(old->name);
        free(old->attr);
        *old = rule;
        return 0;
    }
    if (wti_grow((void **)&r->rules, &r->caprules, r->nrules, sizeof rule) < 0) {
        free(rule.name);
        free(rule.attr);
        return oom(p);
    }
    r->rules[r->nrules++] = rule;
    return 0;
}

static int stmt_disable(parser *p, char *rest)
{
    char *name;
    rest = next_word(rest, &name);
    if (!*name || *rest)
        return fail(p, WT_E_DATA_SYNTAX, "%s", "expected: disable RULE");
    wti_rule *old = find_rule(p->r, name);
    if (!old)
        return fail(p, WT_E_DATA_SYNTAX, "disable names unknown rule '%s'", name);
    free(old->name);
    free(old->attr);
    old->name = NULL; /* a disabled rule keeps its slot but never runs */
    old->attr = NULL;
    return 0;
}

static int statement(parser *p, char *s)
{
    char *kw;
    char *rest = next_word(s, &kw);
    if (strcmp(kw, "class") == 0)
        return stmt_class(p, rest, WTI_SCOPE_TOKEN);
    if (strcmp(kw, "line") == 0)
        return stmt_class(p, rest, WTI_SCOPE_LINE);
    if (strcmp(kw, "document") == 0)
        return stmt_class(p, rest, WTI_SCOPE_DOCUMENT);
    if (strcmp(kw, "macro") == 0)
        return stmt_macro(p, rest);
    if (strcmp(kw, "rule") == 0)
        return stmt_rule(p, rest);
    if (strcmp(kw, "disable") == 0)
        return stmt_disable(p, rest);
    return fail(p, WT_E_DATA_SYNTAX,
                "unknown statement '%s' (class, line, document, macro, rule, disable)", kw);
}

/* Cuts a comment: '#' at the start or after a space, outside quotes. */
static void cut_comment(char *s)
{
    int quoted = 0;
    for (char *c = s; *c; c++) {
        if (*c == '"')
            quoted = !quoted;
        else if (*c == '#' && !quoted && (c == s || is_space(c[-1]))) {
            *c = '\0';
            return;
        }
    }
}

static int parse_file(parser *p, const wti_datafile *f)
{
    p->file = f->name;
    p->layer = f->layer;
    const char *s = f->data, *end = f->data + f->len;
    long line = 0;
    char *stmt = NULL;
    size_t slen = 0, scap = 0;
    long stmt_line = 0;
    int rc = 0;
    while (s < end && rc == 0) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        const char *e = nl ? nl : end;
        line++;
        size_t n = (size_t)(e - s);
        if (memchr(s, '\0', n)) {
            p->line = line;
            rc = fail(p, WT_E_DATA_SYNTAX, "%s", "NUL byte in line");
            break;
        }
        if (slen + n + 2 > scap) {
            size_t cap = scap ? scap * 2 : 1024;
            while (cap < slen + n + 2)
                cap *= 2;
            char *ns = realloc(stmt, cap);
            if (!ns) {
                rc = oom(p);
                break;
            }
            stmt = ns;
            scap = cap;
        }
        if (slen == 0)
            stmt_line = line;
        memcpy(stmt + slen, s, n);
        stmt[slen + n] = '\0';
        cut_comment(stmt + slen);
        size_t k = strlen(stmt);
        while (k > 0 && is_space(stmt[k - 1]))
            k--;
        stmt[k] = '\0';
        s = nl ? nl + 1 : end;
        if (k > 0 && stmt[k - 1] == '\\') { /* continued on the next line */
            stmt[k - 1] = ' ';
            slen = k;
            continue;
        }
        slen = 0;
        char *b = stmt;
        while (is_space(*b))
            b++;
        if (!*b)
            continue;
        p->line = stmt_line;
        rc = statement(p, b);
    }
    if (rc == 0 && slen > 0) {
        p->line = stmt_line;
        rc = fail(p, WT_E_DATA_SYNTAX, "%s", "file ends inside a continued line");
    }
    free(stmt);
    return rc;
}

/* Indexes the rules by trigger bit (counting sort); rules without an anchor run everywhere. */
static int build_triggers(wti_rules *r)
{
    size_t n = 0, nt = 0;
    memset(r->trig_first, 0, sizeof r->trig_first);
    r->trig_bits = 0;
    for (size_t i = 0; i < r->nrules; i++) {
        const wti_rule *rule = &r->rules[i];
        if (!rule->name)
            continue;
        if (rule->anchor_test < 0) {
            n++;
            continue;
        }
        for (unsigned k = 0; k < rule->ntriggers; k++) {
            r->trig_first[rule->triggers[k] + 1]++;
            r->trig_bits |= WTI_BIT(rule->triggers[k]);
            nt++;
        }
    }
    for (unsigned b = 1; b <= WTI_MAX_CLASSES; b++)
        r->trig_first[b] += r->trig_first[b - 1];
    r->trig = malloc((nt ? nt : 1) * sizeof *r->trig);
    r->always = malloc((n ? n : 1) * sizeof *r->always);
    if (!r->trig || !r->always)
        return -1;
    uint32_t fill[WTI_MAX_CLASSES] = {0};
    r->nalways = 0;
    for (size_t i = 0; i < r->nrules; i++) {
        const wti_rule *rule = &r->rules[i];
        if (!rule->name)
            continue;
        if (rule->anchor_test < 0) {
            r->always[r->nalways++] = (uint32_t)i;
            continue;
        }
        for (unsigned k = 0; k < rule->ntriggers; k++) {
            unsigned b = rule->triggers[k];
            r->trig[r->trig_first[b] + fill[b]++] = (uint32_t)i;
        }
    }
    return 0;
}

/* Lexicon classes are rare in text (names, titles, head words) unless they hold a good part of
 * the language: a class of more than 20,000 words ("common") is as common as a shape. */
static void lexicon_rarity(wti_rules *r, const wt_tagger *t)
{
    size_t count[WTI_MAX_CLASSES] = {0};
    for (uint32_t id = wti_vocab_next(&t->vocab, 0); id; id = wti_vocab_next(&t->vocab, id)) {
        wti_mask c = wti_vocab_classes(&t->vocab, id);
        for (unsigned b = WTI_C__BUILTIN; c >> b; b++)
            count[b] += (c >> b) & 1;
    }
    for (unsigned b = WTI_C__BUILTIN; b < t->nclasses; b++)
        r->rarity[b] = (uint8_t)(count[b] > 20000 ? 1 : 4); /* stored + 1 */
}

int wti_rules_load(wt_tagger *t, const wti_datafiles *files, wt_error *err)
{
    wti_rules *r = calloc(1, sizeof *r);
    if (!r)
        return wti_error_set(err, WT_E_NOMEM, NULL);
    t->rules = r;
    lexicon_rarity(r, t);
    r->mctx = pcre2_match_context_create(NULL);
    if (!r->mctx)
        return wti_error_set(err, WT_E_NOMEM, NULL);
    pcre2_set_match_limit(r->mctx, WTI_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(r->mctx, WTI_REGEX_MATCH_LIMIT);
    parser p;
    memset(&p, 0, sizeof p);
    p.t = t;
    p.r = r;
    p.err = err;
    wti_arena_init(&p.arena);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < files->n; i++)
        if (files->v[i].kind == WTI_FILE_RULES)
            rc = parse_file(&p, &files->v[i]);
    free(p.macros);
    wti_arena_release(&p.arena);
    if (rc == 0 && build_triggers(r) < 0)
        rc = wti_error_set(err, WT_E_NOMEM, NULL);
    return rc;
}

void wti_rules_free(wti_rules *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nrules; i++) {
        free(r->rules[i].name);
        free(r->rules[i].attr);
    }
    for (size_t i = 0; i < r->nderived; i++) {
        pcre2_code_free(r->derived[i].re);
        free(r->derived_names[i]);
    }
    pcre2_match_context_free(r->mctx);
    free(r->trig);
    free(r->always);
    free(r->conj);
    free(r->tests);
    free(r->code);
    free(r->rules);
    free(r->derived);
    free(r);
}

size_t wti_rules_count(const wti_rules *r)
{
    size_t n = 0;
    if (r)
        for (size_t i = 0; i < r->nrules; i++)
            n += r->rules[i].name != NULL;
    return n;
}

size_t wti_rules_memory(const wti_rules *r)
{
    if (!r)
        return 0;
    return sizeof *r + r->capconj * sizeof(wti_conj) + r->captests * sizeof(wti_test) +
           r->capcode * sizeof(wti_inst) + r->caprules * sizeof(wti_rule);
}

const char *wti_rule_name(const wti_rules *r, uint32_t rule)
{
    return r->rules[rule].name;
}

int wti_rule_type(const wti_rules *r, uint32_t rule)
{
    return r->rules[rule].type;
}

float wti_rule_confidence(const wti_rules *r, uint32_t rule)
{
    return r->rules[rule].confidence;
}

const char *wti_rule_attr(const wti_rules *r, uint32_t rule)
{
    return r->rules[rule].attr;
}

unsigned wti_rule_over(const wti_rules *r, uint32_t rule)
{
    return r->rules[rule].over;
}
