/*
 * public_limits.c -- see public_limits.h: the numbers, and the answer when one is
 * reached.
 */
#include "public_limits.h"

#include <time.h>

#include "core/arena.h"
#include "core/clock.h"
#include "core/i18n.h"

#define HOUR 3600
#define DAY 86400

/* {kind (key prefix), per client, per address, window} */
const struct ratelimit_rule limits_contact = {"contact", 10, 5, HOUR};
const struct ratelimit_rule limits_contact_files = {"contact-file", 10, 0, DAY};
const struct ratelimit_rule limits_sponsor = {"sponsor", 20, 3, DAY};
const struct ratelimit_rule limits_join = {"join", 30, 5, HOUR};
const struct ratelimit_rule limits_join_answer = {"join-answer", 20, 5, HOUR};
const struct ratelimit_rule limits_answer_files = {"answer-file", 10, 3, DAY};
const struct ratelimit_rule limits_signup_mail = {"signup", 10, 3, HOUR};
const struct ratelimit_rule limits_reset_mail = {"reset", 10, 3, HOUR};
const struct ratelimit_rule limits_address_mail = {"email", 10, 3, HOUR};
const struct ratelimit_rule limits_updates = {"updates", 10, 3, HOUR};
const struct ratelimit_rule limits_person_mail = {"person-mail", 100, 3, HOUR};
const struct ratelimit_rule limits_party_files = {"party-file", 30, 50, DAY};
const struct ratelimit_rule limits_meeting_files = {"meeting-file", 30, 50, DAY};

const char *
limits_client(const struct req *r)
{
	return req_client(r);
}

void
limits_refused(struct req *r, struct resp *w, int wait, const char *what,
	       const char **message)
{
	char words[64];
	struct buf b = BUF_INIT;

	resp_header(w, "Retry-After", arena_printf(r->arena, "%d", wait));
	/* TRANSLATORS: {what} is "messages", "documents", "applications"...;
	 * {wait} "5 minutes" */
	i18n_format(&b,
		    _("Too many {what} have been sent from your connection or "
		      "to this address. Please try again in {wait}."),
		    "what", _(what), "wait",
		    ratelimit_wait_words(wait, words, sizeof(words)), NULL);
	*message = arena_strdup(r->arena, buf_cstr(&b));
	buf_free(&b);
}

int
limits_check(struct req *r, struct resp *w, const struct ratelimit_rule *rule,
	     const char *address, const char *what, const char **message)
{
	int wait = ratelimit_hit_rule(r->db, rule, limits_client(r), address,
				      clock_now());

	if (wait > 0)
		limits_refused(r, w, wait, what, message);
	return wait;
}

int
limits_check_file(struct req *r, struct resp *w,
		  const struct ratelimit_rule *rule, const char *address,
		  uint64_t size, int kib_per_day, const char **message)
{
	int kib = (int)((size + 1023) / 1024);
	int wait = limits_check(r, w, rule, address, N_("documents"), message);

	if (wait == 0 && kib > 0) {
		/* one file larger than the day's allowance takes all of it */
		wait = ratelimit_add(r->db,
				     arena_printf(r->arena, "%s-kib:client:%s",
						  rule->kind, limits_client(r)),
				     kib < kib_per_day ? kib : kib_per_day,
				     kib_per_day, DAY, clock_now());
		if (wait > 0)
			limits_refused(r, w, wait, N_("documents"), message);
	}
	return wait;
}
