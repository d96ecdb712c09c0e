-- 0030_updates.sql -- the list of addresses that asked for the Alliance's
-- updates by e-mail (src/updates/).  An address is on it once (stored
-- lower case, mail_address_key): 'pending' until its confirmation link is
-- used (double opt-in), 'subscribed', or 'removed' when it unsubscribed
-- (kept a year so the secretariat sees the removal, then deleted by the
-- hourly maintenance; a pending one goes when its link expires).  Times
-- are unix seconds.  updates_links holds the links mailed to an address,
-- by the SHA-256 of their token (auth_token_digest), never the token:
-- 'confirm' links expire, 'unsubscribe' links (one per message) work as
-- long as the address is on the list.
CREATE TABLE updates_subscribers (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  name TEXT,
  language TEXT,
  status TEXT NOT NULL
    CHECK (status IN ('pending', 'subscribed', 'removed')),
  source TEXT NOT NULL CHECK (source IN ('form', 'account')),
  created_at INTEGER NOT NULL,
  requested_at INTEGER NOT NULL,
  confirmed_at INTEGER,
  removed_at INTEGER
);
CREATE INDEX updates_subscribers_status
  ON updates_subscribers (status, email);
CREATE TABLE updates_links (
  hash TEXT PRIMARY KEY,
  subscriber_id INTEGER NOT NULL
    REFERENCES updates_subscribers (id) ON DELETE CASCADE,
  purpose TEXT NOT NULL CHECK (purpose IN ('confirm', 'unsubscribe')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  used_at INTEGER,
  name TEXT,      -- 'confirm': what the sign-up asked for, which the
  language TEXT   -- address takes when the link is used
);
CREATE INDEX updates_links_subscriber ON updates_links (subscriber_id);
