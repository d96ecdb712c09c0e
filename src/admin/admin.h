/*
 * admin.h -- the secretariat's pages: the dashboard, people and their
 * roles, the mail outbox, the audit log and the contact messages.  Every
 * route is for administrators only.
 */
#ifndef ALLIANCE_ADMIN_H
#define ALLIANCE_ADMIN_H

#include "core/http.h"

extern const struct module admin_module;

#endif
