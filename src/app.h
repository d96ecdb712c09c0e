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

/* Registers every module's statement tables, then calls every module's
 * init, in the order of app_modules.  config_current must be set. */
void app_init(void);

#endif
