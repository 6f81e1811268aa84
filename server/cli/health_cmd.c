/* `wiretag health [--timeout SECONDS] URL`: one HTTP/1.1 GET over a plain socket, so that a
 * container's HEALTHCHECK needs no curl. Exit 0 on a 2xx status, 1 otherwise; either way one
 * line says why (stdout when healthy, stderr when not). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"

#define HEALTH_DEFAULT_TIMEOUT 2.0
#define HEALTH_MAX_TIMEOUT     3600.0
#define HEALTH_MAX_RESPONSE    16384
#define HEALTH_MAX_ADDRS       2 /* localhost is tried as 127.0.0.1, then ::1 */

/* A parsed http:// URL with the addresses to try. */
typedef struct health_url {
    char host[64];      /* as written, without the brackets of an IPv6 literal */
    char authority[80]; /* HOST[:PORT] for the Host header, brackets kept */
    char path[2048];    /* path and query, never empty */
    unsigned port;
    struct sockaddr_storage addrs[HEALTH_MAX_ADDRS];
    socklen_t addr_lens[HEALTH_MAX_ADDRS];
    size_t naddrs;
} health_url;

/* What came back: the status code, its reason phrase and a hint from a JSON body. */
typedef struct health_reply {
    int status;
    char reason[64];
    char hint[96];
} health_reply;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int add_addr(health_url *u, int family, const char *literal)
{
    struct sockaddr_storage *ss = &u->addrs[u->naddrs];
    memset(ss, 0, sizeof *ss);
    if (family == AF_INET) {
        struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
        if (inet_pton(AF_INET, literal, &in4->sin_addr) != 1)
            return -1;
        in4->sin_family = AF_INET;
        in4->sin_port = htons((uint16_t)u->port);
        u->addr_lens[u->naddrs++] = sizeof *in4;
    } else {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
        if (inet_pton(AF_INET6, literal, &in6->sin6_addr) != 1)
            return -1;
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons((uint16_t)u->port);
        u->addr_lens[u->naddrs++] = sizeof *in6;
    }
    return 0;
}

/* The host is an IPv4 literal, a bracketed IPv6 literal or localhost: no name resolution, so
 * the check never waits on DNS. */
static int resolve_host(health_url *u, int bracketed, char *why, size_t cap)
{
    u->naddrs = 0;
    if (bracketed) {
        if (add_addr(u, AF_INET6, u->host) == 0)
            return 0;
        snprintf(why, cap, "'[%s]' is not an IPv6 address", u->host);
        return -1;
    }
    if (strcmp(u->host, "localhost") == 0) {
        add_addr(u, AF_INET, "127.0.0.1");
        add_addr(u, AF_INET6, "::1");
        return 0;
    }
    if (add_addr(u, AF_INET, u->host) == 0)
        return 0;
    snprintf(why, cap, "host '%s' must be an IPv4 address, an [IPv6] address or localhost",
             u->host);
    return -1;
}

/* Reads ":PORT" at *p (if any) and advances past it. */
static int parse_port(const char **p, unsigned *port, char *why, size_t cap)
{
    *port = 80;
    if (**p != ':')
        return 0;
    const char *q = *p + 1;
    unsigned long n = 0;
    size_t digits = 0;
    while (*q >= '0' && *q <= '9' && digits < 6) {
        n = n * 10 + (unsigned long)(*q - '0');
        q++, digits++;
    }
    if (digits == 0 || n == 0 || n > 65535 || (*q && !strchr("/?#", *q))) {
        snprintf(why, cap, "the port must be a number from 1 to 65535");
        return -1;
    }
    *port = (unsigned)n;
    *p = q;
    return 0;
}

/* Copies the path and query (up to any '#') into u->path; "/" when there is none. */
static int parse_path(const char *p, health_url *u, char *why, size_t cap)
{
    size_t n = strcspn(p, "#");
    int slash = *p != '/';
    if (n + (size_t)slash >= sizeof u->path) {
        snprintf(why, cap, "the path is too long");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c <= 0x20 || c == 0x7f) { /* it would break the request line */
            snprintf(why, cap, "a space or control character in the path");
            return -1;
        }
    }
    if (slash)
        u->path[0] = '/';
    memcpy(u->path + slash, p, n);
    u->path[n + (size_t)slash] = '\0';
    return 0;
}

