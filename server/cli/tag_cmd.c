/* `wiretag tag`: tag one article from a file or stdin, or a stream of v1 requests (JSON lines)
 * without a server. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "http/tagging.h"
#include "wiretag/tag.h"
#include "wiretag/v1.h"

wt_tagger *srv_load_tagger(const srv_config *c)
{
    const char *dirs[SRV_MAX_DATA_DIRS + 1];
    size_t n = srv_config_dirs(c, dirs, SRV_MAX_DATA_DIRS + 1);
    wt_error err;
    wt_tagger *t = wt_tagger_load(dirs, n, &err);
    if (!t)
        fprintf(stderr, "wiretag: cannot load data: %s\n", err.message);
    return t;
}

static char *read_all(FILE *fp, size_t *len)
{
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    for (;;) {
        if (n == cap) {
            char *p = cap < ((size_t)1 << 40) ? realloc(buf, cap * 2) : NULL;
            if (!p) {
                free(buf);
                return NULL;
            }
            buf = p;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n, fp);
        n += k;
        if (k == 0)
            break;
    }
    if (ferror(fp)) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

/* Tags one request and prints its response (or its error object) as one line. Returns 0, 1
 * for an error object, -1 when memory runs out. */
static int tag_one(const wt_tagger *t, wt_request *req, const wt_error *parse_err, long line,
                   FILE *out)
{
    size_t len = 0;
    int ok = 0;
    char *json = srv_tag_line(t, req, parse_err, line, &len, &ok, NULL);
    if (!json)
        return -1;
    fwrite(json, 1, len, out);
    fputc('\n', out);
    free(json);
    return ok ? 0 : 1;
}

static int run_jsonl(const wt_tagger *t, const srv_config *c, FILE *in, FILE *out)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int failed = 0;
    while ((n = getline(&line, &cap, in)) >= 0) {
        lineno++;
        size_t len = (size_t)n;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            len--;
        size_t b = 0;
        while (b < len && (line[b] == ' ' || line[b] == '\t'))
            b++;
        if (b == len)
            continue; /* blank lines carry no request */
        wt_request req;
        wt_request_init(&req);
        req.opts.max_text = c->max_text;
        wt_error err;
        wt_request_parse_json(&req, line, len, &err);
        int rc = tag_one(t, &req, &err, lineno, out);
        wt_request_release(&req);
        if (rc < 0) {
            free(line);
            fprintf(stderr, "wiretag: out of memory at line %ld\n", lineno);
            return 1;
        }
        failed |= rc;
    }
    free(line);
    fflush(out);
    return failed ? 2 : 0;
}

int srv_tag_main(int argc, char **argv)
{
    srv_config c;
    if (srv_config_parse(&c, SRV_FOR_TAG, argc, argv) < 0)
        return 1;
    if (c.help) {
        printf("usage: wiretag tag [options] [FILE]\n"
               "Tags one article (plain UTF-8 text from FILE or stdin) and prints the v1 "
               "response;\nwith --jsonl, tags one v1 request object per input line.\n\n");
        srv_config_help(stdout, SRV_FOR_TAG);
        return 0;
    }
    FILE *in = stdin;
    if (c.file && strcmp(c.file, "-") != 0) {
        in = fopen(c.file, "rb");
        if (!in) {
            perror(c.file);
            return 1;
        }
    }
    wt_tagger *t = srv_load_tagger(&c);
    if (!t) {
        if (in != stdin)
            fclose(in);
        return 1;
    }
    int status;
    if (c.jsonl) {
        status = run_jsonl(t, &c, in, stdout);
    } else {
        wt_request req;
        wt_request_init(&req);
        req.opts.max_text = c.max_text;
        wt_error err;
        wt_error_clear(&err);
        size_t len = 0;
        char *text = read_all(in, &len);
        if (!text) {
            fprintf(stderr, "wiretag: cannot read the input\n");
            status = 1;
        } else {
            req.doc.text = text;
            req.doc.text_len = len;
            if (c.types)
                wt_request_set_option(&req, "types", c.types, &err);
            if (c.offsets)
                wt_request_set_option(&req, "offsets", c.offsets, &err);
            status = tag_one(t, &req, &err, 0, stdout);
            if (status != 0)
                status = 1;
            free(text);
        }
        wt_request_release(&req);
    }
    if (in != stdin)
        fclose(in);
    wt_tagger_free(t);
    return status;
}
