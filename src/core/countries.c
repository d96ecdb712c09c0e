/*
 * countries.c -- see countries.h: the names of the ISO 3166-1 countries
 * for people, in the reader's language.
 *
 * The stored value is the alpha-2 code (people.country,
 * organisations.country, offices.country, checked by valid_country);
 * what a person reads is the country's name, translated through the
 * message catalog like any other text: each name is an N_() msgid here,
 * and its French and Arabic forms are in src/core/po/<lang>.po (taken
 * from the iso-codes project's translations of the same ISO short names,
 * which Debian ships, then read over).  The catalog rather than a table
 * per language: one mechanism for every string, so a new language gets
 * its country names with make po and its translators (Poedit, Weblate),
 * the catalog checks cover them, and untranslated names show in English
 * rather than as codes.  The names are the standard's short names as
 * iso-codes spells them ("Korea, Republic of"), sorted for the reader by
 * their folded translated form (fold.h), so "Égypte" stands among the
 * E's, not after "Zimbabwe".  The table lives in the core because every
 * module that shows or asks for a country uses it (accounts,
 * organisations, applications, membership, site).
 */
#include "countries.h"

#include <stdlib.h>
#include <string.h>

#include "fold.h"
#include "i18n.h"
#include "util.h"

/* The 249 officially assigned codes (validate.c's list), sorted by code;
 * test_countries.c checks that both lists agree. */
