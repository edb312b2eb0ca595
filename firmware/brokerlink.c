/* SPDX-License-Identifier: MIT */
/*
 * One team's MQTT connection from the config, for the board's loop and the
 * lobby's alike (firmware/brokerlink.h): broker URLs parsed into the first
 * host and its fallbacks, and the log-in a board uses.
 */
#define LOG_MODULE "brokerlink"
#include "brokerlink.h"

#include <stdio.h>

#include "log.h"
#include "util.h"

int tw_brokerlink_start(const tw_config *cfg, const char *team, const char *will_topic,
                        const tw_mqtt_handlers *handlers, tw_mqtt **out)
{
    tw_broker_url urls[TW_MQTT_HOSTS_MAX];
    int n_urls = tw_broker_list_parse(cfg->broker, urls, TW_MQTT_HOSTS_MAX);
    if (n_urls <= 0)
        return TW_ERR_INVAL;
    if (n_urls > TW_MQTT_HOSTS_MAX) {
        log_warn("[mqtt] broker names %d brokers; the first %d are used", n_urls,
                 TW_MQTT_HOSTS_MAX);
        n_urls = TW_MQTT_HOSTS_MAX;
    }
    const tw_broker_url url = urls[0];
    tw_mqtt_host fallbacks[TW_MQTT_HOSTS_MAX];
    for (int i = 1; i < n_urls; i++)
        fallbacks[i - 1] = (tw_mqtt_host){urls[i].host, urls[i].port};
    char client_id[128];
    snprintf(client_id, sizeof(client_id), "teamwall-%s-%s", team, cfg->board);
    tw_mqtt_options mo = {
        .client_id = client_id,
        .clean_session = false,
        .host = url.host,
        .port = url.port,
        .tls = url.tls,
        .cafile = cfg->cafile,
        .certfile = cfg->certfile,
        .keyfile = cfg->keyfile,
        /* With no user name configured, the board logs in as its board id:
         * the ACLs teamwall ships (packaging/mosquitto/teamwall.acl) let a
         * user publish only under board/<its name>/. */
        .username = url.username[0]    ? url.username
                    : cfg->username[0] ? cfg->username
                                       : cfg->board,
        .password = url.username[0] ? url.password : cfg->password,
        .keepalive = cfg->keepalive,
        .will_topic = will_topic,
        .will_payload = "{\"state\":\"offline\"}",
        .fallbacks = fallbacks,
        .n_fallbacks = n_urls - 1,
    };
    int rc = tw_mqtt_create(&mo, handlers, out);
    if (rc)
        return rc;
    tw_mqtt_start(*out);
    return 0;
}
