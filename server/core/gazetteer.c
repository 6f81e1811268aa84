/* Parser of gazetteer files (*.gaz): one entry per line, `id | name | aliases | attributes`,
 * plus @disable, @stop and @prefer directives. The format is documented in data/README.md. */
#include <string.h>

#include "stage.h"
#include "wiretag/tag.h"
#include "wiretag/tagger.h"

typedef struct line_ctx {
    wti_stage *st;
    const char *name;
    long line;
    unsigned layer;
    wt_error *err;
} line_ctx;

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Trims [*b, *e) of ASCII whitespace. */
static void trim(const char **b, const char **e)
{
    while (*b < *e && is_space(**b))
        (*b)++;
    while (*e > *b && is_space((*e)[-1]))
        (*e)--;
}

/* Copies [b, e) into the stage, resolving \| \; \# \\ escapes and trimming. */
static char *copy_field(line_ctx *c, const char *b, const char *e)
{
    trim(&b, &e);
    char *out = wti_arena_alloc(&c->st->arena, (size_t)(e - b) + 1);
    if (!out)
        return NULL;
    size_t n = 0;
    for (const char *p = b; p < e; p++) {
        if (*p == '\\' && p + 1 < e && strchr("|;#\\", p[1]))
            p++;
        out[n++] = *p;
    }
    out[n] = '\0';
    return out;
}

/* Finds the next unescaped `sep` in [b, e), or e. */
static const char *find_sep(const char *b, const char *e, char sep)
{
    for (const char *p = b; p < e; p++) {
        if (*p == '\\' && p + 1 < e) {
            p++;
            continue;
        }
        if (*p == sep)
            return p;
    }
    return e;
}

static int oom(line_ctx *c)
{
    wti_data_error(c->err, WT_E_NOMEM, c->name, c->line, "out of memory");
    return -1;
}

static int bad(line_ctx *c, const char *fmt, const char *arg)
{
    wti_data_error(c->err, WT_E_DATA_SYNTAX, c->name, c->line, fmt, arg);
    return -1;
}

/* Reads an optional policy sigil at the start of *s. */
static uint8_t take_policy(const char **s, uint8_t dflt)
{
    switch (**s) {
        case '=': (*s)++; return WTI_POLICY_EXACT;
        case '^': (*s)++; return WTI_POLICY_CAP;
        case '~': (*s)++; return WTI_POLICY_ANY;
        default: return dflt;
    }
}

static const struct {
    const char *name;
    uint8_t form;
    uint8_t policy;
} forms[] = {
    {"alias", WT_FORM_ALIAS, WTI_POLICY_CAP},       {"name", WT_FORM_NAME, WTI_POLICY_CAP},
    {"acronym", WT_FORM_ACRONYM, WTI_POLICY_EXACT}, {"adj", WT_FORM_ADJECTIVAL, WTI_POLICY_CAP},
    {"short", WT_FORM_SHORT, WTI_POLICY_CAP},
};

static int has_text(const char *s)
{
    for (; *s; s++)
        if (!is_space(*s))
            return 1;
    return 0;
}

/* Parses one alias "[form:][policy]text" into *a. */
static int parse_alias(line_ctx *c, char *s, wti_stage_alias *a)
{
    a->form = WT_FORM_ALIAS;
    a->policy = WTI_POLICY_CAP;
    size_t k = 0;
    while (s[k] >= 'a' && s[k] <= 'z')
        k++;
    if (k > 0 && s[k] == ':') {
        size_t f;
        for (f = 0; f < sizeof forms / sizeof forms[0]; f++)
            if (strlen(forms[f].name) == k && strncmp(forms[f].name, s, k) == 0)
                break;
        if (f == sizeof forms / sizeof forms[0]) {
            s[k] = '\0';
            return bad(c, "unknown alias form '%s' (use alias, name, acronym, adj or short)", s);
        }
        a->form = forms[f].form;
        a->policy = forms[f].policy;
        s += k + 1;
        while (is_space(*s))
            s++;
    }
    const char *t = s;
    a->policy = take_policy(&t, a->policy);
    if (!has_text(t))
        return bad(c, "%s", "empty alias");
    a->text = t;
    return 0;
}

