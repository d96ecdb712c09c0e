/*
 * audit.h -- who changed what, when, from what to what.
 *
 * Every change a person makes records one row: the actor, the action
 * ("person.role.set"), the object (type and id), the fields before and
 * after (JSON objects with only the changed fields), the client address
 * and the time.  The table is append-only for the application: triggers
 * refuse UPDATE and DELETE.  Write the record in the same transaction as
 * the change.
 */
#ifndef ALLIANCE_AUDIT_H
#define ALLIANCE_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "db.h"

extern struct db_sql audit_sql;

/* Records one change; before/after are borrowed and may be NULL.  actor 0
 * is the system (CLI, jobs).  0 or -1 (logged). */
int audit_record(struct db *db, int64_t actor, const char *action,
		 const char *object_type, const char *object_id,
		 json_t *before, json_t *after, const char *client);

/* The same, taking over before and after (jansson's _new convention), so
 * callers may build them in the argument list. */
int audit_record_new(struct db *db, int64_t actor, const char *action,
		     const char *object_type, const char *object_id,
		     json_t *before, json_t *after, const char *client);

struct audit_filter {
	int64_t actor;            /* 0: any */
	const char *action;       /* prefix ("person."), NULL: any */
	const char *object_type;  /* NULL: any */
	const char *object_id;    /* NULL: any */
	const char *since;        /* "YYYY-MM-DD", NULL: any */
	const char *until;        /* "YYYY-MM-DD" inclusive, NULL: any */
};

/* Rows newest first as JSON {id, at, actor, actor_name, action,
 * object_type, object_id, before, after, client}; NULL on error. */
json_t *audit_list(struct db *db, const struct audit_filter *f, int limit,
		   int offset);

#endif