static const struct {
	char code[3];
	const char *name;
} countries[] = {
	{"AD", N_("Andorra")},
	{"AE", N_("United Arab Emirates")},
	{"AF", N_("Afghanistan")},
	{"AG", N_("Antigua and Barbuda")},
	{"AI", N_("Anguilla")},
	{"AL", N_("Albania")},
	{"AM", N_("Armenia")},
	{"AO", N_("Angola")},
	{"AQ", N_("Antarctica")},
	{"AR", N_("Argentina")},
	{"AS", N_("American Samoa")},
	{"AT", N_("Austria")},
	{"AU", N_("Australia")},
	{"AW", N_("Aruba")},
	{"AX", N_("Åland Islands")},
	{"AZ", N_("Azerbaijan")},
	{"BA", N_("Bosnia and Herzegovina")},
	{"BB", N_("Barbados")},
	{"BD", N_("Bangladesh")},
	{"BE", N_("Belgium")},
	{"BF", N_("Burkina Faso")},
	{"BG", N_("Bulgaria")},
	{"BH", N_("Bahrain")},
	{"BI", N_("Burundi")},
	{"BJ", N_("Benin")},
	{"BL", N_("Saint Barthélemy")},
	{"BM", N_("Bermuda")},
	{"BN", N_("Brunei Darussalam")},
	{"BO", N_("Bolivia, Plurinational State of")},
	{"BQ", N_("Bonaire, Sint Eustatius and Saba")},
	{"BR", N_("Brazil")},
	{"BS", N_("Bahamas")},
	{"BT", N_("Bhutan")},
	{"BV", N_("Bouvet Island")},
	{"BW", N_("Botswana")},
	{"BY", N_("Belarus")},
	{"BZ", N_("Belize")},
	{"CA", N_("Canada")},
	{"CC", N_("Cocos (Keeling) Islands")},
	{"CD", N_("Congo, The Democratic Republic of the")},
	{"CF", N_("Central African Republic")},
	{"CG", N_("Congo")},
	{"CH", N_("Switzerland")},
	{"CI", N_("Côte d'Ivoire")},
	{"CK", N_("Cook Islands")},
	{"CL", N_("Chile")},
	{"CM", N_("Cameroon")},
	{"CN", N_("China")},
	{"CO", N_("Colombia")},
	{"CR", N_("Costa Rica")},
	{"CU", N_("Cuba")},
	{"CV", N_("Cabo Verde")},
	{"CW", N_("Curaçao")},
	{"CX", N_("Christmas Island")},
	{"CY", N_("Cyprus")},
	{"CZ", N_("Czechia")},
	{"DE", N_("Germany")},
	{"DJ", N_("Djibouti")},
	{"DK", N_("Denmark")},
	{"DM", N_("Dominica")},
	{"DO", N_("Dominican Republic")},
	{"DZ", N_("Algeria")},
	{"EC", N_("Ecuador")},
	{"EE", N_("Estonia")},
	{"EG", N_("Egypt")},
	{"EH", N_("Western Sahara")},
	{"ER", N_("Eritrea")},
	{"ES", N_("Spain")},
	{"ET", N_("Ethiopia")},
	{"FI", N_("Finland")},
	{"FJ", N_("Fiji")},
	{"FK", N_("Falkland Islands (Malvinas)")},
	{"FM", N_("Micronesia, Federated States of")},
	{"FO", N_("Faroe Islands")},
	{"FR", N_("France")},
	{"GA", N_("Gabon")},
	{"GB", N_("United Kingdom")},
	{"GD", N_("Grenada")},
	{"GE", N_("Georgia")},
	{"GF", N_("French Guiana")},
	{"GG", N_("Guernsey")},
	{"GH", N_("Ghana")},
	{"GI", N_("Gibraltar")},
	{"GL", N_("Greenland")},
	{"GM", N_("Gambia")},
	{"GN", N_("Guinea")},
	{"GP", N_("Guadeloupe")},
	{"GQ", N_("Equatorial Guinea")},
	{"GR", N_("Greece")},
	{"GS", N_("South Georgia and the South Sandwich Islands")},
	{"GT", N_("Guatemala")},
	{"GU", N_("Guam")},
	{"GW", N_("Guinea-Bissau")},
	{"GY", N_("Guyana")},
	{"HK", N_("Hong Kong")},
	{"HM", N_("Heard Island and McDonald Islands")},
	{"HN", N_("Honduras")},
	{"HR", N_("Croatia")},
	{"HT", N_("Haiti")},
	{"HU", N_("Hungary")},
	{"ID", N_("Indonesia")},
	{"IE", N_("Ireland")},
	{"IL", N_("Israel")},
	{"IM", N_("Isle of Man")},
	{"IN", N_("India")},
	{"IO", N_("British Indian Ocean Territory")},
	{"IQ", N_("Iraq")},
	{"IR", N_("Iran, Islamic Republic of")},
	{"IS", N_("Iceland")},
	{"IT", N_("Italy")},
	{"JE", N_("Jersey")},
	{"JM", N_("Jamaica")},
	{"JO", N_("Jordan")},
	{"JP", N_("Japan")},
	{"KE", N_("Kenya")},
	{"KG", N_("Kyrgyzstan")},
	{"KH", N_("Cambodia")},
	{"KI", N_("Kiribati")},
	{"KM", N_("Comoros")},
	{"KN", N_("Saint Kitts and Nevis")},
	{"KP", N_("Korea, Democratic People's Republic of")},
	{"KR", N_("Korea, Republic of")},
	{"KW", N_("Kuwait")},
	{"KY", N_("Cayman Islands")},
	{"KZ", N_("Kazakhstan")},
	{"LA", N_("Lao People's Democratic Republic")},
	{"LB", N_("Lebanon")},
	{"LC", N_("Saint Lucia")},
	{"LI", N_("Liechtenstein")},
	{"LK", N_("Sri Lanka")},
	{"LR", N_("Liberia")},
	{"LS", N_("Lesotho")},
	{"LT", N_("Lithuania")},
	{"LU", N_("Luxembourg")},
	{"LV", N_("Latvia")},
	{"LY", N_("Libya")},
	{"MA", N_("Morocco")},
	{"MC", N_("Monaco")},
	{"MD", N_("Moldova, Republic of")},
	{"ME", N_("Montenegro")},
	{"MF", N_("Saint Martin (French part)")},
	{"MG", N_("Madagascar")},
	{"MH", N_("Marshall Islands")},
	{"MK", N_("North Macedonia")},
	{"ML", N_("Mali")},
	{"MM", N_("Myanmar")},
	{"MN", N_("Mongolia")},
	{"MO", N_("Macao")},
	{"MP", N_("Northern Mariana Islands")},
	{"MQ", N_("Martinique")},
	{"MR", N_("Mauritania")},
	{"MS", N_("Montserrat")},
	{"MT", N_("Malta")},
	{"MU", N_("Mauritius")},
	{"MV", N_("Maldives")},
	{"MW", N_("Malawi")},
	{"MX", N_("Mexico")},
	{"MY", N_("Malaysia")},
	{"MZ", N_("Mozambique")},
	{"NA", N_("Namibia")},
	{"NC", N_("New Caledonia")},
	{"NE", N_("Niger")},
	{"NF", N_("Norfolk Island")},
	{"NG", N_("Nigeria")},
	{"NI", N_("Nicaragua")},
	{"NL", N_("Netherlands")},
	{"NO", N_("Norway")},
	{"NP", N_("Nepal")},
	{"NR", N_("Nauru")},
	{"NU", N_("Niue")},
	{"NZ", N_("New Zealand")},
	{"OM", N_("Oman")},
	{"PA", N_("Panama")},
	{"PE", N_("Peru")},
	{"PF", N_("French Polynesia")},
	{"PG", N_("Papua New Guinea")},
	{"PH", N_("Philippines")},
	{"PK", N_("Pakistan")},
	{"PL", N_("Poland")},
	{"PM", N_("Saint Pierre and Miquelon")},
	{"PN", N_("Pitcairn")},
	{"PR", N_("Puerto Rico")},
	{"PS", N_("Palestine, State of")},
	{"PT", N_("Portugal")},
	{"PW", N_("Palau")},
	{"PY", N_("Paraguay")},
	{"QA", N_("Qatar")},
	{"RE", N_("Réunion")},
	{"RO", N_("Romania")},
	{"RS", N_("Serbia")},
	{"RU", N_("Russian Federation")},
	{"RW", N_("Rwanda")},
	{"SA", N_("Saudi Arabia")},
	{"SB", N_("Solomon Islands")},
	{"SC", N_("Seychelles")},
	{"SD", N_("Sudan")},
	{"SE", N_("Sweden")},
	{"SG", N_("Singapore")},
	{"SH", N_("Saint Helena, Ascension and Tristan da Cunha")},
	{"SI", N_("Slovenia")},
	{"SJ", N_("Svalbard and Jan Mayen")},
	{"SK", N_("Slovakia")},
	{"SL", N_("Sierra Leone")},
	{"SM", N_("San Marino")},
	{"SN", N_("Senegal")},
	{"SO", N_("Somalia")},
	{"SR", N_("Suriname")},
	{"SS", N_("South Sudan")},
	{"ST", N_("Sao Tome and Principe")},
	{"SV", N_("El Salvador")},
	{"SX", N_("Sint Maarten (Dutch part)")},
	{"SY", N_("Syrian Arab Republic")},
	{"SZ", N_("Eswatini")},
	{"TC", N_("Turks and Caicos Islands")},
	{"TD", N_("Chad")},
	{"TF", N_("French Southern Territories")},
	{"TG", N_("Togo")},
	{"TH", N_("Thailand")},
	{"TJ", N_("Tajikistan")},
	{"TK", N_("Tokelau")},
	{"TL", N_("Timor-Leste")},
	{"TM", N_("Turkmenistan")},
	{"TN", N_("Tunisia")},
	{"TO", N_("Tonga")},
	{"TR", N_("Türkiye")},
	{"TT", N_("Trinidad and Tobago")},
	{"TV", N_("Tuvalu")},
	{"TW", N_("Taiwan, Province of China")},
	{"TZ", N_("Tanzania, United Republic of")},
	{"UA", N_("Ukraine")},
	{"UG", N_("Uganda")},
	{"UM", N_("United States Minor Outlying Islands")},
	{"US", N_("United States")},
	{"UY", N_("Uruguay")},
	{"UZ", N_("Uzbekistan")},
	{"VA", N_("Holy See (Vatican City State)")},
	{"VC", N_("Saint Vincent and the Grenadines")},
	{"VE", N_("Venezuela, Bolivarian Republic of")},
	{"VG", N_("Virgin Islands, British")},
	{"VI", N_("Virgin Islands, U.S.")},
	{"VN", N_("Viet Nam")},
	{"VU", N_("Vanuatu")},
	{"WF", N_("Wallis and Futuna")},
	{"WS", N_("Samoa")},
	{"YE", N_("Yemen")},
	{"YT", N_("Mayotte")},
	{"ZA", N_("South Africa")},
	{"ZM", N_("Zambia")},
	{"ZW", N_("Zimbabwe")},
};

