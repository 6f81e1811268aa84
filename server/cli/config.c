/* The settings table and its parser. Flags win over environment variables, which win over
 * defaults. */
#include "cli/config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef WIRETAG_BUNDLED_DATA
#define WIRETAG_BUNDLED_DATA "data"
#endif

enum { K_STR, K_UINT, K_SIZE, K_LIST, K_FLAG };

typedef struct setting {
    const char *flag; /* without the leading dashes */
    const char *env;
    int kind;
    size_t off;
    unsigned commands;
    const char *arg;
    const char *help;
} setting;

#define OFF(f) offsetof(srv_config, f)

static const setting settings[] = {
    {"listen", "WIRETAG_LISTEN", K_STR, OFF(listen), SRV_FOR_SERVE, "ADDR:PORT",
     "address to listen on (default 127.0.0.1:8080; IPv6 as [::1]:8080)"},
    {"threads", "WIRETAG_THREADS", K_UINT, OFF(threads), SRV_FOR_SERVE, "N",
     "worker threads (default: number of CPUs)"},
    {"data", "WIRETAG_DATA", K_LIST, OFF(data), SRV_FOR_SERVE | SRV_FOR_TAG, "DIR",
     "a data directory layered over the bundled data; repeatable (variable: DIR:DIR...)"},
    {"bundled-data", "WIRETAG_BUNDLED_DATA", K_STR, OFF(bundled),
     SRV_FOR_SERVE | SRV_FOR_TAG | SRV_FOR_CHECK, "DIR",
     "the bundled data directory, or 'none' (default " WIRETAG_BUNDLED_DATA ")"},
    {"max-body", "WIRETAG_MAX_BODY", K_SIZE, OFF(max_body), SRV_FOR_SERVE, "BYTES",
     "largest request body (default 2097152 = 2 MiB)"},
    {"max-text", "WIRETAG_MAX_TEXT", K_SIZE, OFF(max_text), SRV_FOR_SERVE | SRV_FOR_TAG, "BYTES",
     "largest text plus title of one document (default 1048576 = 1 MiB)"},
    {"log-format", "WIRETAG_LOG_FORMAT", K_STR, OFF(log_format), SRV_FOR_SERVE, "text|json",
     "request log format (default text)"},
    {"max-connections", "WIRETAG_MAX_CONNECTIONS", K_UINT, OFF(max_connections), SRV_FOR_SERVE,
     "N", "connections held at once (default 4096)"},
    {"max-headers", "WIRETAG_MAX_HEADERS", K_SIZE, OFF(max_headers), SRV_FOR_SERVE, "BYTES",
     "memory for one connection's request line and headers; more is answered 431 (default 65536)"},
    {"timeout", "WIRETAG_TIMEOUT", K_UINT, OFF(timeout), SRV_FOR_SERVE, "SECONDS",
     "a connection idle or too slow for this long is closed (default 10)"},
    {"drain", "WIRETAG_DRAIN", K_UINT, OFF(drain), SRV_FOR_SERVE, "SECONDS",
     "at SIGTERM, time in-flight requests get to finish (default 10)"},
    {"drain-delay", "WIRETAG_DRAIN_DELAY", K_UINT, OFF(drain_delay), SRV_FOR_SERVE, "SECONDS",
     "at SIGTERM, keep serving this long with /ready at 503 before closing the listener "
     "(default 0)"},
    {"batch-max-docs", "WIRETAG_BATCH_MAX_DOCS", K_SIZE, OFF(batch_max_docs), SRV_FOR_SERVE, "N",
     "documents in one batch request (default 1000)"},
    {"jsonl", NULL, K_FLAG, OFF(jsonl), SRV_FOR_TAG, NULL,
     "read one v1 request object per line, write one v1 response object per line"},
    {"types", NULL, K_STR, OFF(types), SRV_FOR_TAG, "LIST",
     "types to report, comma-separated (plain-text input)"},
    {"offsets", NULL, K_STR, OFF(offsets), SRV_FOR_TAG, "UNIT",
     "codepoint, utf16 or byte (plain-text input; default codepoint)"},
    {"help", NULL, K_FLAG, OFF(help), SRV_FOR_SERVE | SRV_FOR_TAG | SRV_FOR_CHECK, NULL,
     "show this help"},
};

#define NSETTINGS (sizeof settings / sizeof settings[0])

