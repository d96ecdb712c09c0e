/*
 * contact.h -- "Contact the secretariat": a public form whose messages
 * (with an optional attached document) are stored for the secretariat.
 */
#ifndef ALLIANCE_CONTACT_H
#define ALLIANCE_CONTACT_H

#include "core/http.h"

extern const struct module contact_module;

#endif
