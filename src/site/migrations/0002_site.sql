-- 0002_site.sql -- the public site's content: pages, focal areas,
-- intergovernmental bodies and offices, seeded from the Alliance's own
-- description (shared/seed).  Written in the SQL that SQLite and PostgreSQL
-- share: no AUTOINCREMENT, no dialect functions, '' inside strings.
-- The migration runner is expected to wrap this file in one transaction.

CREATE TABLE pages (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body_md TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE focal_areas (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body_md TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);

CREATE TABLE bodies (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    acronym TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('office', 'commission', 'conference',
        'congress', 'council', 'assembly', 'department', 'ngo-conference')),
    cadence TEXT NOT NULL CHECK (cadence IN ('annual', 'biennial',
        'quinquennial', 'ongoing')),
    summary TEXT NOT NULL DEFAULT '',
    body_md TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);

CREATE TABLE offices (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL
);

CREATE INDEX focal_areas_position ON focal_areas (position);
CREATE INDEX bodies_position ON bodies (position);
CREATE INDEX offices_position ON offices (position);

-- Pages ------------------------------------------------------------------

INSERT INTO pages (id, slug, title, summary, body_md, updated_at) VALUES (1,
'home',
'Alliance of NGOs on Crime Prevention and Criminal Justice',
'The Alliance is an international civil society platform on crime prevention and criminal justice, advancing human rights, peace and security through the rule of law and a culture of lawfulness.',
'The Alliance is an international civil society platform on crime prevention and criminal justice, advancing human rights, peace and security through the rule of law and a culture of lawfulness.

The Alliance of NGOs on Crime Prevention and Criminal Justice is a global network of international non-governmental organizations (NGOs) and their representatives active with the United Nations Office on Drugs and Crime (UNODC). It is a substantive committee of the Conference of NGOs (CoNGO) and one of the three major civil society partners of UNODC.

The Alliance brings to the attention of the Commission on Crime Prevention and Criminal Justice new insights, emerging opportunities and promising practices, and works to ensure that the innovative contributions to global policy arising through civil society activism can be heard, adapted and adopted by those with the mandate to lead the global response.',
'2026-11-29');

