/* Walking data directories and reading their files whole. */

#include "datadir.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "errors.h"
#include "stage.h"
#include "utf8.h"

#define MAX_FILE_BYTES (256u << 20)
#define MAX_DEPTH      16

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && strcmp(s + n - k, suffix) == 0;
}

int wti_datafile_kind(const char *name)
{
    if (ends_with(name, ".gaz"))
        return WTI_FILE_GAZ;
    if (ends_with(name, ".lex"))
        return WTI_FILE_LEX;
    if (ends_with(name, ".rules"))
        return WTI_FILE_RULES;
    return -1;
}

static int check_utf8(const char *name, const char *data, size_t len, wt_error *err)
{
    size_t bad = wti_utf8_check(data, len);
    if (bad == len)
        return 0;
    long line = 1;
    for (size_t i = 0; i < bad; i++)
        line += data[i] == '\n';
    wti_data_error(err, WT_E_DATA_SYNTAX, name, line, "invalid UTF-8 at byte %zu of the file",
                   bad);
    if (err)
        err->offset = (long)bad;
    return -1;
}

int wti_datafiles_add(wti_datafiles *out, const char *name, const char *data, size_t len,
                      unsigned layer, wt_error *err)
{
    int kind = wti_datafile_kind(name);
    if (kind < 0) {
        wti_data_error(err, WT_E_DATA_IO, name, 0, "not a data file (.gaz, .lex or .rules)");
        return -1;
    }
    if (check_utf8(name, data, len, err) < 0)
        return -1;
    if (wti_grow((void **)&out->v, &out->cap, out->n, sizeof *out->v) < 0)
        return wti_error_set(err, WT_E_NOMEM, NULL);
    wti_datafile *f = &out->v[out->n];
    f->name = strdup(name);
    f->data = malloc(len + 1);
    if (!f->name || !f->data) {
        free(f->name);
        free(f->data);
        return wti_error_set(err, WT_E_NOMEM, NULL);
    }
    memcpy(f->data, data, len);
    f->data[len] = '\0';
    f->len = len;
    f->layer = layer;
    f->kind = kind;
    out->n++;
    return 0;
}

static int read_file(wti_datafiles *out, const char *path, unsigned layer, wt_error *err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        wti_data_error(err, WT_E_DATA_IO, path, 0, "cannot open: %s", strerror(errno));
        return -1;
    }
    char *data = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            if (cap > MAX_FILE_BYTES + 1) {
                free(data);
                fclose(fp);
                wti_data_error(err, WT_E_DATA_LIMIT, path, 0, "file larger than %u bytes",
                               MAX_FILE_BYTES);
                return -1;
            }
            char *p = realloc(data, cap);
            if (!p) {
                free(data);
                fclose(fp);
                return wti_error_set(err, WT_E_NOMEM, NULL);
            }
            data = p;
        }
        size_t n = fread(data + len, 1, cap - len, fp);
        len += n;
        if (n == 0)
            break;
    }
    int failed = ferror(fp);
    fclose(fp);
    int rc;
    if (failed) {
        wti_data_error(err, WT_E_DATA_IO, path, 0, "read error");
        rc = -1;
    } else {
        rc = wti_datafiles_add(out, path, data ? data : "", len, layer, err);
    }
    free(data);
    return rc;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(wti_datafiles *out, const char *dir, unsigned layer, int depth, wt_error *err)
{
    if (depth > MAX_DEPTH) {
        wti_data_error(err, WT_E_DATA_LIMIT, dir, 0, "directories nested too deep");
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        wti_data_error(err, WT_E_DATA_IO, dir, 0, "cannot open data directory: %s",
                       strerror(errno));
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (wti_grow((void **)&names, &cap, n, sizeof *names) < 0 ||
            !(names[n] = malloc(strlen(dir) + strlen(de->d_name) + 2))) {
            rc = wti_error_set(err, WT_E_NOMEM, NULL);
            break;
        }
        sprintf(names[n], "%s/%s", dir, de->d_name);
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n && rc == 0; i++) {
        struct stat sb;
        if (stat(names[i], &sb) < 0)
            continue; /* a dangling link is not data */
        if (S_ISDIR(sb.st_mode))
            rc = walk(out, names[i], layer, depth + 1, err);
        else if (S_ISREG(sb.st_mode) && wti_datafile_kind(names[i]) >= 0)
            rc = read_file(out, names[i], layer, err);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int wti_datadir_read(wti_datafiles *out, const char *dir, unsigned layer, wt_error *err)
{
    size_t len = strlen(dir);
    char *clean = strdup(dir);
    if (!clean)
        return wti_error_set(err, WT_E_NOMEM, NULL);
    while (len > 1 && clean[len - 1] == '/')
        clean[--len] = '\0';
    int rc = walk(out, clean, layer, 0, err);
    free(clean);
    return rc;
}

void wti_datafiles_release(wti_datafiles *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].name);
        free(f->v[i].data);
    }
    free(f->v);
    memset(f, 0, sizeof *f);
}