static int set_value(srv_config *c, const setting *s, const char *v, const char *from)
{
    char *p = (char *)c + s->off;
    char *end;
    switch (s->kind) {
        case K_STR: *(const char **)p = v; return 0;
        case K_FLAG: *(int *)p = 1; return 0;
        case K_LIST: {
            /* A variable may hold several directories separated by ':'. */
            int split = s->env && from == s->env;
            if (split) { /* split a copy in place */
                if (strlen(v) >= sizeof c->env_data) {
                    fprintf(stderr, "wiretag: %s is too long\n", s->env);
                    return -1;
                }
                strcpy(c->env_data, v);
                v = c->env_data;
            }
            char *q = (char *)v;
            do {
                if (c->ndata == SRV_MAX_DATA_DIRS) {
                    fprintf(stderr, "wiretag: at most %d data directories\n", SRV_MAX_DATA_DIRS);
                    return -1;
                }
                char *colon = split ? strchr(q, ':') : NULL;
                if (colon)
                    *colon = '\0';
                if (*q)
                    c->data[c->ndata++] = q;
                q = colon ? colon + 1 : NULL;
            } while (q);
            return 0;
        }
        default: {
            errno = 0;
            unsigned long long n = strtoull(v, &end, 10);
            if (errno || end == v || *end || v[0] == '-' ||
                (s->kind == K_UINT && n > 0xFFFFFFFFull)) {
                fprintf(stderr, "wiretag: %s: '%s' is not a valid number\n", from, v);
                return -1;
            }
            if (s->kind == K_UINT)
                *(unsigned *)p = (unsigned)n;
            else
                *(size_t *)p = (size_t)n;
            return 0;
        }
    }
}

int srv_config_parse(srv_config *c, unsigned command, int argc, char **argv)
{
    memset(c, 0, sizeof *c);
    c->listen = "127.0.0.1:8080";
    c->bundled = WIRETAG_BUNDLED_DATA;
    c->max_body = 2u << 20;
    c->max_text = 1u << 20;
    c->log_format = "text";
    c->max_connections = 4096;
    c->max_headers = 64 * 1024;
    c->timeout = 10;
    c->drain = 10;
    c->batch_max_docs = 1000;
    c->admin_token = getenv("WIRETAG_ADMIN_TOKEN");
    if (c->admin_token && !*c->admin_token)
        c->admin_token = NULL;
    for (size_t i = 0; i < NSETTINGS; i++) {
        const setting *s = &settings[i];
        const char *v = s->env && (s->commands & command) ? getenv(s->env) : NULL;
        if (v && *v && set_value(c, s, v, s->env) < 0)
            return -1;
    }
    int positional_only = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (positional_only || a[0] != '-' || strcmp(a, "-") == 0) {
            if (command == SRV_FOR_CHECK) {
                if (c->ndata == SRV_MAX_DATA_DIRS) {
                    fprintf(stderr, "wiretag: at most %d data directories\n", SRV_MAX_DATA_DIRS);
                    return -1;
                }
                c->data[c->ndata++] = a;
            } else if (command == SRV_FOR_TAG && !c->file) {
                c->file = a;
            } else {
                fprintf(stderr, "wiretag: unexpected argument '%s' (see --help)\n", a);
                return -1;
            }
            continue;
        }
        if (strcmp(a, "--") == 0) {
            positional_only = 1;
            continue;
        }
        const char *name = a + (a[1] == '-' ? 2 : 1);
        const char *eq = strchr(name, '=');
        size_t n = eq ? (size_t)(eq - name) : strlen(name);
        if (n == 1 && name[0] == 'h')
            name = "help", n = 4;
        const setting *s = NULL;
        for (size_t k = 0; k < NSETTINGS; k++)
            if ((settings[k].commands & command) && strlen(settings[k].flag) == n &&
                strncmp(settings[k].flag, name, n) == 0)
                s = &settings[k];
        if (!s) {
            fprintf(stderr, "wiretag: unknown option '%s' (see --help)\n", a);
            return -1;
        }
        const char *v = NULL;
        if (s->kind != K_FLAG) {
            if (eq)
                v = eq + 1;
            else if (i + 1 < argc)
                v = argv[++i];
            else {
                fprintf(stderr, "wiretag: option --%s needs a value\n", s->flag);
                return -1;
            }
        }
        if (set_value(c, s, v, a) < 0)
            return -1;
    }
    if (strcmp(c->log_format, "text") != 0 && strcmp(c->log_format, "json") != 0) {
        fprintf(stderr, "wiretag: --log-format must be text or json\n");
        return -1;
    }
    if (c->max_body == 0 || c->max_text == 0 || c->timeout == 0 || c->max_connections == 0 ||
        c->batch_max_docs == 0) {
        fprintf(stderr, "wiretag: limits must be positive\n");
        return -1;
    }
    /* libmicrohttpd keeps its read and write buffers in the same per-connection memory. */
    if (c->max_headers < SRV_MIN_HEADERS) {
        fprintf(stderr, "wiretag: --max-headers must be at least %d\n", SRV_MIN_HEADERS);
        return -1;
    }
    return 0;
}

void srv_config_help(FILE *out, unsigned command)
{
    for (size_t i = 0; i < NSETTINGS; i++) {
        const setting *s = &settings[i];
        if (!(s->commands & command))
            continue;
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", s->flag, s->arg ? " " : "", s->arg ? s->arg : "");
        fprintf(out, "  %-28s %s", left, s->help);
        if (s->env)
            fprintf(out, " [%s]", s->env);
        fputc('\n', out);
    }
}

size_t srv_config_dirs(const srv_config *c, const char **dirs, size_t max)
{
    size_t n = 0;
    if (c->bundled && strcmp(c->bundled, "none") != 0 && n < max)
        dirs[n++] = c->bundled;
    for (size_t i = 0; i < c->ndata && n < max; i++)
        dirs[n++] = c->data[i];
    return n;
}