INSERT INTO pages (id, slug, title, summary, body_md, updated_at) VALUES (2,
'about',
'About the Alliance',
'The Alliance is an international civil society platform on crime prevention and criminal justice, advancing human rights, peace and security through the rule of law and a culture of lawfulness.',
'The Alliance is an international civil society platform on crime prevention and criminal justice, advancing human rights, peace and security through the rule of law and a culture of lawfulness.

The Alliance of NGOs on Crime Prevention and Criminal Justice is a global network of international non-governmental organizations (NGOs) and their representatives active with the United Nations Office on Drugs and Crime (UNODC). It is a substantive committee of the Conference of NGOs (CoNGO) with its focus on crime prevention and criminal justice, and one of the three major civil society partners of UNODC.

## What the Alliance does

The Alliance framework for action is very broad, to match that of the Commission on Crime Prevention and Criminal Justice (CCPCJ) and to foster civil society engagement on all the issues it addresses. The Alliance brings to the attention of the Commission new insights, emerging opportunities and promising practices, and provides and promotes civil society accountability roles.

At its heart, the Alliance works to ensure that the innovative contributions to global policy arising through civil society activism can be heard, adapted and adopted by those with the mandate to lead the global response. It does this by highlighting worthy social policy initiatives, sharing information, advocating specific causes and programmes, and providing learning and partnering platforms.

To strengthen its members as engaged and effective global actors, the Alliance provides the latest information on UNODC-related developments and meetings, and promotes NGO representatives'' understanding of the UN: how it works, decides and is evolving in an increasingly technology-driven digital world. For NGO representatives new to the intergovernmental arena, it provides advocacy capacity resources.

## Where members are active

The main intergovernmental meetings in which Alliance members are active are the annual Commission on Crime Prevention and Criminal Justice, the annual Conference of the Parties to the United Nations Convention against Transnational Organized Crime (UNTOC), and the quinquennial Crime Congress. Members are also key in observing the implementation of the United Nations Convention against Corruption.

Alliance Chairs are often invited to speak on behalf of their members during high-level meetings, special sessions of the General Assembly, and other special gatherings on high-profile issues and annual report launches hosted by UNODC.

Most of the Alliance''s high-performing members have consultative status with the UN Economic and Social Council (ECOSOC), and some are also associated with the UN Department of Global Communications (formerly the Department of Public Information, DPI).

## History

The Alliance first formed in 1972 in New York City, before the formation of UNODC. It was organized at the instigation of William Clifford, the first Chief of the then Social Defense Section (now the Crime Prevention and Criminal Justice Branch) of ECOSOC, and was chaired by G.O.W. Mueller of New York University during its early years.

The Alliance was a small but powerful coalition of major NGOs with consultative status with ECOSOC, dedicated to crime prevention and criminal justice improvements. It met on the first Friday of every second month in New York City, and this lasted until 2012.

With the formation of UNODC and its move to Vienna in 1997, NGOs with representatives in Austria became more active. Since 1997, the NGOs meet in Vienna, liaise through UNODC''s Civil Society Team and connect directly with the Member State Missions to the UN in Vienna.

Since its inception, the Alliance has laid great emphasis on the elaboration and application of the UN minimum rules for justice administration. It has contributed to monitoring the implementation of standards, to the development of the Restorative Justice Handbook, to addressing issues of border control, and to changing and updating policies on victims, such as in femicide, human trafficking, migrant smuggling and weapons control.

Many NGO representatives active in the Alliance have contributed to the global work of crime prevention and criminal justice as special representatives to the Secretary-General, consultants to the UN, primary actors in international governmental organizations, and leaders in their own nation''s crime prevention and criminal justice arenas.

## Two arms and a New York presence

The two arms of the Alliance embrace and support its worldwide membership. Those in Vienna sustain the Alliance''s presence and engagement there, while the international office operating out of the San Francisco Bay Area brings today''s technology-oriented resources and practices to the Alliance.

Alliance members in the USA also ensure the civil society voice is heard in New York at relevant UN Headquarters meetings of UNODC, ECOSOC and the General Assembly. The Alliance''s membership connects through blended and online meetings, information exchange and social media.

## Working parties

The substantive work of the Alliance is largely accomplished through its working parties. These form and dissolve around specific objectives, and develop their own rules of engagement, meeting schedules, objectives, resources and teams. Working parties report to the larger Alliance community and share their resources and achievements through meetings and articles on the Alliance website.

Working parties have organized around restorative justice, transnational border crime and technology, victims, corruption, religion and violent extremism, and more. They have been initiators of and major contributors to UNODC handbooks such as the *Handbook on Restorative Justice Programmes*, and to the series of six Femicide Reports that also contributed to the passing of General Assembly resolution 68/191 on "Taking action against gender-related killing of women and girls".

Working parties have also produced civil society statements for distribution during the Congresses, Commissions and other international meetings, among them:

- at the Conference of the States Parties to the UNCAC in Marrakech, Morocco (2011);
- as part of the UN General Assembly Thematic Debate on "Drugs and Crime as a Threat to Development", UNHQ, New York (2012);
- the Doha Civil Society Declaration (2015), a contribution to the 2015 Crime Congress;
- at the High-Level Debate on the Convention against Transnational Organized Crime at UNHQ (2017).

## Focal points

Since the 2015 Crime Congress, the Alliance has identified focal points for its areas of work: corrections and sentencing, corruption, crime prevention, femicide, gender, AI and cybercrime, lawyers and prosecutors, prison chaplains, restorative justice, SDG 16, terrorism prevention, and victims'' rights. [See all focal points](/focal-points).

## Sprint teams and SOLVE

The Alliance makes use of the synergies possible between all crime prevention and criminal justice stakeholders in the margins of the intergovernmental meetings. It creates opportunities for professionals, civil society actors, diplomats and global policy specialists to form focused "sprint teams" as they gather during the annual Crime Commissions, the UNTOC Conference of the Parties and other meetings.

Under the banner of SOLVE2018, Crime Commission participants were to engage in sprint-style global strategy development: teams form and work through a guided process, each including technical experts, with a specific effort to heighten all stakeholders'' awareness of the implications of emerging technologies, both as problem and solution.

## Membership

Originally, Alliance members were all organizations with ECOSOC or DPI status. Today the Alliance has a range of membership levels: member organizations with UN status, associate member organizations without formal UN status, and individual members.

[Benefits of membership](/benefits) · [Join the Alliance](/join) · [Renew a membership](/renew)',
'2026-11-29');

