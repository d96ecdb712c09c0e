-- 0024_focal_texts.sql -- a paragraph for each of the twelve focal areas,
-- drawn from the Alliance's description (shared/seed) and from what the
-- United Nations' own standards in each field say, in place of the one-line
-- texts 0002_site.sql seeded for four of them.  English data, not catalog.
-- Each column is replaced only where it still holds 0002's seeded text, so
-- a summary or body the secretariat has since edited stays as it is.

UPDATE focal_areas SET body_md =
'How a society sentences and treats people who have broken the law is a core part of criminal justice. The United Nations sets standards for it: the Standard Minimum Rules for the Treatment of Prisoners, revised in 2015 as the Nelson Mandela Rules; the Tokyo Rules on non-custodial measures; and the Bangkok Rules on the treatment of women prisoners and non-custodial measures for women offenders. The Commission on Crime Prevention and Criminal Justice keeps these standards and norms under review.

Since its inception, the Alliance has laid great emphasis on the elaboration and application of the UN minimum rules for justice administration, and has contributed to monitoring the implementation of standards. Corrections and sentencing has been one of the Alliance''s focal points for areas of work since the 2015 Crime Congress.'
WHERE slug = 'corrections-sentencing' AND body_md =
'Since its inception, the Alliance has laid great emphasis on the elaboration and application of the UN minimum rules for justice administration, and has contributed to monitoring the implementation of standards.

Corrections and sentencing has been one of the Alliance''s focal points for areas of work since the 2015 Crime Congress.';

UPDATE focal_areas SET body_md =
'Corruption undermines the rule of law, public trust and development. The United Nations Convention against Corruption (UNCAC), the only legally binding universal anti-corruption instrument, covers prevention, criminalization, international cooperation and asset recovery; its Conference of the States Parties reviews how it is implemented, and UNODC serves as its secretariat.

Alliance members are key in observing the implementation of the Convention. A working party has organized around corruption, and a civil society statement was made at the Conference of the States Parties to the UNCAC in Marrakech, Morocco (2011).'
WHERE slug = 'corruption' AND body_md =
'Alliance members are key in observing the implementation of the United Nations Convention against Corruption (UNCAC). A working party has organized around corruption, and a civil society statement was made at the Conference of the States Parties to the UNCAC in Marrakech, Morocco (2011).';

UPDATE focal_areas SET body_md =
'Crime prevention covers the strategies and measures that seek to reduce the risk of crimes occurring and their harmful effects on individuals and society, including fear of crime, by addressing their multiple causes. The United Nations Guidelines for the Prevention of Crime, adopted by the Economic and Social Council in 2002, set out its basic principles, among them government leadership, cooperation and partnerships, a knowledge base, and respect for human rights and the rule of law. Crime prevention is at the heart of the mandate of the Commission on Crime Prevention and Criminal Justice and of the UN Crime Congress.

The Alliance framework for action is very broad, to match that of the Commission and to foster civil society engagement on all the issues it addresses. The Alliance brings to the attention of the Commission new insights, emerging opportunities and promising practices.'
WHERE slug = 'crime-prevention' AND body_md =
'The Alliance framework for action is very broad, to match that of the Commission on Crime Prevention and Criminal Justice (CCPCJ) and to foster civil society engagement on all the issues it addresses. The Alliance brings to the attention of the Commission new insights, emerging opportunities and promising practices.';

UPDATE focal_areas SET body_md =
'Femicide, the gender-related killing of women and girls, is the most extreme form of violence against women. The General Assembly has called on States to prevent, investigate, prosecute and punish such killings, and UNODC publishes global studies on them.

The Femicide Platform is the largest online collection of reports, stories and resources on femicide. This organizing mechanism helped develop the series of six Femicide Reports, which also contributed to the passing of General Assembly resolution 68/191 on "Taking action against gender-related killing of women and girls".'
WHERE slug = 'femicide' AND body_md =
'The Femicide Platform is the largest online collection of reports, stories and resources on femicide. This organizing mechanism helped develop the series of six Femicide Reports, which also contributed to the passing of General Assembly resolution 68/191 on "Taking action against gender-related killing of women and girls".';

UPDATE focal_areas SET summary =
'Gender in crime prevention and criminal justice: women and men, girls and boys meet the justice system differently, as victims, as offenders and as those who work in it.'
WHERE slug = 'gender' AND summary =
'The Alliance''s focal point for gender in crime prevention and criminal justice.';

UPDATE focal_areas SET body_md =
'Women and men, girls and boys meet the justice system differently, as victims, as offenders and as those who work in it. United Nations standards address this: the Updated Model Strategies and Practical Measures on the Elimination of Violence against Women in the Field of Crime Prevention and Criminal Justice (2010), the Bangkok Rules on women prisoners and women offenders (2010), and Sustainable Development Goal 5 on gender equality.

The Alliance has contributed to changing and updating policies on victims, such as in femicide, and the Femicide Platform helped develop the Femicide Reports and the related General Assembly resolution. Gender is one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.'
WHERE slug = 'gender' AND body_md =
'Gender is one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.';

UPDATE focal_areas SET body_md =
'New technologies are both a tool for crime and a tool against it. Cybercrime ranges from attacks on computer systems to offences committed with their help, such as fraud and the sexual exploitation of children online, and it rarely stops at borders. The General Assembly adopted the United Nations Convention against Cybercrime in 2024, and UNODC supports States with technical assistance; artificial intelligence raises further questions for investigation, evidence, fairness and human rights in criminal justice.