const char *
country_name(const char *code)
{
	size_t lo = 0, hi = ARRAY_LEN(countries);

	if (code == NULL || strlen(code) != 2)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(code, countries[mid].code);

		if (c == 0)
			return _(countries[mid].name);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *
country_code_of(const char *s, size_t n)
{
	const char *found = NULL;
	char code[3];
	char *key;

	if (s == NULL || n == 0)
		return NULL;
	if (n == 2) {
		code[0] = (char)(s[0] >= 'a' && s[0] <= 'z' ? s[0] - 32 : s[0]);
		code[1] = (char)(s[1] >= 'a' && s[1] <= 'z' ? s[1] - 32 : s[1]);
		code[2] = '\0';
		for (size_t i = 0; i < ARRAY_LEN(countries); i++)
			if (strcmp(code, countries[i].code) == 0)
				return countries[i].code;
	}
	if ((key = fold_text(s, n)) == NULL)
		return NULL;
	for (size_t i = 0; *key && found == NULL && i < ARRAY_LEN(countries);
	     i++) {
		const char *names[2] = {_(countries[i].name),
					countries[i].name};

		for (size_t k = 0; k < 2 && found == NULL; k++) {
			char *f = fold_text(names[k], strlen(names[k]));

			if (f != NULL && strcmp(f, key) == 0)
				found = countries[i].code;
			free(f);
		}
	}
	free(key);
	return found;
}

struct shown {
	const char *code, *name;
	char *key; /* fold_text(name) */
};

static int
shown_cmp(const void *a, const void *b)
{
	const struct shown *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->name, y->name);
}