INSERT INTO pages (id, slug, title, summary, body_md, updated_at) VALUES (3,
'privacy',
'Privacy Policy',
'What personal data this platform holds, why, for how long, who can see it, and how to see, correct, export or erase it.',
'This policy explains, in plain language, what personal data the Alliance of NGOs on Crime Prevention and Criminal Justice ("the Alliance", "we") holds on this platform, why we hold it, who can see it, how long we keep it, and what you can do about it.

## Who is responsible

The Alliance is responsible for the personal data on this platform. Its secretariat looks after it and answers questions and requests about it. Because the Alliance has a presence in Vienna, Austria, we follow the European Union''s General Data Protection Regulation (GDPR), and we apply the same rights to everyone who uses the platform, wherever they live.

## What we collect

We only collect what the platform needs to run the Alliance''s work.

- **Your account**: your name, email address, a password (stored only as a one-way hash, never readable by anyone), your role on the platform, and when you last signed in.
- **Your organisation**: its name, country, website, contact details and the people who represent it.
- **Membership**: your membership level (member organisation, associate member organisation or individual member), applications, renewals and dues records.
- **UN status**: for organisations, their consultative status with ECOSOC or association with the UN Department of Global Communications (formerly DPI), the year it was granted, report due dates, and the names of designated UN representatives.
- **Meeting registrations**: which meetings you register for, and anything you tell us to take part (for example how you will attend).
- **Endorsements**: which civil society statements your organisation endorses, and who endorsed them on its behalf.
- **Working parties and focal points**: which ones you belong to, and what you contribute to them (minutes, articles, resources, statement drafts).
- **Updates**: if you sign up for updates, your email address and the date and time you confirmed it.
- **Messages to the secretariat**: if you use the contact form, your name, email address, organisation, your message and any document you attach.
- **Security records**: a log of important actions (such as sign-ins, changes to memberships and administrative changes), kept so that we can keep accounts safe and find mistakes.

We do not collect more about you from other sources, and we do not sell or rent personal data to anyone.

## Why we use it, and on what legal basis

- **To run your membership** (your account, organisation, membership, UN status, registrations, endorsements and working parties): because it is needed for the membership you asked for (GDPR article 6(1)(b)).
- **To keep dues and accounting records**: because the law requires us to (article 6(1)(c)).
- **To answer messages you send us**: because of our legitimate interest in replying to you (article 6(1)(f)).
- **To send you updates**: only with your consent (article 6(1)(a)). We use double opt-in: after you sign up we send one email with a confirmation link, and nothing more is sent until you follow it. Every update contains a link to unsubscribe.
- **To keep the platform secure** (security records, the session cookie): because of our legitimate interest in protecting members'' data and the platform (article 6(1)(f)).

## Who can see your data

- **The directory.** Each member chooses how its directory entry is shown: **public** (anyone can see it), **members** (only signed-in members can see it) or **hidden** (only the secretariat can see it). You can change this at any time.
- **Statements.** When your organisation endorses a civil society statement, the organisation''s name is shown with the statement, because that is what an endorsement is.
- **Working parties.** Members of a working party see each other''s names and contributions to it.
- **The secretariat** sees membership, UN status and registration records, because it runs them.
- **Service providers.** If email is sent through an outside mail service, that service handles the email address and the message only to deliver it.

We do not share personal data with anyone else unless the law obliges us to.

## How long we keep it

- Your account and organisation record: for as long as you have an account. When you delete it, we erase it, except what we must keep by law.
- Membership, dues and accounting records: for as long as the law requires us to keep accounting records, then we delete them.
- Meeting registrations: for as long as they are needed to organise and report on the meeting.
- Endorsements of published statements: for as long as the statement is published, since the statement''s record depends on them.
- Messages to the secretariat: as long as needed to answer you and follow up.
- Update subscriptions: until you unsubscribe. An unconfirmed sign-up is deleted if it is not confirmed.
- Security records: only as long as needed to keep the platform safe.

## Your rights

You can:

- **see** the personal data we hold about you (access);
- **download** it in a common machine-readable format (export);
- **correct** anything that is wrong;
- **erase** your account and personal data, except what we must keep by law;
- **withdraw your consent** at any time, for example by unsubscribing from updates; this does not affect what was done before;
- **object** to uses based on our legitimate interest, and ask us to **restrict** a use while a question is being sorted out.

Much of this you can do yourself in your account. For anything else, contact the Alliance secretariat, and we will answer within one month. If you think we have not handled your data properly, you can also complain to a data protection authority; for the Alliance this is the Austrian Data Protection Authority (Datenschutzbehörde).

## Cookies

This platform sets only one cookie: a session cookie that keeps you signed in. It is set when you sign in and removed when you sign out or the session ends. It is marked so that scripts on the page cannot read it, and it holds only a random identifier, not your personal data.

We use no analytics, advertising or tracking cookies, no tracking pixels and no third-party scripts.

## Changes to this policy

If we change this policy, we will publish the new version on this page with a new "last updated" date, and tell members of any important change.',
'2026-11-29');

