/* Library throughput: load the data, tag a corpus again and again, report MB/s, words/s and
 * documents/s on one thread and on several (median of several runs), and what loading cost.
 *
 *   bench_tag [--data DIR]... [--threads N]... [--runs N] [--seconds S] [--filler N]
 *             [--engine] CORPUS...
 *
 * CORPUS is a .txt file (one document), a .jsonl file of {"text": ...} objects, or a directory
 * of .txt files. --filler N adds generated entries until N aliases are loaded (a layer of
 * invented names), to measure the matcher at that size. --engine times the engine alone: UTF-8
 * check, tokenizer with the vocabulary look-up and gazetteer matching, without rules,
 * resolution or the result. The last line is JSON. */
#include <dirent.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "doc.h"
#include "utf8.h"
#include "wiretag/tag.h"
#include "wiretag/tagger.h"

typedef struct doc {
    char *text;
    size_t len;
} doc;

typedef struct corpus {
    doc *v;
    size_t n, cap, bytes;
} corpus;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

static void add_doc(corpus *c, char *text, size_t len)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 64;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        if (!c->v) {
            perror("realloc");
            exit(1);
        }
    }
    c->v[c->n].text = text;
    c->v[c->n].len = len;
    c->n++;
    c->bytes += len;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static void load_jsonl(corpus *c, const char *path)
{
    size_t len;
    char *all = slurp(path, &len);
    if (!all) {
        perror(path);
        exit(1);
    }
    for (char *line = strtok(all, "\n"); line; line = strtok(NULL, "\n")) {
        json_error_t je;
        json_t *o = json_loads(line, 0, &je);
        json_t *t = o ? json_object_get(o, "text") : NULL;
        if (json_is_string(t))
            add_doc(c, strndup(json_string_value(t), json_string_length(t)), json_string_length(t));
        json_decref(o);
    }
    free(all);
}

static void load_corpus(corpus *c, const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        perror(path);
        exit(1);
    }
    if (S_ISDIR(st.st_mode)) {
        struct dirent **names;
        int n = scandir(path, &names, NULL, alphasort);
        for (int i = 0; i < n; i++) {
            if (ends_with(names[i]->d_name, ".txt")) {
                char p[4096];
                snprintf(p, sizeof p, "%s/%s", path, names[i]->d_name);
                load_corpus(c, p);
            }
            free(names[i]);
        }
        free(names);
    } else if (ends_with(path, ".jsonl")) {
        load_jsonl(c, path);
    } else {
        size_t len;
        char *text = slurp(path, &len);
        if (!text) {
            perror(path);
            exit(1);
        }
        add_doc(c, text, len);
    }
}

/* Writes a gazetteer of invented names to dir/filler.gaz: `count` entries of two or three
 * pseudo-words, so that the trie holds that many more aliases. */
static void write_filler(const char *dir, size_t count)
{
    static const char *const syl[] = {"ka", "ro", "vel", "min", "tor", "sa", "lu", "den",
                                      "qua", "zi", "mer", "pol", "ash", "vin", "gro", "tel"};
    char path[4096];
    snprintf(path, sizeof path, "%s/filler.gaz", dir);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fprintf(f, "# Invented names for the matcher benchmark.\n");
    unsigned long long x = 88172645463325252ull;
    for (size_t i = 0; i < count; i++) {
        char name[96];
        size_t n = 0;
        int words = 2 + (int)(i % 2);
        for (int w = 0; w < words; w++) {
            if (w)
                name[n++] = ' ';
            int syls = 2 + (int)((x >> 7) % 2);
            for (int s = 0; s < syls; s++) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                const char *y = syl[x % 16];
                size_t k = strlen(y);
                memcpy(name + n, y, k);
                if (s == 0)
                    name[n] = (char)(name[n] - 32);
                n += k;
            }
        }
        name[n] = '\0';
        fprintf(f, "organization:filler-%zu | %s\n", i, name);
    }
    fclose(f);
}

