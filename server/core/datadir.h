/* Reading data directories: every *.gaz, *.lex and *.rules file below each directory, in byte
 * order of path, tagged with its layer. */
#ifndef WTI_DATADIR_H
#define WTI_DATADIR_H

#include <stddef.h>

#include "wiretag/error.h"

enum { WTI_FILE_GAZ, WTI_FILE_LEX, WTI_FILE_RULES };

typedef struct wti_datafile {
    char *name; /* path as shown in messages */
    char *data;
    size_t len;
    unsigned layer;
    int kind; /* WTI_FILE_* */
} wti_datafile;

typedef struct wti_datafiles {
    wti_datafile *v;
    size_t n, cap;
} wti_datafiles;

/* The kind of a file by its extension, or -1 for files that are not data. */
int wti_datafile_kind(const char *name);

/* Appends the data files below `dir` as layer `layer`. Returns 0, or -1 with WT_E_DATA_IO
 * naming the path. Files must be valid UTF-8 (a bad byte is reported as file:line). */
int wti_datadir_read(wti_datafiles *out, const char *dir, unsigned layer, wt_error *err);

/* Appends one in-memory file (copied). */
int wti_datafiles_add(wti_datafiles *out, const char *name, const char *data, size_t len,
                      unsigned layer, wt_error *err);

void wti_datafiles_release(wti_datafiles *f);

#endif