static int valid_id(const char *id, int *type)
{
    const char *colon = strchr(id, ':');
    if (!colon)
        return 0;
    *type = wt_type_from_name(id, (size_t)(colon - id));
    if (*type < 0 || !colon[1])
        return 0;
    for (const char *p = colon + 1; *p; p++) {
        char ch = *p;
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == '-'))
            return 0;
    }
    return 1;
}

static int parse_directive(line_ctx *c, const char *b, const char *e)
{
    const char *w = b + 1;
    const char *we = w;
    while (we < e && !is_space(*we))
        we++;
    size_t wl = (size_t)(we - w);
    const char *rest = we;
    char *arg = copy_field(c, rest, e);
    if (!arg)
        return oom(c);
    wti_stage *st = c->st;
    if (wl == 7 && strncmp(w, "disable", 7) == 0) {
        wti_stage_entry *en = wti_stage_find(st, arg);
        if (!en)
            return bad(c, "@disable names unknown id '%s'", arg);
        en->disabled = 1;
        return 0;
    }
    int stop = wl == 4 && strncmp(w, "stop", 4) == 0;
    int prefer = wl == 6 && strncmp(w, "prefer", 6) == 0;
    if (!stop && !prefer) {
        char word[32];
        size_t n = wl < sizeof word - 1 ? wl : sizeof word - 1;
        memcpy(word, w, n);
        word[n] = '\0';
        return bad(c, "unknown directive '@%s' (use @disable, @stop or @prefer)", word);
    }
    wti_stage_directive d = {NULL, NULL, WTI_POLICY_CAP, (uint16_t)c->layer, c->name, c->line};
    if (prefer) {
        char *sp = arg;
        while (*sp && !is_space(*sp))
            sp++;
        if (!*sp)
            return bad(c, "%s", "@prefer needs an id and an alias");
        *sp++ = '\0';
        while (is_space(*sp))
            sp++;
        int type;
        if (!valid_id(arg, &type))
            return bad(c, "@prefer names an invalid id '%s'", arg);
        d.id = arg;
        arg = sp;
    }
    const char *t = arg;
    d.policy = take_policy(&t, WTI_POLICY_CAP);
    if (!has_text(t))
        return bad(c, "%s", stop ? "@stop needs a phrase" : "@prefer needs an alias");
    d.text = t;
    if (stop) {
        if (wti_grow((void **)&st->stops, &st->capstops, st->nstops, sizeof d) < 0)
            return oom(c);
        st->stops[st->nstops++] = d;
    } else {
        if (wti_grow((void **)&st->prefers, &st->capprefers, st->nprefers, sizeof d) < 0)
            return oom(c);
        st->prefers[st->nprefers++] = d;
    }
    return 0;
}