/* The whole of wt_tag(): every stage, the result included. Returns the tokens. */
static size_t tag_all(const wt_tagger *t, const doc *d)
{
    wt_document in = {d->text, d->len, NULL, 0};
    wt_result *r = wt_tag(t, &in, NULL, NULL);
    size_t tokens = r ? wt_result_stats(r)->tokens : 0;
    wt_result_free(r);
    return tokens;
}

/* The engine alone: UTF-8 check, tokenizer with the vocabulary look-up, gazetteer matching
 * (every name, alias and stop phrase, overlapping ones included). Returns the tokens. */
static size_t tag_engine(const wt_tagger *t, const doc *d)
{
    wt_document in = {d->text, d->len, NULL, 0};
    wti_doc dd;
    memset(&dd, 0, sizeof dd);
    dd.t = t;
    dd.in = &in;
    wti_tokens_init(&dd.toks);
    size_t tokens = 0;
    if (wti_utf8_check(d->text, d->len) == d->len &&
        wti_tokenize(&t->tz, d->text, d->len, WT_FIELD_TEXT, &dd.toks) == 0 &&
        wti_match_gazetteer(&dd) == 0)
        tokens = dd.toks.n;
    wti_tokens_release(&dd.toks);
    free(dd.c);
    return tokens;
}

typedef struct job {
    const wt_tagger *t;
    const corpus *c;
    size_t (*tag)(const wt_tagger *, const doc *);
    double seconds;
    size_t docs, bytes, tokens;
    double elapsed;
} job;