-- Focal areas, in the order the seed names them -----------------------------

INSERT INTO focal_areas (id, slug, name, summary, body_md, position) VALUES
(1, 'corrections-sentencing', 'Corrections and Sentencing',
 'Corrections and sentencing, building on the Alliance''s long emphasis on the elaboration and application of the UN minimum rules for justice administration and on monitoring the implementation of standards.',
 'Since its inception, the Alliance has laid great emphasis on the elaboration and application of the UN minimum rules for justice administration, and has contributed to monitoring the implementation of standards.

Corrections and sentencing has been one of the Alliance''s focal points for areas of work since the 2015 Crime Congress.',
 1),
(2, 'corruption', 'Corruption',
 'Alliance members are key in observing the implementation of the United Nations Convention against Corruption, and an Alliance working party has organized around corruption.',
 'Alliance members are key in observing the implementation of the United Nations Convention against Corruption (UNCAC). A working party has organized around corruption, and a civil society statement was made at the Conference of the States Parties to the UNCAC in Marrakech, Morocco (2011).',
 2),
(3, 'crime-prevention', 'Crime Prevention',
 'Crime prevention, the core of the Alliance''s broad framework for action, which matches that of the Commission on Crime Prevention and Criminal Justice.',
 'The Alliance framework for action is very broad, to match that of the Commission on Crime Prevention and Criminal Justice (CCPCJ) and to foster civil society engagement on all the issues it addresses. The Alliance brings to the attention of the Commission new insights, emerging opportunities and promising practices.',
 3),
(4, 'femicide', 'Femicide',
 'The Femicide Platform, the largest online collection of reports, stories and resources on femicide, helped develop the series of six Femicide Reports that contributed to General Assembly resolution 68/191.',
 'The Femicide Platform is the largest online collection of reports, stories and resources on femicide. This organizing mechanism helped develop the series of six Femicide Reports, which also contributed to the passing of General Assembly resolution 68/191 on "Taking action against gender-related killing of women and girls".',
 4),
