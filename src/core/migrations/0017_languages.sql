-- 0017_languages.sql -- the language a person reads the site and mail in.
-- people.language: the account's choice (the chooser in the header or the
-- profile), a code such as 'fr'; NULL: none chosen (the browser's
-- Accept-Language decides).  mail_languages: the language an address last
-- wrote to us in (a contact message, an application, a pledge), so a
-- letter sent to it later -- an application answered days after -- goes
-- in that language when no account has the address (mail.h).
ALTER TABLE people ADD COLUMN language TEXT;

CREATE TABLE mail_languages (
  address TEXT PRIMARY KEY,             -- mail_address_key(): lower case
  language TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
