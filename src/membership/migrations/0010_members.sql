-- 0010_members.sql -- membership: levels, organisations with their UN
-- status, representatives, memberships and payments, applications (Join),
-- sponsorship tiers and pledges.  Seeds the three levels the Alliance has
-- and editable sponsorship tiers.  Dates of membership periods are TEXT
-- 'YYYY-MM-DD'; moments are INTEGER unix seconds.  Amounts are in minor
-- units (cents).
CREATE TABLE membership_levels (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('organisation', 'individual')),
  requires_un_status INTEGER NOT NULL DEFAULT 0,
  dues_amount INTEGER NOT NULL DEFAULT 0 CHECK (dues_amount >= 0),
  dues_currency TEXT NOT NULL DEFAULT 'USD',
  period TEXT NOT NULL DEFAULT 'calendar' CHECK (period IN ('calendar', 'rolling')),
  grace_days INTEGER NOT NULL DEFAULT 60 CHECK (grace_days >= 0),
  summary TEXT NOT NULL DEFAULT '',
  who_may_apply_md TEXT NOT NULL DEFAULT '',
  benefits_md TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL
);

INSERT INTO membership_levels (slug, name, kind, requires_un_status,
  dues_amount, dues_currency, period, grace_days, summary, who_may_apply_md,
  benefits_md, position) VALUES
