/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target for config loading: the input is an INI file. Whatever it
 * holds, tw_config_load() must return 0 or an error with a
 * "file:line: key: reason" text, and a loaded config must hold only values
 * its table allows.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"
#include "text.h"
#include "util.h"

static int button_hook(void *ctx, const char *section, const char *key, const char *value, int line,
                       char *err, size_t err_size)
{
    (void)ctx;
    (void)section;
    (void)line;
    if (strcmp(key, "source") == 0 && strcmp(value, "zigbee2mqtt") != 0) {
        snprintf(err, err_size, "unknown source");
        return TW_ERR_INVAL;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0) {
        fd = memfd_create("fuzz.conf", 0);
        if (fd < 0)
            abort();
        tw_config_set_section_hook("button ", button_hook, NULL);
    }
    if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    char path[64], err[512];
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    tw_config cfg;
    tw_config_defaults(&cfg);
    int rc = tw_config_load(&cfg, path, err, sizeof(err));
    if (rc == 0) {
        if (!tw_team_valid(cfg.team) || cfg.keepalive < 5 || cfg.keepalive > 3600 ||
            cfg.max_payload < 256 || (strcmp(cfg.sync, "normal") && strcmp(cfg.sync, "full")))
            abort();
        tw_broker_url u; /* [mqtt] broker is a list of URLs (docs/SYNC.md) */
        if (tw_broker_list_parse(cfg.broker, &u, 1) <= 0)
            abort();
        /* A lobby's teams (docs/LOBBY.md): 0..TW_TEAMS_MAX valid, distinct names. */
        if (cfg.n_teams < 0 || cfg.n_teams > TW_TEAMS_MAX)
            abort();
        for (int i = 0; i < cfg.n_teams; i++) {
            if (!tw_team_valid(cfg.team_list[i]))
                abort();
            for (int j = 0; j < i; j++)
                if (strcmp(cfg.team_list[i], cfg.team_list[j]) == 0)
                    abort();
        }
    } else if (rc == TW_ERR_PARSE && strncmp(err, path, strlen(path)) != 0) {
        abort(); /* every parse error names the file */
    }
    return 0;
}
