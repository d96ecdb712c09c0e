-- 0034_parties_seed.sql -- the five working parties the Alliance's
-- description names ("Working parties have organized around: restorative
-- justice, transnational border crime and technology, victims,
-- corruption, religion and violent extremism, and more"), active, with
-- the description's own sentences where it has them and nothing
-- invented: objectives and rules are left for their chairs to write, no
-- date of forming is known, and no team is named (the secretariat
-- appoints the chairs).  English data, not catalog.  The focal areas each
-- serves are those whose text (0024) names it.
INSERT INTO parties (id, slug, name, summary, state, join_policy,
  rules_visibility, team_visibility, updated_at) VALUES
(1, 'restorative-justice', 'Restorative Justice',
 'Alliance working parties were initiators of and major contributors to UNODC handbooks such as the Handbook on Restorative Justice Programmes.',
 'active', 'approval', 'public', 'members', 0),
(2, 'border-crime-technology', 'Transnational Border Crime and Technology',
 'Aware of the growing challenges wrought by transnational crime and further enabled by emerging technologies, the Alliance works to heighten all stakeholders'' awareness of the implications of emerging technologies, both as problem and solution; it has contributed towards addressing issues of border control.',
 'active', 'approval', 'public', 'members', 0),
(3, 'victims', 'Victims',
 'The Alliance has contributed towards changing and updating policies on victims, such as in femicide. Alliance working parties were initiators of and major contributors to the series of six Femicide Reports, which also contributed to the passing of General Assembly resolution 68/191 on "Taking action against gender-related killing of women and girls".',
 'active', 'approval', 'public', 'members', 0),
(4, 'corruption', 'Corruption',
 'Alliance members are key in observing the implementation of the United Nations Convention against Corruption. A civil society statement was made at the Conference of the States Parties to the UNCAC in Marrakech, Morocco (2011).',
 'active', 'approval', 'public', 'members', 0),
(5, 'religion-violent-extremism', 'Religion and Violent Extremism',
 'Religion and violent extremism is one of the areas around which the Alliance''s working parties have organized.',
 'active', 'approval', 'public', 'members', 0);

INSERT INTO party_focal_areas (party_id, focal_area_id)
SELECT p.id, fa.id FROM parties p JOIN focal_areas fa ON
  (p.slug = 'restorative-justice' AND fa.slug = 'restorative-justice') OR
  (p.slug = 'border-crime-technology' AND fa.slug = 'ai-cybercrime') OR
  (p.slug = 'victims' AND fa.slug IN ('victims-rights', 'femicide')) OR
  (p.slug = 'corruption' AND fa.slug = 'corruption') OR
  (p.slug = 'religion-violent-extremism'
   AND fa.slug = 'terrorism-prevention');