/* Parses http://HOST[:PORT][/PATH][?QUERY]. Returns 0, or -1 with the reason in why. */
static int parse_url(const char *url, health_url *u, char *why, size_t cap)
{
    memset(u, 0, sizeof *u);
    if (strncmp(url, "http://", 7) != 0) {
        snprintf(why, cap,
                 strstr(url, "://") ? "only http:// URLs are supported"
                                    : "expected http://HOST[:PORT][/PATH]");
        return -1;
    }
    const char *p = url + 7, *host = p, *host_end;
    int bracketed = *p == '[';
    if (bracketed) {
        host = p + 1;
        host_end = strchr(host, ']');
        if (!host_end) {
            snprintf(why, cap, "an IPv6 host needs its closing ']'");
            return -1;
        }
        p = host_end + 1;
    } else {
        host_end = p + strcspn(p, ":/?#");
        p = host_end;
    }
    size_t hlen = (size_t)(host_end - host);
    if (hlen == 0 || hlen >= sizeof u->host) {
        snprintf(why, cap, hlen ? "the host is too long" : "no host");
        return -1;
    }
    memcpy(u->host, host, hlen);
    u->host[hlen] = '\0';
    const char *port_at = p;
    if (parse_port(&p, &u->port, why, cap) < 0)
        return -1;
    if (*p && !strchr("/?#", *p)) {
        snprintf(why, cap, "unexpected '%c' after the host", *p);
        return -1;
    }
    snprintf(u->authority, sizeof u->authority, "%s%s%s%.*s", bracketed ? "[" : "", u->host,
             bracketed ? "]" : "", (int)(p - port_at), port_at);
    if (parse_path(p, u, why, cap) < 0)
        return -1;
    return resolve_host(u, bracketed, why, cap);
}

/* Waits until fd is ready for events or the deadline passes: 1 ready, 0 timed out, -1 error. */
static int wait_fd(int fd, short events, double deadline)
{
    for (;;) {
        double left = deadline - now_s();
        if (left <= 0)
            return 0;
        struct pollfd pfd = {.fd = fd, .events = events};
        int r = poll(&pfd, 1, (int)(left * 1000.0) + 1);
        if (r < 0 && errno != EINTR)
            return -1;
        if (r > 0)
            return 1;
    }
}

/* Connects a non-blocking socket to one address before the deadline. Returns the socket, or
 * -1 with the reason in why. */
static int connect_one(const struct sockaddr_storage *ss, socklen_t len, double deadline, char *why,
                       size_t cap)
{
    int fd = socket(ss->ss_family, SOCK_STREAM, 0);
    if (fd < 0) {
        snprintf(why, cap, "cannot create a socket: %s", strerror(errno));
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    int err = 0;
    if (connect(fd, (const struct sockaddr *)ss, len) < 0) {
        err = errno;
        if (err == EINPROGRESS) {
            int r = wait_fd(fd, POLLOUT, deadline);
            socklen_t elen = sizeof err;
            if (r == 0)
                err = ETIMEDOUT;
            else if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) < 0)
                err = errno;
        }
    }
    if (err) {
        snprintf(why, cap, "cannot connect: %s", strerror(err));
        close(fd);
        return -1;
    }
    return fd;
}

static int send_all(int fd, const char *buf, size_t len, double deadline)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_fd(fd, POLLOUT, deadline) != 1)
                return -1;
            continue;
        }
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Reads until the server closes (the request says Connection: close), the buffer is full or
 * the deadline passes. Returns the bytes read; *timed_out tells whether the deadline ended it. */