Aware of the growing challenges wrought by transnational crime and further enabled by emerging technologies, the Alliance works to heighten all stakeholders'' awareness of the implications of emerging technologies, both as problem and solution. A working party has organized around transnational border crime and technology.'
WHERE slug = 'ai-cybercrime' AND body_md =
'Aware of the growing challenges wrought by transnational crime and further enabled by emerging technologies, the Alliance works to heighten all stakeholders'' awareness of the implications of emerging technologies, both as problem and solution. A working party has organized around transnational border crime and technology.';

UPDATE focal_areas SET summary =
'Lawyers and prosecutors: a fair trial needs independent lawyers, impartial prosecutors and access to legal aid, as United Nations standards set out.'
WHERE slug = 'lawyers-prosecutors' AND summary =
'The Alliance''s focal point for lawyers and prosecutors in crime prevention and criminal justice.';

UPDATE focal_areas SET body_md =
'A fair criminal justice system depends on lawyers who can act independently for their clients and on prosecutors who act impartially and in the public interest. United Nations standards set this out: the Basic Principles on the Role of Lawyers and the Guidelines on the Role of Prosecutors, both adopted by the Eighth Crime Congress in 1990, and the Principles and Guidelines on Access to Legal Aid in Criminal Justice Systems (2012).

Since its inception, the Alliance has laid great emphasis on the elaboration and application of the UN minimum rules for justice administration. Lawyers and prosecutors are one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.'
WHERE slug = 'lawyers-prosecutors' AND body_md =
'Lawyers and prosecutors are one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.';

UPDATE focal_areas SET summary =
'Prison chaplains: the spiritual care of people in prison, whose right to practise their religion United Nations standards recognise.'
WHERE slug = 'prison-chaplains' AND summary =
'The Alliance''s focal point for prison chaplains.';

UPDATE focal_areas SET body_md =
'Prison chaplains offer spiritual and pastoral care to people in prison, and often to their families and to prison staff. The Nelson Mandela Rules, the United Nations Standard Minimum Rules for the Treatment of Prisoners, recognise the right of prisoners to practise their religion and to have access to a qualified representative of their faith, access that may not be refused to any prisoner.

The Alliance has laid great emphasis on the application of the UN minimum rules for justice administration. Prison chaplains are one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.'
WHERE slug = 'prison-chaplains' AND body_md =
'Prison chaplains are one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.';

UPDATE focal_areas SET body_md =
'Restorative justice brings those harmed by a crime and those responsible for it, and where fitting their communities, to take part together in resolving what the crime caused, often with the help of a facilitator. The Economic and Social Council adopted Basic Principles on the Use of Restorative Justice Programmes in Criminal Matters in 2002, and UNODC publishes a Handbook on Restorative Justice Programmes.

A working party has organized around restorative justice. Alliance working parties were initiators of and major contributors to UNODC handbooks such as the *Handbook on Restorative Justice Programmes*.'
WHERE slug = 'restorative-justice' AND body_md =
'A working party has organized around restorative justice. Alliance working parties were initiators of and major contributors to UNODC handbooks such as the *Handbook on Restorative Justice Programmes*.';

UPDATE focal_areas SET summary =
'Sustainable Development Goal 16: peaceful and inclusive societies, access to justice for all, and effective, accountable and inclusive institutions.'
WHERE slug = 'sdg-16' AND summary =
'The Alliance''s focal point for Sustainable Development Goal 16 on peace, justice and strong institutions.';

UPDATE focal_areas SET body_md =
'Sustainable Development Goal 16 of the 2030 Agenda, adopted by the General Assembly in 2015, is to promote peaceful and inclusive societies for sustainable development, provide access to justice for all and build effective, accountable and inclusive institutions at all levels. Its targets include reducing violence, ending the abuse, exploitation and trafficking of children, promoting the rule of law and equal access to justice, combating organized crime and illicit financial and arms flows, and substantially reducing corruption and bribery.

The Doha Civil Society Declaration (2015) was a contribution to the 2015 Crime Congress, after which the Alliance identified focal points for its areas of work. SDG 16 is one of them.'
WHERE slug = 'sdg-16' AND body_md =
'SDG 16 is one of the focal points for areas of work that the Alliance has identified since the 2015 Crime Congress.';

UPDATE focal_areas SET summary =
'Terrorism prevention, through criminal justice that respects human rights and the rule of law; an Alliance working party has organized around religion and violent extremism.'
WHERE slug = 'terrorism-prevention' AND summary =
'Terrorism prevention, where an Alliance working party has organized around religion and violent extremism.';

UPDATE focal_areas SET body_md =
'Preventing terrorism through criminal justice means laws, investigations and trials that are effective and respect human rights and the rule of law, as well as addressing the conditions conducive to violent extremism. The United Nations Global Counter-Terrorism Strategy (2006) sets out this approach, and UNODC helps States to put the international legal instruments against terrorism into practice.

A working party has organized around religion and violent extremism.'
WHERE slug = 'terrorism-prevention' AND body_md =
'A working party has organized around religion and violent extremism.';

UPDATE focal_areas SET body_md =
'Victims of crime have the right to be treated with compassion and respect for their dignity, to have access to justice and to prompt redress, and to receive assistance. The United Nations Declaration of Basic Principles of Justice for Victims of Crime and Abuse of Power (1985) sets out these rights, and the protocols to the Convention against Transnational Organized Crime on trafficking in persons and on the smuggling of migrants provide for the protection of those affected.

Since its inception, the Alliance has contributed to changing and updating policies on victims, such as in femicide, human trafficking, migrant smuggling and weapons control. A working party has organized around victims.'
WHERE slug = 'victims-rights' AND body_md =
'Since its inception, the Alliance has contributed to changing and updating policies on victims, such as in femicide, human trafficking, migrant smuggling and weapons control. A working party has organized around victims.';