(5, 'gender', 'Gender',
 'The Alliance''s focal point for gender in crime prevention and criminal justice.',
 'Gender is one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.',
 5),
(6, 'ai-cybercrime', 'AI and Cybercrime',
 'Artificial intelligence and cybercrime, raising all stakeholders'' awareness of the implications of emerging technologies, both as problem and solution.',
 'Aware of the growing challenges wrought by transnational crime and further enabled by emerging technologies, the Alliance works to heighten all stakeholders'' awareness of the implications of emerging technologies, both as problem and solution. A working party has organized around transnational border crime and technology.',
 6),
(7, 'lawyers-prosecutors', 'Lawyers and Prosecutors',
 'The Alliance''s focal point for lawyers and prosecutors in crime prevention and criminal justice.',
 'Lawyers and prosecutors are one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.',
 7),
(8, 'prison-chaplains', 'Prison Chaplains',
 'The Alliance''s focal point for prison chaplains.',
 'Prison chaplains are one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.',
 8),
(9, 'restorative-justice', 'Restorative Justice',
 'Alliance working parties were initiators of and major contributors to the UNODC Handbook on Restorative Justice Programmes.',
 'A working party has organized around restorative justice. Alliance working parties were initiators of and major contributors to UNODC handbooks such as the *Handbook on Restorative Justice Programmes*.',
 9),
(10, 'sdg-16', 'SDG 16',
 'The Alliance''s focal point for Sustainable Development Goal 16 on peace, justice and strong institutions.',
 'SDG 16 is one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.',
 10),
(11, 'terrorism-prevention', 'Terrorism Prevention',
 'Terrorism prevention, where an Alliance working party has organized around religion and violent extremism.',
 'A working party has organized around religion and violent extremism.',
 11),
(12, 'victims-rights', 'Victims'' Rights',
 'Victims'' rights, continuing the Alliance''s work on changing and updating policies on victims, such as in femicide, human trafficking and migrant smuggling.',
 'Since its inception, the Alliance has contributed to changing and updating policies on victims, such as in femicide, human trafficking, migrant smuggling and weapons control. A working party has organized around victims.',
 12);

-- Intergovernmental bodies -----------------------------------------------

INSERT INTO bodies (id, slug, acronym, name, kind, cadence, summary, body_md, position) VALUES
(1, 'unodc', 'UNODC', 'United Nations Office on Drugs and Crime', 'office', 'ongoing',
 'The UN office with which Alliance members are active; the Alliance is one of its three major civil society partners.',
 'The Alliance is a global network of NGOs and their representatives active with UNODC, and one of its three major civil society partners. The Alliance first formed in 1972, before the formation of UNODC.

With the formation of UNODC and its move to Vienna in 1997, NGOs with representatives in Austria became more active. NGOs meet in Vienna and liaise through UNODC''s Civil Society Team. Alliance Chairs are often invited to speak at special gatherings and annual report launches hosted by UNODC.',
 1),
(2, 'ccpcj', 'CCPCJ', 'Commission on Crime Prevention and Criminal Justice', 'commission', 'annual',
 'The annual Crime Commission; the Alliance''s framework for action is as broad as the Commission''s.',
 'The Alliance framework for action is very broad, to match that of the Commission and to foster civil society engagement on all the issues it addresses. The Alliance brings to the attention of the Commission new insights, emerging opportunities and promising practices, as well as providing and promoting civil society accountability roles.

Sprint teams form as participants gather during the annual Crime Commissions; under the banner of SOLVE2018, Crime Commission participants were to engage in sprint-style global strategy development.',
 2),
(3, 'untoc-cop', 'UNTOC COP', 'Conference of the Parties to the United Nations Convention against Transnational Organized Crime', 'conference', 'annual',
 'The Conference of the Parties to the Convention against Transnational Organized Crime (UNTOC), one of the main meetings in which Alliance members are active.',
 'The Conference of the Parties to UNTOC is one of the main intergovernmental meetings in which Alliance members are active, and one of the gatherings at which sprint teams form. A civil society statement was made at the High-Level Debate on the Convention against Transnational Organized Crime at UNHQ (2017).',
 3),
