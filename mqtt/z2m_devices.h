/* SPDX-License-Identifier: MIT */
/*
 * zigbee2mqtt's device list: the retained <base>/bridge/devices, a JSON
 * array of every paired device with its friendly name, IEEE address and
 * definition (vendor, model, description, exposes). The board keeps what it
 * needs to name a button ("IKEA STYRBAR remote control") and to read its
 * action words (the values of its "action" enum expose, for
 * mqtt/z2m_actions.h). Pure data; the list is replaced as a whole each time
 * zigbee2mqtt publishes it.
 */
#ifndef TW_Z2M_DEVICES_H
#define TW_Z2M_DEVICES_H

#include <stddef.h>

#define TW_Z2M_DEVICES_MAX_PAYLOAD (8 * 1024 * 1024) /* larger lists are refused */

typedef struct tw_z2m_device {
    char name[129];       /* friendly_name */
    char ieee[24];        /* ieee_address, "0x00158d0001a2b3c4" */
    char vendor[64];      /* "IKEA" */
    char model[64];       /* "E2001/E2002/E2313" */
    char description[96]; /* "STYRBAR remote control" */
    char *vocab;          /* its action words, space separated; "" if none */
} tw_z2m_device;

typedef struct tw_z2m_devices tw_z2m_devices;

tw_z2m_devices *tw_z2m_devices_create(void);
/* NULL is a no-op. */
void tw_z2m_devices_destroy(tw_z2m_devices *d);

/* Replace the list with a bridge/devices payload (len bytes). Returns how
 * many devices it has, or TW_ERR_PARSE (the old list is kept) for a payload
 * that is not an array. Devices without a definition (the coordinator, one
 * being interviewed) are listed with empty vendor and model. */
int tw_z2m_devices_update(tw_z2m_devices *d, const void *payload, size_t len);

/* The device whose friendly name or IEEE address is name; NULL if none.
 * Borrowed until the next update. */
const tw_z2m_device *tw_z2m_devices_find(const tw_z2m_devices *d, const char *name);

size_t tw_z2m_devices_count(const tw_z2m_devices *d);

#endif
