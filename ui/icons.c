/* SPDX-License-Identifier: MIT */
/*
 * The icons as unions of simple signed-distance shapes (discs, rings,
 * rounded boxes, strokes, a triangle), evaluated in a unit square. A shape's
 * coverage at a sample is 1 inside and 0 outside; 16 samples a pixel give
 * the anti-aliasing.
 */
#include "icons.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

tw_icon tw_icon_for_source(const char *s)
{
    if (!s)
        return TW_ICON_MQTT;
    if (strcmp(s, "button") == 0 || strncmp(s, "button-", 7) == 0 || strcmp(s, "zigbee") == 0 ||
        strcmp(s, "gpio") == 0)
        return TW_ICON_BUTTON;
    if (strcmp(s, "chat") == 0 || strcmp(s, "slack") == 0 || strcmp(s, "mattermost") == 0 ||
        strcmp(s, "teams") == 0 || strcmp(s, "webhook") == 0)
        return TW_ICON_CHAT;
    if (strcmp(s, "cli") == 0 || strcmp(s, "ctl") == 0)
        return TW_ICON_CLI;
    if (strcmp(s, "touch") == 0 || strcmp(s, "keys") == 0)
        return TW_ICON_TOUCH;
    return TW_ICON_MQTT;
}

const char *tw_icon_name(tw_icon icon)
{
    static const char *const names[TW_ICON_COUNT] = {"button", "chat", "cli", "touch", "mqtt"};
    return (unsigned)icon < TW_ICON_COUNT ? names[icon] : "?";
}

static float len2(float x, float y)
{
    return sqrtf(x * x + y * y);
}

static float sd_circle(float x, float y, float cx, float cy, float r)
{
    return len2(x - cx, y - cy) - r;
}

static float sd_ring(float x, float y, float cx, float cy, float r, float w)
{
    return fabsf(len2(x - cx, y - cy) - r) - w / 2;
}

/* Box centred at (cx, cy) with half sizes (hx, hy) and corner radius r. */
static float sd_rbox(float x, float y, float cx, float cy, float hx, float hy, float r)
{
    float qx = fabsf(x - cx) - hx + r, qy = fabsf(y - cy) - hy + r;
    float ox = qx > 0 ? qx : 0, oy = qy > 0 ? qy : 0;
    float in = qx > qy ? qx : qy;
    return len2(ox, oy) + (in < 0 ? in : 0) - r;
}

/* A stroke of width w from (ax, ay) to (bx, by), round caps. */
static float sd_seg(float x, float y, float ax, float ay, float bx, float by, float w)
{
    float px = x - ax, py = y - ay, dx = bx - ax, dy = by - ay;
    float t = (px * dx + py * dy) / (dx * dx + dy * dy);
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return len2(px - dx * t, py - dy * t) - w / 2;
}

/* Inside the triangle (a, b, c)? As a distance sign only (-1 / 1). */
static float sd_tri(float x, float y, float ax, float ay, float bx, float by, float cx, float cy)
{
    float d1 = (x - bx) * (ay - by) - (ax - bx) * (y - by);
    float d2 = (x - cx) * (by - cy) - (bx - cx) * (y - cy);
    float d3 = (x - ax) * (cy - ay) - (cx - ax) * (y - ay);
    bool neg = d1 < 0 || d2 < 0 || d3<0, pos = d1> 0 || d2 > 0 || d3 > 0;
    return neg && pos ? 1.0f : -1.0f;
}

static float u_min(float a, float b)
{
    return a < b ? a : b;
}

static float u_max(float a, float b)
{
    return a > b ? a : b;
}

/* Signed distance of the icon's shape (negative inside). */
static float sd_icon(tw_icon icon, float x, float y)
{
    switch (icon) {
    case TW_ICON_BUTTON: {
        /* A round push button seen from above: a bezel ring and the cap. */
        float bezel = sd_ring(x, y, 0.5f, 0.5f, 0.40f, 0.09f);
        float cap = sd_circle(x, y, 0.5f, 0.5f, 0.22f);
        return u_min(bezel, cap);
    }
    case TW_ICON_CHAT: {
        float body = sd_rbox(x, y, 0.5f, 0.43f, 0.44f, 0.32f, 0.16f);
        float tail = sd_tri(x, y, 0.20f, 0.66f, 0.20f, 0.94f, 0.46f, 0.70f);
        /* Three dots cut out of the bubble. */
        float dots = u_min(
            sd_circle(x, y, 0.30f, 0.43f, 0.065f),
            u_min(sd_circle(x, y, 0.50f, 0.43f, 0.065f), sd_circle(x, y, 0.70f, 0.43f, 0.065f)));
        return u_max(u_min(body, tail), -dots);
    }
    case TW_ICON_CLI: {
        float frame = fabsf(sd_rbox(x, y, 0.5f, 0.5f, 0.44f, 0.38f, 0.12f)) - 0.045f;
        float chev = u_min(sd_seg(x, y, 0.24f, 0.34f, 0.42f, 0.50f, 0.10f),
                           sd_seg(x, y, 0.42f, 0.50f, 0.24f, 0.66f, 0.10f));
        float under = sd_seg(x, y, 0.52f, 0.68f, 0.74f, 0.68f, 0.10f);
        return u_min(frame, u_min(chev, under));
    }
    case TW_ICON_TOUCH: {
        /* A fingertip pressing, with two ripples above it. */
        float tip = sd_circle(x, y, 0.5f, 0.66f, 0.15f);
        float r1 = sd_ring(x, y, 0.5f, 0.66f, 0.30f, 0.08f);
        float r2 = sd_ring(x, y, 0.5f, 0.66f, 0.45f, 0.08f);
        float ripples = u_max(u_min(r1, r2), y - 0.56f); /* only the upper arcs */
        return u_min(tip, ripples);
    }
    case TW_ICON_MQTT:
    default: {
        /* A source dot and two waves going up and right. */
        float dot = sd_circle(x, y, 0.24f, 0.76f, 0.11f);
        float w1 = sd_ring(x, y, 0.24f, 0.76f, 0.34f, 0.10f);
        float w2 = sd_ring(x, y, 0.24f, 0.76f, 0.58f, 0.10f);
        float quad = u_max(0.24f - x, y - 0.76f); /* keep the upper-right quarter */
        return u_min(dot, u_max(u_min(w1, w2), quad));
    }
    }
}

float tw_icon_coverage(tw_icon icon, float x, float y)
{
    return sd_icon(icon, x, y) <= 0 ? 1.0f : 0.0f;
}

float tw_icon_pixel(tw_icon icon, int size, int px, int py)
{
    if (size <= 0)
        return 0;
    float sum = 0;
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 4; i++)
            sum +=
                tw_icon_coverage(icon, (px + (i + 0.5f) / 4) / size, (py + (j + 0.5f) / 4) / size);
    return sum / 16;
}
