/* SPDX-License-Identifier: MIT */
/*
 * Source icons for the cards (where an item came from: a desk button, chat,
 * the command line, the touch screen, plain MQTT) as shapes computed per
 * pixel from signed distances, so they are crisp and anti-aliased at any
 * size from the 7" screen to 4K without image files. Pure: the renderer
 * turns the coverage into a white texture and tints it.
 */
#ifndef TW_UI_ICONS_H
#define TW_UI_ICONS_H

typedef enum {
    TW_ICON_BUTTON = 0, /* a round push button seen from above */
    TW_ICON_CHAT,       /* a speech bubble */
    TW_ICON_CLI,        /* a terminal prompt ">_" */
    TW_ICON_TOUCH,      /* a fingertip with a ripple */
    TW_ICON_MQTT,       /* a broadcast signal */
    TW_ICON_COUNT
} tw_icon;

/* The icon for an item's source: "button", "chat"/"slack"/"mattermost"/
 * "teams"/"webhook", "cli"/"ctl", "touch", anything else MQTT. */
tw_icon tw_icon_for_source(const char *source);

/* Coverage 0..1 of the icon at (x, y) in the unit square (y down). */
float tw_icon_coverage(tw_icon icon, float x, float y);

/* Coverage of the size x size pixel (px, py), 4x4 supersampled. */
float tw_icon_pixel(tw_icon icon, int size, int px, int py);

/* A word for the icon, for tests and the detail view: "button", "chat", ... */
const char *tw_icon_name(tw_icon icon);

#endif
