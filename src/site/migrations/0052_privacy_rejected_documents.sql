-- 0052_privacy_rejected_documents.sql -- the privacy policy says how long
-- a document sent with an answer on an application stays when the
-- application was not approved: a year after the decision (the hourly
-- maintenance of src/applications/answer.c removes it).  Only a policy
-- that still has the sentence 0031 wrote, and not this one yet: a policy
-- the secretariat has rewritten is left as it is.
UPDATE pages SET
  body_md = replace(body_md,
'- Your organisation''s record, memberships, applications and the messages about them: for as long as the organisation or person is a member, and afterwards as long as the Alliance needs them as a record of its membership.',
'- Your organisation''s record, memberships, applications and the messages about them: for as long as the organisation or person is a member, and afterwards as long as the Alliance needs them as a record of its membership.
- A document sent with an answer on an application the secretariat did not approve: one year after its decision; the application and its messages stay as a record.'),
  updated_at = '2026-12-04'
WHERE slug = 'privacy'
  AND body_md LIKE '%applications and the messages about them: for as long as the organisation or person is a member%'
  AND body_md NOT LIKE '%on an application the secretariat did not approve%';
