/* Reading the process's own figures from /proc/self/stat, /proc/stat and /proc/self/fd. */
#include "http/procstat.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static char *read_small_file(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return n ? buf : NULL;
}

/* The boot time from /proc/stat's "btime" line, in seconds since the epoch; 0 if unknown. */
static double boot_time(void)
{
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return 0;
    char line[256];
    double bt = 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "btime ", 6) == 0) {
            bt = strtod(line + 6, NULL);
            break;
        }
    fclose(f);
    return bt;
}

/* Entries of /proc/self/fd, less the descriptor that reads the directory. */
static double count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    long n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n > 0 ? (double)(n - 1) : 0;
}

int srv_procstat_read(srv_procstat *p)
{
    memset(p, 0, sizeof *p);
    char buf[1024];
    if (!read_small_file("/proc/self/stat", buf, sizeof buf))
        return -1;
    /* The command name (field 2) may hold spaces and parentheses: fields are counted from
     * the last ')'. Field 3 is the state; utime and stime are 14 and 15, starttime 22, vsize
     * 23, rss (in pages) 24. */
    char *p0 = strrchr(buf, ')');
    if (!p0)
        return -1;
    unsigned long long f[25] = {0};
    int field = 3;
    char *save = NULL; /* strtok_r: the handler runs on several threads at once */
    for (char *tok = strtok_r(p0 + 2, " ", &save); tok && field <= 24;
         tok = strtok_r(NULL, " ", &save), field++)
        f[field] = strtoull(tok, NULL, 10);
    if (field <= 24)
        return -1;
    long ticks = sysconf(_SC_CLK_TCK);
    long page = sysconf(_SC_PAGESIZE);
    if (ticks <= 0 || page <= 0)
        return -1;
    p->cpu_seconds = (double)(f[14] + f[15]) / (double)ticks;
    p->start_time_seconds = boot_time() + (double)f[22] / (double)ticks;
    p->virtual_bytes = (double)f[23];
    p->resident_bytes = (double)f[24] * (double)page;
    p->open_fds = count_fds();
    struct rlimit rl;
    p->max_fds = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
                     ? (double)rl.rlim_cur
                     : -1;
    return 0;
}
