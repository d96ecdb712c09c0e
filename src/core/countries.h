/*
 * countries.h -- the ISO 3166-1 countries for people: a country is stored
 * as its alpha-2 code ("AT") and shown as its name in the reader's
 * language ("Austria", "Autriche"), never as the code.
 *
 * The names are N_() messages of the core's catalog (src/core/po/),
 * translated like any other text; a code is valid when valid_country
 * (validate.h, the FT_COUNTRY field type) accepts it, which is exactly
 * when country_name finds a name (test_countries.c).  Everything here is
 * read-only and safe from any thread; names are in the thread's current
 * language (i18n.h).
 */
#ifndef ALLIANCE_COUNTRIES_H
#define ALLIANCE_COUNTRIES_H

#include <jansson.h>
#include <stddef.h>

/* The name of the country of ISO 3166-1 alpha-2 code (upper case), in the
 * current language; NULL for a code that is not assigned (or NULL). */
const char *country_name(const char *code);

/* The code of the country s[0..n) names: an assigned code in either case
 * ("at"), or a name in the current language or in English, compared
 * folded (fold.h: "AUTRICHE", "Österreich" is not a name we have,
 * " austria "); NULL when nothing matches.  The code returned is the
 * table's own (static).  What lets a client that posts the name a person
 * typed save the code the list would have sent. */
const char *country_code_of(const char *s, size_t n);

/* Every country as [{code, name, selected}], name in the current language
 * and the list sorted by it (folded, fold.h: "Égypte" among the E's),
 * selected true for the code selected (may be NULL).  A new array, for a
 * <select> of names whose values are the codes. */
json_t *countries_model(const char *selected);

/* The model of the country chooser, core/templates/country_select.html:
 * {options (countries_model), required, filter, autocomplete}, for the
 * key "country_chooser" of a form's model.  COUNTRY_REQUIRED: the field
 * must be filled ("Choose a country" first); COUNTRY_PERSONAL: it asks
 * for the person's own country (autocomplete="country", else "off");
 * COUNTRY_FILTER: a list filter ("Any country" first).  A new object. */
enum {
	COUNTRY_REQUIRED = 1,
	COUNTRY_PERSONAL = 2,
	COUNTRY_FILTER = 4,
};
json_t *countries_chooser(const char *selected, unsigned flags);

/* For a view model: sets name_key to the country's name in the current
 * language beside each code_key of v -- of v itself when it is an object,
 * of each object in it when it is an array.  A code the table lacks is
 * its own name (shown as stored, so nothing disappears); a missing or
 * empty one gets no name.  v may be NULL. */
void countries_name_field(json_t *v, const char *code_key,
			  const char *name_key);

#endif
