/* SPDX-License-Identifier: MIT */
/* Warnings: raise, update, clear, expire, order, version. */
#include "check.h"
#include "warnings.h"

int main(void)
{
    tw_warnings *w = tw_warnings_create();
    size_t n;
    CHECK(tw_warnings_list(w, &n) != NULL || n == 0);
    CHECK_EQ_INT(n, 0);
    uint64_t v0 = tw_warnings_version(w);
    tw_warning_raise(w, "battery:desk-3", TW_WARN_WARNING, "Desk 3 button: battery 9 %", 100, 0);
    tw_warning_raise(w, "storage", TW_WARN_ERROR, "Storage: disk full", 200, 0);
    tw_warning_raise(w, "unassigned:x", TW_WARN_INFO, "Unassigned button x pressed", 150, 60);
    const tw_warning *list = tw_warnings_list(w, &n);
    CHECK_EQ_INT(n, 3);
    CHECK_EQ_STR(list[0].key, "storage"); /* most severe first */
    CHECK_EQ_STR(list[1].key, "battery:desk-3");
    CHECK_EQ_STR(list[2].key, "unassigned:x");
    CHECK_EQ_INT(list[2].expires, 210);
    CHECK(tw_warnings_version(w) > v0);
    /* Raising the same again changes nothing. */
    uint64_t v1 = tw_warnings_version(w);
    tw_warning_raise(w, "battery:desk-3", TW_WARN_WARNING, "Desk 3 button: battery 9 %", 300, 0);
    CHECK_EQ_INT(tw_warnings_version(w), v1);
    list = tw_warnings_list(w, &n);
    CHECK_EQ_INT(list[1].since, 100); /* keeps its first time */
    /* Updating the text bumps the version. */
    tw_warning_raise(w, "battery:desk-3", TW_WARN_WARNING, "Desk 3 button: battery 7 %", 300, 0);
    CHECK(tw_warnings_version(w) > v1);
    CHECK_EQ_INT(tw_warnings_next_expiry(w), 210);
    CHECK(!tw_warnings_expire(w, 209));
    CHECK(tw_warnings_expire(w, 210));
    tw_warnings_list(w, &n);
    CHECK_EQ_INT(n, 2);
    CHECK_EQ_INT(tw_warnings_next_expiry(w), 0);
    CHECK(tw_warning_clear(w, "storage"));
    CHECK(!tw_warning_clear(w, "storage"));
    list = tw_warnings_list(w, &n);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_STR(list[0].text, "Desk 3 button: battery 7 %");
    tw_warnings_destroy(w);
    tw_warnings_destroy(NULL);
    return check_done();
}
