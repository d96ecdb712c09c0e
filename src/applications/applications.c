/*
 * applications.c -- see applications_int.h: the little the applications
 * files share.
 */
#include "applications_int.h"

#include "membership/membership.h"

const char *
applications_subject(json_t *app)
{
	const char *org = membership_str(app, "org_name");

	return org ? org : membership_str(app, "applicant_name");
}
