-- 0018_privacy_languages.sql -- the privacy policy says what the language
-- chooser and mail in the reader's language (0017) keep: the language
-- cookie, the form cookie it never named, and the language an address
-- wrote to us in (pruned after two years by the hourly maintenance).
-- replace() leaves a policy the secretariat has rewritten as it is.
UPDATE pages SET
  body_md = replace(replace(replace(body_md,
'This platform sets only one cookie: a session cookie that keeps you signed in. It is set when you sign in and removed when you sign out or the session ends. It is marked so that scripts on the page cannot read it, and it holds only a random identifier, not your personal data.',
'This platform sets only its own cookies, and only these:

- a **session cookie** that keeps you signed in. It is set when you sign in and removed when you sign out or the session ends;
- a **form cookie** that protects the forms you send from being sent in your name by another site. It holds a random value;
- a **language cookie**, only if you choose a language with the links at the top of each page. It remembers your choice for a year and holds only the language''s code (such as "fr").

They are marked so that scripts on the page cannot read them, and none of them holds your personal data.'),
'- Security records: only as long as needed to keep the platform safe.',
'- Security records: only as long as needed to keep the platform safe.
- The language you wrote to us in (when you apply, pledge or contact us without an account): two years, kept with your email address so that our answers reach you in that language.'),
'- **Your account**: your name, email address, a password (stored only as a one-way hash, never readable by anyone), your role on the platform, and when you last signed in.',
'- **Your account**: your name, email address, a password (stored only as a one-way hash, never readable by anyone), your role on the platform, the language you chose for the site and its emails, and when you last signed in.'),
  updated_at = '2026-12-02'
WHERE slug = 'privacy';