json_t *
countries_model(const char *selected)
{
	struct shown list[ARRAY_LEN(countries)];
	json_t *out = json_array();

	for (size_t i = 0; i < ARRAY_LEN(countries); i++) {
		list[i].code = countries[i].code;
		list[i].name = _(countries[i].name);
		list[i].key = fold_text(list[i].name, strlen(list[i].name));
	}
	qsort(list, ARRAY_LEN(list), sizeof(list[0]), shown_cmp);
	for (size_t i = 0; i < ARRAY_LEN(list); i++) {
		json_array_append_new(
			out, json_pack("{s:s,s:s,s:b}", "code", list[i].code,
				       "name", list[i].name, "selected",
				       selected && strcmp(selected,
							  list[i].code) == 0));
		free(list[i].key);
	}
	return out;
}

json_t *
countries_chooser(const char *selected, unsigned flags)
{
	return json_pack("{s:o,s:b,s:b,s:s}", "options",
			 countries_model(selected), "required",
			 (flags & COUNTRY_REQUIRED) != 0, "filter",
			 (flags & COUNTRY_FILTER) != 0, "autocomplete",
			 (flags & COUNTRY_PERSONAL) ? "country" : "off");
}

void
countries_name_field(json_t *v, const char *code_key, const char *name_key)
{
	const char *code, *name;
	size_t i;
	json_t *e;

	if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			countries_name_field(e, code_key, name_key);
		return;
	}
	if (!json_is_object(v))
		return;
	code = json_string_value(json_object_get(v, code_key));
	if (code == NULL || *code == '\0')
		return;
	name = country_name(code);
	json_object_set_new(v, name_key, json_string(name ? name : code));
}