static int parse_entry(line_ctx *c, const char *b, const char *e)
{
    const char *field[4];
    const char *fend[4];
    int nf = 0;
    for (const char *p = b;;) {
        const char *s = find_sep(p, e, '|');
        if (nf == 4)
            return bad(c, "%s", "more than four fields (escape a literal | as \\|)");
        field[nf] = p;
        fend[nf] = s;
        nf++;
        if (s == e)
            break;
        p = s + 1;
    }
    char *id = copy_field(c, field[0], fend[0]);
    if (!id)
        return oom(c);
    int type;
    if (!valid_id(id, &type))
        return bad(c,
                   "invalid id '%s' (expected TYPE:KEY with TYPE person, organization, country, "
                   "treaty, place or other, and KEY of A-Z a-z 0-9 . _ -)",
                   id);
    if (nf < 2)
        return bad(c, "entry '%s' has no canonical name", id);

    wti_stage *st = c->st;
    wti_stage_entry en;
    memset(&en, 0, sizeof en);
    en.id = id;
    en.type = (uint8_t)type;
    en.layer = (uint16_t)c->layer;
    en.file = c->name;
    en.line = c->line;

    /* Aliases: the canonical name first, then each ;-separated alias. */
    size_t nal = 1;
    if (nf >= 3) {
        nal++;
        for (const char *p = field[2]; (p = find_sep(p, fend[2], ';')) < fend[2]; p++)
            nal++;
    }
    en.aliases = wti_arena_alloc(&st->arena, nal * sizeof *en.aliases);
    if (!en.aliases)
        return oom(c);
    char *name = copy_field(c, field[1], fend[1]);
    if (!name)
        return oom(c);
    const char *nt = name;
    en.aliases[0].form = WT_FORM_NAME;
    en.aliases[0].policy = take_policy(&nt, WTI_POLICY_CAP);
    if (!has_text(nt))
        return bad(c, "entry '%s' has an empty canonical name", id);
    en.aliases[0].text = nt;
    en.naliases = 1;
    if (nf >= 3) {
        const char *p = field[2];
        const char *pe = fend[2];
        const char *tb = p, *te = pe;
        trim(&tb, &te);
        if (tb < te) {
            for (;;) {
                const char *s = find_sep(p, pe, ';');
                char *a = copy_field(c, p, s);
                if (!a)
                    return oom(c);
                if (en.naliases >= nal)
                    return bad(c, "%s", "too many aliases");
                if (parse_alias(c, a, &en.aliases[en.naliases]) < 0)
                    return -1;
                en.naliases++;
                if (s == pe)
                    break;
                p = s + 1;
            }
        }
    }

    /* Attributes: key=value pairs separated by ;. */
    if (nf == 4) {
        const char *p = field[3];
        const char *pe = fend[3];
        const char *tb = p, *te = pe;
        trim(&tb, &te);
        size_t cap = 0;
        while (tb < te) {
            const char *s = find_sep(p, pe, ';');
            char *kv = copy_field(c, p, s);
            if (!kv)
                return oom(c);
            if (*kv) {
                char *eq = strchr(kv, '=');
                if (!eq || eq == kv)
                    return bad(c, "attribute '%s' is not key=value", kv);
                *eq = '\0';
                for (char *k = kv; *k; k++)
                    if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
                        return bad(c, "attribute key '%s' is not of a-z 0-9 _", kv);
                const char *vb = eq + 1;
                const char *ve = vb + strlen(vb);
                trim(&vb, &ve);
                if (vb == ve)
                    return bad(c, "attribute '%s' has an empty value", kv);
                ((char *)ve)[0] = '\0';
                if (en.nattrs + 2 > cap) {
                    size_t ncap = cap ? cap * 2 : 8;
                    const char **na = wti_arena_alloc(&st->arena, ncap * sizeof *na);
                    if (!na)
                        return oom(c);
                    if (en.nattrs)
                        memcpy(na, en.attrs, en.nattrs * sizeof *na);
                    en.attrs = na;
                    cap = ncap;
                }
                en.attrs[en.nattrs++] = kv;
                en.attrs[en.nattrs++] = vb;
            }
            if (s == pe)
                break;
            p = s + 1;
        }
    }

    wti_stage_entry *old = wti_stage_find(st, id);
    if (old) {
        if (old->layer == c->layer) {
            wti_data_error(c->err, WT_E_DATA_CONFLICT, c->name, c->line,
                           "duplicate id '%s' (first defined at %s:%ld)", id, old->file,
                           old->line);
            return -1;
        }
        *old = en; /* a later layer replaces the whole entry */
        return 0;
    }
    if (wti_grow((void **)&st->entries, &st->capentries, st->nentries, sizeof en) < 0)
        return oom(c);
    st->entries[st->nentries++] = en;
    if (wti_stage_index(st, st->nentries - 1) < 0)
        return oom(c);
    return 0;
}

int wti_gazetteer_parse(wti_stage *st, const char *name, const char *data, size_t len,
                        unsigned layer, wt_error *err)
{
    line_ctx c = {st, name, 0, layer, err};
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        c.line++;
        const char *b = p;
        const char *le = e;
        trim(&b, &le);
        if (memchr(b, '\0', (size_t)(le - b)))
            return bad(&c, "%s", "NUL byte in line");
        if (b < le && *b != '#') {
            int rc = *b == '@' ? parse_directive(&c, b, le) : parse_entry(&c, b, le);
            if (rc < 0)
                return -1;
        }
        p = nl ? nl + 1 : end;
    }
    return 0;
}
