/* Process figures for the metrics, read from /proc the way Prometheus client libraries do:
 * resident memory, open file descriptors, start time and CPU time. */
#ifndef SRV_PROCSTAT_H
#define SRV_PROCSTAT_H

typedef struct srv_procstat {
    double resident_bytes;     /* resident set size */
    double virtual_bytes;      /* virtual memory size */
    double open_fds;           /* entries of /proc/self/fd */
    double max_fds;            /* the soft RLIMIT_NOFILE */
    double start_time_seconds; /* since the Unix epoch */
    double cpu_seconds;        /* user plus system */
} srv_procstat;

/* Fills *p from /proc. Returns 0, or -1 when /proc cannot be read (then nothing is reported:
 * a made-up figure would be worse than none). Thread-safe. */
int srv_procstat_read(srv_procstat *p);

#endif
