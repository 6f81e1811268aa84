/* `wiretag check-data [DIR...]`: load data as the service would (bundled data first, then each
 * DIR as a layer) and report every problem as file:line: sentence. */
#include <stdio.h>

#include "cli/commands.h"

static void print_finding(void *ctx, const char *msg)
{
    (void)ctx;
    printf("%s\n", msg);
}

int srv_check_data_main(int argc, char **argv)
{
    srv_config c;
    if (srv_config_parse(&c, SRV_FOR_CHECK, argc, argv) < 0)
        return 1;
    if (c.help) {
        printf("usage: wiretag check-data [--bundled-data DIR|none] [DIR...]\n"
               "Loads the bundled data and each DIR over it, then reports syntax errors,\n"
               "duplicate ids, names shared by entries without a deliberate resolution, and\n"
               "any-case aliases that are common words. Exit status 0 when clean.\n\n");
        srv_config_help(stdout, SRV_FOR_CHECK);
        return 0;
    }
    wt_tagger *t = srv_load_tagger(&c);
    if (!t)
        return 1;
    size_t n = wt_tagger_check(t, print_finding, NULL);
    wt_tagger_info info;
    wt_tagger_get_info(t, &info);
    fprintf(stderr,
            "check-data: %zu files, %zu entries (%zu persons, %zu organizations, %zu countries, "
            "%zu treaties, %zu places, %zu others), %zu aliases, %zu stop phrases, %zu lexicon "
            "words, %zu rules: %zu finding%s\n",
            info.files,
            info.entries[0] + info.entries[1] + info.entries[2] + info.entries[3] +
                info.entries[4] + info.entries[5],
            info.entries[0], info.entries[1], info.entries[2], info.entries[3], info.entries[4],
            info.entries[5], info.aliases, info.stop_phrases, info.lexicon_words, info.rules, n,
            n == 1 ? "" : "s");
    wt_tagger_free(t);
    return n ? 1 : 0;
}
