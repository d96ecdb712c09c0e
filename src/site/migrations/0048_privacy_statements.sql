-- 0048_privacy_statements.sql -- the privacy policy names what the
-- endorsement of civil society statements (0046, src/statements/) keeps,
-- why, who sees it and for how long: 0031 had put it under "What is
-- coming" (0045 kept it there), and it has opened since.  replace()
-- changes only the sentences as 0045 left them, and only a policy whose
-- "What is coming" still names the statements, so a policy the
-- secretariat has rewritten is left as it is.
UPDATE pages SET
  body_md = replace(replace(replace(replace(replace(body_md,
'- **Messages to the secretariat**: if you use the contact form,',
'- **Statements**: if you endorse a civil society statement for your organisation as its main contact, that your organisation endorses it, that you did so for it, and when.
- **Messages to the secretariat**: if you use the contact form,'),
'because of our legitimate interest in keeping the Alliance''s record (article 6(1)(f)).',
'because of our legitimate interest in keeping the Alliance''s record (article 6(1)(f)).
- **To publish the statements the Alliance''s members endorse** (which organisation endorsed a statement, and who did so for it): because your organisation asked for it through you (article 6(1)(b)), and, once the statement has closed, because of our legitimate interest in keeping the Alliance''s record (article 6(1)(f)).'),
'- **The secretariat** sees accounts,',
'- **Statements.** The organisations that endorse a statement are named to everyone, on its page and in its list of endorsements. Who endorsed for an organisation is seen only by the secretariat.
- **The secretariat** sees accounts,'),
'- Messages to the secretariat: as long as needed to answer you and follow up.',
'- Statements: an endorsement for as long as the statement is kept as the Alliance''s record. An endorsement taken back while the statement is open is deleted; after it has closed, the secretariat takes an organisation off at its request.
- Messages to the secretariat: as long as needed to answer you and follow up.'),
'The Alliance plans to open endorsements of civil society statements and a resource library on this platform. They do not exist here yet and hold no data about you. Before each one opens,',
'The Alliance plans to open a resource library on this platform. It does not exist here yet and holds no data about you. Before it opens,'),
  updated_at = '2026-12-04'
WHERE slug = 'privacy'
  AND body_md LIKE '%The Alliance plans to open endorsements of civil society statements%';
