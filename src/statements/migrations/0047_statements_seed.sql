-- 0047_statements_seed.sql -- the four civil society statements the
-- Alliance's description names (its own words: where and when each was
-- made), closed, with no invented text and no invented signatory: their
-- text and endorsements were gathered before the platform, and the
-- secretariat adds the text when it has it.
INSERT INTO statements (slug, title, summary, occasion, year, un_body_id,
  state, created_at, updated_at)
SELECT 'uncac-cosp-marrakech-2011',
  'Civil society statement to the Conference of the States Parties to the UNCAC',
  'A statement made at the Conference of the States Parties to the UNCAC in Marrakech, Morocco (2011).',
  'Conference of the States Parties to the UNCAC, Marrakech, Morocco', 2011,
  (SELECT id FROM bodies WHERE slug = 'uncac-cosp'), 'closed', 0, 0
UNION ALL
SELECT 'drugs-and-crime-as-a-threat-to-development-2012',
  'Civil society statement on “Drugs and Crime as a Threat to Development”',
  'A statement made as part of the UN General Assembly Thematic Debate on “Drugs and Crime as a Threat to Development”, UNHQ, New York (2012).',
  'UN General Assembly Thematic Debate, UNHQ, New York', 2012,
  (SELECT id FROM bodies WHERE slug = 'general-assembly'), 'closed', 0, 0
UNION ALL
SELECT 'doha-civil-society-declaration-2015',
  'Doha Civil Society Declaration',
  'The Doha Civil Society Declaration (2015), a contribution to the 2015 Crime Congress.',
  '2015 Crime Congress, Doha', 2015,
  (SELECT id FROM bodies WHERE slug = 'crime-congress'), 'closed', 0, 0
UNION ALL
SELECT 'untoc-high-level-debate-2017',
  'Civil society statement at the High-Level Debate on the Convention against Transnational Organized Crime',
  'A statement made at the High-Level Debate on the Convention against Transnational Organized Crime at UNHQ, New York (2017).',
  'High-Level Debate on the Convention against Transnational Organized Crime, UNHQ, New York', 2017,
  (SELECT id FROM bodies WHERE slug = 'general-assembly'), 'closed', 0, 0;