static void *worker(void *arg)
{
    job *j = arg;
    double t0 = now();
    size_t i = 0;
    do {
        for (size_t k = 0; k < j->c->n; k++, i++) {
            const doc *d = &j->c->v[(k + i) % j->c->n];
            j->tokens += j->tag(j->t, d);
            j->docs++;
            j->bytes += d->len;
        }
    } while (now() - t0 < j->seconds);
    j->elapsed = now() - t0;
    return NULL;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct figures {
    double mbps, words, docs, min_mbps, max_mbps;
} figures;

static figures measure(const wt_tagger *t, const corpus *c, size_t (*tag)(const wt_tagger *, const doc *),
                       int threads, int runs, double seconds)
{
    double mb[32], wd[32], dc[32];
    if (runs > 32)
        runs = 32;
    for (int r = 0; r < runs; r++) {
        job jobs[64];
        pthread_t th[64];
        for (int i = 0; i < threads; i++) {
            jobs[i] = (job){t, c, tag, seconds, 0, 0, 0, 0};
            pthread_create(&th[i], NULL, worker, &jobs[i]);
        }
        size_t docs = 0, bytes = 0, tokens = 0;
        double elapsed = 0;
        for (int i = 0; i < threads; i++) {
            pthread_join(th[i], NULL);
            docs += jobs[i].docs;
            bytes += jobs[i].bytes;
            tokens += jobs[i].tokens;
            if (jobs[i].elapsed > elapsed)
                elapsed = jobs[i].elapsed;
        }
        mb[r] = (double)bytes / 1e6 / elapsed;
        wd[r] = (double)tokens / elapsed;
        dc[r] = (double)docs / elapsed;
    }
    qsort(mb, (size_t)runs, sizeof mb[0], cmp_double);
    qsort(wd, (size_t)runs, sizeof wd[0], cmp_double);
    qsort(dc, (size_t)runs, sizeof dc[0], cmp_double);
    figures f = {mb[runs / 2], wd[runs / 2], dc[runs / 2], mb[0], mb[runs - 1]};
    return f;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "VmRSS:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    if (f)
        fclose(f);
    return kb;
}

int main(int argc, char **argv)
{
    const char *dirs[20];
    size_t ndirs = 0;
    int thread_counts[8], nthreads = 0, runs = 5;
    double seconds = 1.0;
    size_t filler = 0;
    int engine = 0;
    corpus c = {0};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc && ndirs < 18)
            dirs[ndirs++] = argv[++i];
        else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc && nthreads < 8)
            thread_counts[nthreads++] = atoi(argv[++i]);
        else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
            runs = atoi(argv[++i]);
        else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc)
            seconds = atof(argv[++i]);
        else if (strcmp(argv[i], "--engine") == 0)
            engine = 1;
        else if (strcmp(argv[i], "--filler") == 0 && i + 1 < argc)
            filler = (size_t)atol(argv[++i]);
        else
            load_corpus(&c, argv[i]);
    }
    if (!c.n) {
        fprintf(stderr, "usage: bench_tag [--data DIR]... [--threads N]... [--runs N] "
                        "[--seconds S] [--filler ALIASES] [--engine] CORPUS...\n");
        return 2;
    }
    if (!ndirs)
        dirs[ndirs++] = "data";
    if (!nthreads) {
        thread_counts[nthreads++] = 1;
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        if (cpus > 1)
            thread_counts[nthreads++] = (int)(cpus > 64 ? 64 : cpus);
    }
    json_object_seed(0);
    wt_error err;
    long rss0 = rss_kb();
    wt_tagger *t = wt_tagger_load(dirs, ndirs, &err);
    if (!t) {
        fprintf(stderr, "bench_tag: %s\n", err.message);
        return 1;
    }
    wt_tagger_info info;
    wt_tagger_get_info(t, &info);
    char tmpdir[] = "/tmp/wiretag-filler-XXXXXX";
    if (filler > info.aliases) {
        /* A second load with a filler layer, to reach the requested number of aliases. */
        if (!mkdtemp(tmpdir)) {
            perror("mkdtemp");
            return 1;
        }
        write_filler(tmpdir, filler - info.aliases);
        wt_tagger_free(t);
        dirs[ndirs++] = tmpdir;
        rss0 = rss_kb();
        t = wt_tagger_load(dirs, ndirs, &err);
        if (!t) {
            fprintf(stderr, "bench_tag: %s\n", err.message);
            return 1;
        }
        wt_tagger_get_info(t, &info);
        char path[4200];
        snprintf(path, sizeof path, "%s/filler.gaz", tmpdir);
        unlink(path);
        rmdir(tmpdir);
    }
    long rss1 = rss_kb();
    printf("data: %zu aliases, %zu entries, load %.1f ms, tagger %.1f MB (%.0f bytes per alias), "
           "resident +%.1f MB\n",
           info.aliases,
           info.entries[0] + info.entries[1] + info.entries[2] + info.entries[3] +
               info.entries[4] + info.entries[5],
           info.load_ms, info.memory / 1e6, (double)info.memory / (double)info.aliases,
           (rss1 - rss0) / 1024.0);
    printf("corpus: %zu documents, %.2f MB\n", c.n, c.bytes / 1e6);
    json_t *out = json_object();
    json_object_set_new(out, "documents", json_integer((json_int_t)c.n));
    json_object_set_new(out, "bytes", json_integer((json_int_t)c.bytes));
    json_object_set_new(out, "aliases", json_integer((json_int_t)info.aliases));
    json_object_set_new(out, "load_ms", json_real(info.load_ms));
    json_object_set_new(out, "bytes_per_alias", json_real((double)info.memory / (double)info.aliases));
    json_t *res = json_array();
    for (int i = 0; i < nthreads; i++) {
        figures f = measure(t, &c, engine ? tag_engine : tag_all, thread_counts[i], runs, seconds);
        printf("threads %2d: %8.2f MB/s (min %.2f, max %.2f)  %10.0f words/s  %9.0f docs/s\n",
               thread_counts[i], f.mbps, f.min_mbps, f.max_mbps, f.words, f.docs);
        json_array_append_new(res, json_pack("{s:i,s:f,s:f,s:f,s:f,s:f}", "threads",
                                             thread_counts[i], "mb_per_s", f.mbps, "min", f.min_mbps,
                                             "max", f.max_mbps, "words_per_s", f.words, "docs_per_s",
                                             f.docs));
    }
    json_object_set_new(out, "runs", res);
    char *line = json_dumps(out, JSON_COMPACT);
    printf("%s\n", line);
    free(line);
    json_decref(out);
    wt_tagger_free(t);
    for (size_t i = 0; i < c.n; i++)
        free(c.v[i].text);
    free(c.v);
    return 0;
}
