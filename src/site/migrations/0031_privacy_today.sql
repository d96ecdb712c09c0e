-- 0031_privacy_today.sql -- the privacy policy says what the platform keeps
-- today: it named meeting registrations, statement endorsements and
-- working parties, which do not exist yet (now under "What is coming"),
-- and it now says what the updates list (0030, src/updates/) and the focal
-- points (0025, src/focal/) keep and who sees them, the profile, sessions,
-- pledges, the copies of emails sent, and what is not deleted
-- automatically yet.  A policy the secretariat has edited is left as it
-- is: the text changes only where it is still exactly the one 0002 and
-- 0018 wrote.
UPDATE pages SET
  body_md = 'This policy explains, in plain language, what personal data the Alliance of NGOs on Crime Prevention and Criminal Justice ("the Alliance", "we") holds on this platform, why we hold it, who can see it, how long we keep it, and what you can do about it. It describes the platform as it is today; when a new part opens, this page will say what it keeps before it keeps anything.

## Who is responsible

The Alliance is responsible for the personal data on this platform. Its secretariat looks after it and answers questions and requests about it. Because the Alliance has a presence in Vienna, Austria, we follow the European Union''s General Data Protection Regulation (GDPR), and we apply the same rights to everyone who uses the platform, wherever they live.

## What we collect

We only collect what the platform needs to run the Alliance''s work.

- **Your account**: your name, email address, a password (stored only as a one-way hash, never readable by anyone), your role on the platform, the language you chose for the site and its emails, and when you last signed in. For each place you are signed in: when the session started and was last used, the network address and the browser''s description, so that you can see where you are signed in. API tokens you create are stored only as a one-way hash.
- **Your profile**, if you fill it in: your country, languages, expertise and focal areas, and your choices of who may see your profile and whether your email address, country and expertise are shown.
- **Focal points**: if the secretariat makes you a focal point of one of the Alliance''s focal areas, that you are one, your title there (such as "Chair"), if any, and the day you took it up.
- **Your organisation**: its name, acronym, country, website, description, contact address, focal areas, and the people who represent it (with their United Nations post and rank, if any), and how its directory entry is shown.
- **Membership**: your membership level (member organisation, associate member organisation or individual member), your application (what you wrote in the form and the messages exchanged with the secretariat about it), membership periods, renewals, the reminders we sent, and dues payments recorded by the secretariat.
- **UN status**: for organisations, their consultative status with ECOSOC or association with the UN Department of Global Communications (formerly DPI), and the year it was granted.
- **Sponsorship pledges**: if you pledge support, the sponsor''s name, the contact''s name and email address, the pledge and its purpose, whether you want to be thanked publicly, and when you agreed to this policy.
- **Updates by email**: if you sign up for updates, your email address, your name if you give it, the language to write in, when you signed up and confirmed, and whether you signed up with the form or from your account. The links we send you are stored only as a one-way hash. When you unsubscribe we keep your address and the date you left, and delete your name.
- **Messages to the secretariat**: if you use the contact form, your name, email address, organisation, your message and any document you attach.
- **Emails we send**: a copy of each email the platform sends (the address, the subject and the text), so that the secretariat can see what was sent and whether it arrived.
- **Security records**: a log of important actions (such as sign-ups, sign-in links, changes to accounts, organisations and memberships, and administrative changes), with the network address they came from, kept so that we can keep accounts safe and find mistakes. To stop abuse of the public forms, we also count for a short time how often a network address and an email address use them.

We do not collect more about you from other sources, and we do not sell or rent personal data to anyone.

## Why we use it, and on what legal basis

- **To run your membership** (your account, profile, focal points, organisation, membership, application and UN status): because it is needed for the membership you asked for (GDPR article 6(1)(b)).
- **To follow up a pledge**: because you asked us to (article 6(1)(b)).
- **To keep dues and accounting records**: because the law requires us to (article 6(1)(c)).
- **To answer messages you send us**: because of our legitimate interest in replying to you (article 6(1)(f)).
- **To send you updates**: only with your consent (article 6(1)(a)). We use double opt-in: after you sign up we send one email with a confirmation link, and nothing more is sent until you follow it. Every email about updates contains a link to unsubscribe, which works without signing in. No update has been sent yet; we will write when there is news from the Alliance.
- **To keep the platform secure** (security records, the session cookie): because of our legitimate interest in protecting members'' data and the platform (article 6(1)(f)).

## Who can see your data

- **The directory.** Each organisation chooses how its directory entry is shown: **public** (anyone can see it), **members** (only signed-in members can see it) or **hidden** (only the secretariat can see it). An entry lists the organisation''s representatives, except those who hid their profile; an email address is shown only if its owner chose to show it.
- **Focal points.** A focal point is named on the page of their focal area as their profile''s choice for the directory says: to everyone (**public**), only to signed-in members (**members**), or to no one (**hidden**: the page only counts them); their title, and their country and email address if they chose to show them, are shown with the name.
- **Your organisation.** Its main contacts can see and change its record and its list of representatives.
- **Sponsors.** A sponsor that asked to be thanked publicly is named on the Sponsor page with the purpose of its pledge, once the secretariat has confirmed the pledge; nothing else about a pledge is shown.
- **The secretariat** sees accounts, organisations, memberships, applications, payments, pledges, messages, the updates list, the copies of emails sent and the security records, because it runs them.
- **Service providers.** If email is sent through an outside mail service, that service handles the email address and the message only to deliver it.