static size_t read_reply(int fd, char *buf, size_t cap, double deadline, int *timed_out)
{
    size_t n = 0;
    *timed_out = 0;
    while (n + 1 < cap) {
        int r = wait_fd(fd, POLLIN, deadline);
        if (r == 0)
            *timed_out = 1;
        if (r != 1)
            break;
        ssize_t k = recv(fd, buf + n, cap - 1 - n, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    buf[n] = '\0';
    return n;
}

/* A short hint from a JSON body: the problem's code, or the status and data of /ready. */
static void body_hint(const char *body, size_t len, char *out, size_t cap)
{
    json_t *j = json_loadb(body, len, 0, NULL);
    const char *code = json_string_value(json_object_get(j, "code"));
    const char *status = json_string_value(json_object_get(j, "status"));
    const char *data = json_string_value(json_object_get(j, "data"));
    if (code)
        snprintf(out, cap, " (%s)", code);
    else if (status && data)
        snprintf(out, cap, " (%s, data %.40s)", status, data);
    else if (status)
        snprintf(out, cap, " (%s)", status);
    json_decref(j);
}

/* Parses "HTTP/1.x NNN reason\r\n...". Returns 0, or -1 when there is no valid status line. */
static int parse_reply(const char *buf, size_t len, health_reply *rp)
{
    memset(rp, 0, sizeof *rp);
    const char *eol = memchr(buf, '\n', len);
    if (!eol || len < 12 || memcmp(buf, "HTTP/1.", 7) != 0 || buf[8] != ' ')
        return -1;
    for (int i = 9; i < 12; i++) {
        if (buf[i] < '0' || buf[i] > '9')
            return -1;
        rp->status = rp->status * 10 + (buf[i] - '0');
    }
    if (buf[12] != ' ' && buf[12] != '\r' && buf[12] != '\n')
        return -1;
    const char *r = buf[12] == ' ' ? buf + 13 : buf + 12;
    size_t rlen = (size_t)(eol - r);
    if (rlen && r[rlen - 1] == '\r')
        rlen--;
    snprintf(rp->reason, sizeof rp->reason, "%.*s", (int)rlen, r);
    const char *body = strstr(buf, "\r\n\r\n");
    if (body)
        body_hint(body + 4, len - (size_t)(body + 4 - buf), rp->hint, sizeof rp->hint);
    return 0;
}

/* Connects (each address in turn), sends the GET and reads the reply. Returns 0 with *rp
 * filled, or -1 with the reason in why. */
static int fetch(const health_url *u, double timeout, health_reply *rp, char *why, size_t cap)
{
    double deadline = now_s() + timeout;
    int fd = -1;
    for (size_t i = 0; i < u->naddrs && fd < 0; i++)
        fd = connect_one(&u->addrs[i], u->addr_lens[i], deadline, why, cap);
    if (fd < 0)
        return -1;
    char req[2300];
    int n = snprintf(req, sizeof req,
                     "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: wiretag-health/%s\r\n"
                     "Accept: application/json\r\nConnection: close\r\n\r\n",
                     u->path, u->authority, WT_VERSION);
    char buf[HEALTH_MAX_RESPONSE];
    int timed_out = 0;
    size_t len = 0;
    if (n > 0 && (size_t)n < sizeof req && send_all(fd, req, (size_t)n, deadline) == 0)
        len = read_reply(fd, buf, sizeof buf, deadline, &timed_out);
    else
        snprintf(why, cap, "cannot send the request: %s", strerror(errno));
    close(fd);
    if (len > 0 && parse_reply(buf, len, rp) == 0)
        return 0;
    if (timed_out)
        snprintf(why, cap, "no response within %g s", timeout);
    else if (len > 0)
        snprintf(why, cap, "not an HTTP/1.x response");
    else if (n > 0 && (size_t)n < sizeof req)
        snprintf(why, cap, "the server closed the connection without a response");
    return -1;
}

static void health_usage(FILE *out)
{
    fprintf(out, "usage: wiretag health [--timeout SECONDS] URL\n"
                 "GETs URL (http://HOST[:PORT][/PATH]; HOST an IPv4 address, [IPv6] or "
                 "localhost)\nand exits 0 on a 2xx status, 1 otherwise, printing one line "
                 "saying why.\nFor container health checks: "
                 "wiretag health http://127.0.0.1:8080/ready\n\n"
                 "  --timeout SECONDS   for connecting, sending and receiving (default 2)\n");
}

static int parse_timeout(const char *v, double *out)
{
    char *end;
    errno = 0;
    double t = strtod(v, &end);
    if (errno || end == v || *end || !isfinite(t) || t <= 0 || t > HEALTH_MAX_TIMEOUT) {
        fprintf(stderr,
                "wiretag health: --timeout must be a number of seconds above 0 and at "
                "most 3600, not '%s'\n",
                v);
        return -1;
    }
    *out = t;
    return 0;
}

/* Reads the arguments. Returns 1 to go on, 0 after --help, -1 on a usage error. */
static int parse_args(int argc, char **argv, const char **url, double *timeout)
{
    *url = NULL;
    *timeout = HEALTH_DEFAULT_TIMEOUT;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            health_usage(stdout);
            return 0;
        }
        if (strncmp(a, "--timeout=", 10) == 0) {
            if (parse_timeout(a + 10, timeout) < 0)
                return -1;
        } else if (strcmp(a, "--timeout") == 0) {
            if (i + 1 == argc) {
                fprintf(stderr, "wiretag health: --timeout needs a value\n");
                return -1;
            }
            if (parse_timeout(argv[++i], timeout) < 0)
                return -1;
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "wiretag health: unknown option '%s' (see --help)\n", a);
            return -1;
        } else if (*url) {
            fprintf(stderr, "wiretag health: one URL only ('%s' and '%s')\n", *url, a);
            return -1;
        } else {
            *url = a;
        }
    }
    if (!*url) {
        fprintf(stderr, "wiretag health: no URL (e.g. http://127.0.0.1:8080/ready)\n");
        return -1;
    }
    return 1;
}

int srv_health_main(int argc, char **argv)
{
    const char *url;
    double timeout;
    int go = parse_args(argc, argv, &url, &timeout);
    if (go <= 0)
        return go == 0 ? 0 : 1;
    health_url u;
    char why[256];
    if (parse_url(url, &u, why, sizeof why) < 0) {
        fprintf(stderr, "wiretag health: malformed URL '%s': %s\n", url, why);
        return 1;
    }
    health_reply rp;
    if (fetch(&u, timeout, &rp, why, sizeof why) < 0) {
        fprintf(stderr, "wiretag health: %s: %s\n", url, why);
        return 1;
    }
    int healthy = rp.status >= 200 && rp.status <= 299;
    fprintf(healthy ? stdout : stderr, "wiretag health: %s: %s%d %s%s\n", url,
            healthy ? "" : "unhealthy: ", rp.status, rp.reason, rp.hint);
    return healthy ? 0 : 1;
}
