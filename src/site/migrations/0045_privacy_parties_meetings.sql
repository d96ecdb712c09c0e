-- 0045_privacy_parties_meetings.sql -- the privacy policy names what
-- working parties (0033, src/parties/) and meetings with registration
-- (0040, src/calendar/) keep, why, who sees it and for how long, and the
-- document an applicant may send with an answer (0032): 0031 had put
-- them under "What is coming", and they have opened since.  replace()
-- changes only the sentences still as 0031 wrote them, and only a
-- policy whose "What is coming" still names working parties, so a policy
-- the secretariat has rewritten is left as it is.
UPDATE pages SET
  body_md = replace(replace(replace(replace(replace(replace(body_md,
'your application (what you wrote in the form and the messages exchanged with the secretariat about it),',
'your application (what you wrote in the form, the messages exchanged with the secretariat about it and any document you sent with an answer),'),
'- **Messages to the secretariat**: if you use the contact form,',
'- **Working parties**: if you propose a working party, your proposal and that it is yours; if you join one, or are invited or appointed, your place in its team and your role there (such as chair, rapporteur, member or observer), and the message you write when you ask to join; what you write or add there (articles, reports, documents and links, proposals put to the team), with your name; your position on a proposal put to the team (agree, abstain, disagree or block) and the reason you give; and the notices its chairs send to the team by email.
- **Meetings**: if you register for a meeting, which meeting and day, when you registered, whether you are on its waiting list or cancelled, whether we sent you the reminder, and, once its minutes are written, whether you attended; documents you add to a meeting; and, if you use a personal calendar address, a one-way hash of its secret.
- **Messages to the secretariat**: if you use the contact form,'),
'- **To run your membership** (your account, profile, focal points, organisation, membership, application and UN status): because it is needed for the membership you asked for (GDPR article 6(1)(b)).',
'- **To run your membership** (your account, profile, focal points, organisation, membership, application and UN status): because it is needed for the membership you asked for (GDPR article 6(1)(b)).
- **To run working parties and meetings** (teams, what you write and add, positions on proposals, registrations and attendance): because it is needed for the work you take part in (article 6(1)(b)), and, for the record of meetings and of working parties once they have closed, because of our legitimate interest in keeping the Alliance''s record (article 6(1)(f)).'),
'- **The secretariat** sees accounts,',
'- **Working parties.** Each working party chooses who sees its team: everyone, signed-in members or only the team; each person in it is named as their profile allows (to the party''s chairs, who manage the team, always). Each article, report and document is shown to the readers chosen for it: everyone, signed-in members or the team. Proposals put to the team, each member''s position and reason, and who has not answered yet are seen only by the team and the secretariat. A request to join is seen by the party''s chairs and the secretariat.
- **Meetings.** Who registered for a meeting, and who waits, is seen only by its organisers: the secretariat, the chair, co-chair and rapporteur of the working party that holds it, or the person who entered it. The link to join online is shown only to the people registered. Approved minutes name those who attended as each person''s profile allows, to the readers the meeting is shown to; drafts only their writers see.
- **The secretariat** sees accounts,'),
'- Messages to the secretariat: as long as needed to answer you and follow up.',
'- Working parties: your place in a team until you leave or are removed; what you wrote or added, positions on proposals and requests to join, for as long as the working party exists, and afterwards as its record (a working party that has closed stays readable). A document that is removed is deleted from the platform within two days.
- Meetings: registrations (also cancelled ones), attendance and minutes, as the record of the meeting. A document that is removed is deleted from the platform within two days. A personal calendar address until you make a new one.
- Messages to the secretariat: as long as needed to answer you and follow up.'),
'The Alliance plans to open working parties, meetings, endorsements of civil society statements and a resource library on this platform. They do not exist here yet and hold no data about you.',
'The Alliance plans to open endorsements of civil society statements and a resource library on this platform. They do not exist here yet and hold no data about you.'),
  updated_at = '2026-12-04'
WHERE slug = 'privacy'
  AND body_md LIKE '%The Alliance plans to open working parties, meetings,%';