We do not share personal data with anyone else unless the law obliges us to.

## How long we keep it

- Your account, profile and focal points: for as long as you have an account (a focal point until the secretariat ends it). When you ask us to delete it, we erase it, except what we must keep by law.
- Sessions: until you sign out or the session expires.
- Your organisation''s record, memberships, applications and the messages about them: for as long as the organisation or person is a member, and afterwards as long as the Alliance needs them as a record of its membership.
- Dues and accounting records, and pledges: for as long as the law requires us to keep accounting records, then we delete them.
- Messages to the secretariat: as long as needed to answer you and follow up. A document attached to a message is deleted after 180 days (unless the secretariat sets another period); the message stays.
- Update subscriptions: until you unsubscribe. A sign-up that is not confirmed within 7 days is deleted. After you unsubscribe, your address and the date you left are kept for one year, so that the secretariat can see the removal and does not add you again by mistake, and then deleted.
- The language you wrote to us in (when you apply, pledge or contact us without an account): two years, kept with your email address so that our answers reach you in that language.
- Copies of emails sent and security records: they are not deleted automatically yet; we keep them only as long as needed to keep the platform safe and find mistakes, and you can ask us to delete those about you. The counts of form use are deleted within a day.

## Your rights

You can:

- **see** the personal data we hold about you (access);
- **download** it in a common machine-readable format (export);
- **correct** anything that is wrong;
- **erase** your account and personal data, except what we must keep by law;
- **withdraw your consent** at any time, for example by unsubscribing from updates; this does not affect what was done before;
- **object** to uses based on our legitimate interest, and ask us to **restrict** a use while a question is being sorted out.

In your account you can yourself correct your name, profile and email address, choose who sees your profile, see where you are signed in and sign out elsewhere, and subscribe to or unsubscribe from updates. For a copy of your data, to delete your account, or anything else, [write to the secretariat](/contact), and we will answer within one month. If you think we have not handled your data properly, you can also complain to a data protection authority; for the Alliance this is the Austrian Data Protection Authority (Datenschutzbehörde).

## What is coming

The Alliance plans to open working parties, meetings, endorsements of civil society statements and a resource library on this platform. They do not exist here yet and hold no data about you. Before each one opens, this policy will say what it keeps, why, who sees it and for how long, and members will be told.

## Cookies

This platform sets only its own cookies, and only these:

- a **session cookie** that keeps you signed in. It is set when you sign in and removed when you sign out or the session ends;
- a **form cookie** that protects the forms you send from being sent in your name by another site. It holds a random value;
- a **language cookie**, only if you choose a language with the links at the top of each page. It remembers your choice for a year and holds only the language''s code (such as "fr").

They are marked so that scripts on the page cannot read them, and none of them holds your personal data.

We use no analytics, advertising or tracking cookies, no tracking pixels and no third-party scripts.

## Changes to this policy

If we change this policy, we will publish the new version on this page with a new "last updated" date, and tell members of any important change.',
  updated_at = '2026-12-02'
WHERE slug = 'privacy' AND body_md = 'This policy explains, in plain language, what personal data the Alliance of NGOs on Crime Prevention and Criminal Justice ("the Alliance", "we") holds on this platform, why we hold it, who can see it, how long we keep it, and what you can do about it.

## Who is responsible

The Alliance is responsible for the personal data on this platform. Its secretariat looks after it and answers questions and requests about it. Because the Alliance has a presence in Vienna, Austria, we follow the European Union''s General Data Protection Regulation (GDPR), and we apply the same rights to everyone who uses the platform, wherever they live.

## What we collect

We only collect what the platform needs to run the Alliance''s work.

- **Your account**: your name, email address, a password (stored only as a one-way hash, never readable by anyone), your role on the platform, the language you chose for the site and its emails, and when you last signed in.
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
- The language you wrote to us in (when you apply, pledge or contact us without an account): two years, kept with your email address so that our answers reach you in that language.

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

This platform sets only its own cookies, and only these:

- a **session cookie** that keeps you signed in. It is set when you sign in and removed when you sign out or the session ends;
- a **form cookie** that protects the forms you send from being sent in your name by another site. It holds a random value;
- a **language cookie**, only if you choose a language with the links at the top of each page. It remembers your choice for a year and holds only the language''s code (such as "fr").

They are marked so that scripts on the page cannot read them, and none of them holds your personal data.

We use no analytics, advertising or tracking cookies, no tracking pixels and no third-party scripts.

## Changes to this policy

If we change this policy, we will publish the new version on this page with a new "last updated" date, and tell members of any important change.';