('full', 'Full member organisation', 'organisation', 1, 0, 'USD', 'calendar', 60,
 'International NGOs with consultative status with the UN Economic and Social Council (ECOSOC) or associated with the UN Department of Global Communications (formerly DPI).',
 'Non-governmental organisations that hold ECOSOC consultative status (general, special or roster) or are associated with the UN Department of Global Communications, and work on crime prevention and criminal justice.',
 '- Take part in the Alliance''s working parties and propose new ones
- Endorse civil society statements on behalf of your organisation
- Designate representatives to the Alliance in Vienna, New York and Geneva
- The latest information on UNODC developments and meetings
- Advocacy resources for representatives new to the intergovernmental arena
- A listing in the member directory', 1),
('associate', 'Associate member organisation', 'organisation', 0, 0, 'USD', 'calendar', 60,
 'Organisations active on crime prevention and criminal justice without formal UN status.',
 'Non-governmental and civil society organisations active on crime prevention and criminal justice that do not hold formal UN status.',
 '- Take part in the Alliance''s working parties
- Endorse civil society statements on behalf of your organisation
- The latest information on UNODC developments and meetings
- Advocacy resources for representatives new to the intergovernmental arena
- A listing in the member directory', 2),
('individual', 'Individual member', 'individual', 0, 0, 'USD', 'rolling', 30,
 'Experts, practitioners and activists who work on crime prevention and criminal justice.',
 'Individuals who work on crime prevention and criminal justice, such as practitioners, researchers, lawyers and activists.',
 '- Take part in the Alliance''s working parties
- The latest information on UNODC developments and meetings
- Learning resources on how the UN works, decides and is evolving
- A listing in the member directory, if you wish', 3);

CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,               -- folded for search (no case, no diacritics)
  acronym TEXT NOT NULL DEFAULT '',
  country TEXT,                         -- ISO 3166-1 alpha-2
  website TEXT,
  email_domain TEXT,                    -- of its contact address: duplicates
  description_md TEXT NOT NULL DEFAULT '',
  contact_address TEXT NOT NULL DEFAULT '',
  visibility TEXT NOT NULL DEFAULT 'public'
    CHECK (visibility IN ('public', 'members', 'hidden')),
  ecosoc_status TEXT CHECK (ecosoc_status IN ('general', 'special', 'roster')),
  ecosoc_year INTEGER,
  dgc_associated INTEGER NOT NULL DEFAULT 0,
  dgc_year INTEGER,
  synthetic INTEGER NOT NULL DEFAULT 0,  -- made by the benchmark generator
  created_at INTEGER NOT NULL
);
CREATE INDEX organisations_name_key ON organisations (name_key);
CREATE INDEX organisations_country ON organisations (country);

CREATE TABLE organisation_focal_areas (
  organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  focal_area_id INTEGER NOT NULL REFERENCES focal_areas (id) ON DELETE CASCADE,
  PRIMARY KEY (organisation_id, focal_area_id)
);
CREATE INDEX organisation_focal_areas_area ON organisation_focal_areas (focal_area_id);

-- People who represent an organisation; one is its main contact.  A
-- designated UN representative has a post (Vienna, New York, Geneva) and
-- a rank (main or alternate).
CREATE TABLE representatives (
  organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
  main_contact INTEGER NOT NULL DEFAULT 0,
  un_post TEXT CHECK (un_post IN ('vienna', 'new-york', 'geneva')),
  un_rank TEXT CHECK (un_rank IN ('main', 'alternate')),
  PRIMARY KEY (organisation_id, person_id)
);
CREATE INDEX representatives_person ON representatives (person_id);

CREATE TABLE memberships (
  id INTEGER PRIMARY KEY,
  level_id INTEGER NOT NULL REFERENCES membership_levels (id),
  organisation_id INTEGER REFERENCES organisations (id) ON DELETE CASCADE,
  person_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
  state TEXT NOT NULL
    CHECK (state IN ('pending', 'active', 'grace', 'lapsed', 'cancelled')),
  state_since TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,             -- the last day of the period
  created_at INTEGER NOT NULL,
  CHECK ((organisation_id IS NULL) <> (person_id IS NULL))
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);
CREATE INDEX memberships_person ON memberships (person_id);
CREATE INDEX memberships_state ON memberships (state, period_end);

CREATE TABLE payments (
  id INTEGER PRIMARY KEY,
  membership_id INTEGER NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
  paid_on TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  currency TEXT NOT NULL,
  reference TEXT NOT NULL DEFAULT '',
  provider TEXT NOT NULL DEFAULT 'manual', -- the seam for a payment provider
  recorded_by INTEGER NOT NULL DEFAULT 0,
  recorded_at INTEGER NOT NULL
);

-- Each reminder is sent once per membership period.
CREATE TABLE membership_reminders (
  membership_id INTEGER NOT NULL REFERENCES memberships (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,                   -- 'expiry-30', 'expiry-7', 'grace', 'lapsed', 'un-report'
  period_end TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (membership_id, kind, period_end)
);

-- Join: what an applicant sent, and what the secretariat decided.
CREATE TABLE applications (
  id INTEGER PRIMARY KEY,
  level_id INTEGER NOT NULL REFERENCES membership_levels (id),
  status TEXT NOT NULL DEFAULT 'submitted'
    CHECK (status IN ('submitted', 'more-info', 'approved', 'rejected')),
  applicant_name TEXT NOT NULL,
  applicant_email TEXT NOT NULL,
  org_name TEXT,
  org_acronym TEXT,
  org_country TEXT,
  org_website TEXT,
  org_description TEXT,
  org_contact_address TEXT,
  ecosoc_status TEXT CHECK (ecosoc_status IN ('general', 'special', 'roster')),
  ecosoc_year INTEGER,
  dgc_associated INTEGER NOT NULL DEFAULT 0,
  dgc_year INTEGER,
  focal_areas TEXT NOT NULL DEFAULT '',  -- slugs, comma-separated
  representatives TEXT NOT NULL DEFAULT '[]', -- JSON [{name, email, un_post, un_rank}]
  statement TEXT NOT NULL DEFAULT '',    -- why they apply
  consent_at INTEGER NOT NULL,
  submitted_at INTEGER NOT NULL,
  decided_at INTEGER,
  decided_by INTEGER,
  reason TEXT,                           -- rejection reason or question
  organisation_id INTEGER REFERENCES organisations (id),
  membership_id INTEGER REFERENCES memberships (id)
);
CREATE INDEX applications_status ON applications (status, submitted_at);

CREATE TABLE sponsorship_tiers (
  id INTEGER PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount >= 0),
  currency TEXT NOT NULL DEFAULT 'USD',
  description_md TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL
);
INSERT INTO sponsorship_tiers (slug, name, amount, currency, description_md, position) VALUES
('supporter', 'Supporter', 50000, 'USD',
 'Helps keep the Alliance''s information on UNODC developments and meetings flowing to its members.', 1),
('partner', 'Partner', 250000, 'USD',
 'Supports a sprint team at a Crime Commission or a Conference of the States Parties, or a collection of the resource library.', 2),
('patron', 'Patron', 1000000, 'USD',
 'Sustains the Alliance''s presence in Vienna and New York and its learning resources for NGO representatives new to the UN.', 3);

CREATE TABLE pledges (
  id INTEGER PRIMARY KEY,
  sponsor_name TEXT NOT NULL,
  contact_name TEXT NOT NULL,
  contact_email TEXT NOT NULL,
  tier_id INTEGER REFERENCES sponsorship_tiers (id),
  amount INTEGER CHECK (amount IS NULL OR amount > 0),
  currency TEXT NOT NULL DEFAULT 'USD',
  purpose TEXT NOT NULL
    CHECK (purpose IN ('general', 'sprint', 'library', 'working-party', 'meeting')),
  purpose_detail TEXT NOT NULL DEFAULT '',
  thank_publicly INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL DEFAULT 'new'
    CHECK (status IN ('new', 'confirmed', 'received', 'declined')),
  created_at INTEGER NOT NULL,
  decided_at INTEGER,
  CHECK (tier_id IS NOT NULL OR amount IS NOT NULL)
);
CREATE INDEX pledges_status ON pledges (status, created_at);
