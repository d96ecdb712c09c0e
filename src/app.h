/*
 * app.h -- the application: which feature modules make up alliance, and
 * the page chrome (layout, navigation) they share.  The only file that
 * knows every module; the core knows none.
 */
#ifndef ALLIANCE_APP_H
#define ALLIANCE_APP_H

#include <stddef.h>

#include "core/http.h"

extern const struct module *const app_modules[];
extern const size_t app_nmodules;

/* Registers every module's statements and configures rendering. */
void app_init(const char *site_name);

#endif