(4, 'crime-congress', 'Crime Congress', 'United Nations Congress on Crime Prevention and Criminal Justice', 'congress', 'quinquennial',
 'The UN Crime Congress, held every five years; the Doha Civil Society Declaration (2015) was a contribution to the 2015 Congress.',
 'The quinquennial Crime Congress is one of the main intergovernmental meetings in which Alliance members are active. The Doha Civil Society Declaration (2015) was a contribution to the 2015 Crime Congress, after which the Alliance identified focal points for its areas of work.',
 4),
(5, 'uncac-cosp', 'UNCAC CoSP', 'Conference of the States Parties to the United Nations Convention against Corruption', 'conference', 'biennial',
 'The Conference of the States Parties to the Convention against Corruption (UNCAC); Alliance members are key in observing the Convention''s implementation.',
 'Alliance members are key in observing the implementation of the United Nations Convention against Corruption. A civil society statement was made at the Conference of the States Parties to the UNCAC in Marrakech, Morocco (2011).',
 5),
(6, 'ecosoc', 'ECOSOC', 'United Nations Economic and Social Council', 'council', 'ongoing',
 'Most of the Alliance''s high-performing members have consultative status with ECOSOC; the Alliance was organized in 1972 at the instigation of the first Chief of ECOSOC''s then Social Defense Section.',
 'Most of the Alliance''s high-performing members have consultative status with ECOSOC. The Alliance was organized in 1972 at the instigation of William Clifford, the first Chief of the then Social Defense Section (now the Crime Prevention and Criminal Justice Branch) of ECOSOC. Alliance members in the USA ensure the civil society voice is heard at relevant ECOSOC meetings in New York.',
 6),
(7, 'general-assembly', 'UNGA', 'United Nations General Assembly', 'assembly', 'ongoing',
 'Alliance Chairs are often invited to speak during high-level meetings and special sessions of the General Assembly.',
 'Alliance Chairs are often invited to speak on behalf of their members during high-level meetings and special sessions of the General Assembly. A civil society statement was made as part of the General Assembly Thematic Debate on "Drugs and Crime as a Threat to Development", UNHQ, New York (2012). The Femicide Reports contributed to the passing of General Assembly resolution 68/191 on "Taking action against gender-related killing of women and girls".',
 7),
(8, 'dgc', 'DGC', 'United Nations Department of Global Communications', 'department', 'ongoing',
 'The UN Department of Global Communications, formerly the Department of Public Information (DPI), with which some Alliance members are associated.',
 'Some Alliance members are associated with the Department of Global Communications, formerly the Department of Public Information (DPI). Originally, Alliance members were all organizations with ECOSOC or DPI status.',
 8),
(9, 'congo', 'CoNGO', 'Conference of NGOs in Consultative Relationship with the United Nations', 'ngo-conference', 'ongoing',
 'The Conference of NGOs, of which the Alliance is a substantive committee.',
 'The Alliance is a substantive committee of the Conference of NGOs (CoNGO) with its focus on crime prevention and criminal justice.',
 9);

-- Offices ----------------------------------------------------------------

INSERT INTO offices (id, slug, name, city, country, summary, position) VALUES
(1, 'vienna', 'Vienna', 'Vienna', 'AT',
 'Members in Vienna sustain the Alliance''s presence and engagement there, liaise through UNODC''s Civil Society Team and connect directly with the Member State Missions to the UN in Vienna.',
 1),
(2, 'international', 'International Office', 'San Francisco Bay Area', 'US',
 'The international office, operating out of the San Francisco Bay Area, brings today''s technology-oriented resources and practices to the Alliance.',
 2),
(3, 'new-york', 'New York', 'New York', 'US',
 'Alliance members in the USA ensure the civil society voice is heard in New York at relevant UN Headquarters meetings of UNODC, ECOSOC and the General Assembly.',
 3);
