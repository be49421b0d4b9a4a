/** The words generated profiles are made of. Changing a list changes every seed's output. */

function words(text: string): readonly string[] {
  return text.trim().split(/\s+/);
}

export const FIRST_NAMES: readonly string[] = words(`
  Olivia Jack Charlotte Noah Amelia William Isla Oliver Mia Leo Ava Henry Grace Lucas Chloé
  Thomas Zoë James Ruby Ethan Sofia Liam Harper Mateo Aisha Arjun Priya Wei Mei Hiroshi
  Yuki Seo-yeon Minh Linh Fatima Omar Kofi Amara Siobhán Niamh Lars Ingrid José Lucía
  Tomasz Zofia Aroha Tane Kai Eleni
`);

export const LAST_NAMES: readonly string[] = words(`
  Smith Jones Williams Brown Wilson Taylor Nguyen Johnson Martin White Anderson Walker
  Thompson Harris Lee Ryan Robinson Kelly King Davis Wright Evans Roberts Green Hall Wood
  Jackson Clarke Patel Singh Chen Wang Li Kim Park Tran Le Sato Tanaka Müller O'Brien
  García Rossi Papadopoulos Kowalski Novak Silva Haddad Okafor Ngata
`);

/** Reserved for documentation and tests (RFC 2606, RFC 6761): no real mailbox is named. */
export const EMAIL_DOMAINS = [
  ['example.com', 40],
  ['example.net', 25],
  ['example.org', 15],
  ['mail.example', 12],
  ['inbox.test', 8],
] as const;

export const TIERS = ['bronze', 'silver', 'gold', 'platinum'] as const;
export type Tier = (typeof TIERS)[number];

/** A retail loyalty programme: most members bronze, few platinum. */
export const TIER_WEIGHTS = [
  ['bronze', 44],
  ['silver', 24],
  ['gold', 12],
  ['platinum', 4],
  [null, 10],
  [undefined, 6],
] as const;

/** How much more a tier buys per visit and how often it visits. */
export const TIER_SPEND: Readonly<Record<Tier | 'none', { basket: number; visits: number }>> = {
  none: { basket: 0.9, visits: 0.8 },
  bronze: { basket: 1, visits: 1 },
  silver: { basket: 1.3, visits: 1.6 },
  gold: { basket: 1.8, visits: 2.4 },
  platinum: { basket: 2.6, visits: 3.5 },
};

/** Retail tags with their popularity. */
export const TAG_WEIGHTS = [
  ['newsletter', 30],
  ['sale-hunter', 12],
  ['beauty', 10],
  ['outdoor', 9],
  ['kids', 8],
  ['home', 8],
  ['vip', 6],
  ['vegan', 6],
  ['sustainability', 5],
  ['gift-card', 4],
  ['b2b', 4],
  ['staff', 2],
] as const;

export const TAG_COUNT_WEIGHTS = [
  [0, 55],
  [1, 27],
  [2, 11],
  [3, 5],
  [4, 2],
] as const;

export const STATUS_WEIGHTS = [
  [['active'], 86],
  [[], 5],
  [['active', 'email_bounced'], 4],
  [['inactive'], 2.5],
  [['active', 'do_not_contact'], 1.5],
  [['fraud_review'], 0.5],
  [['deceased'], 0.5],
] as const;

export const REWARD_AMOUNTS = [5, 10, 10, 10, 15, 20, 20, 25, 30, 50, 100] as const;

const ASCII: Readonly<Record<string, string>> = {
  á: 'a',
  é: 'e',
  ë: 'e',
  í: 'i',
  ó: 'o',
  ü: 'u',
};

/** Lower-case letters only, for the local part of an email address. */
export function emailWord(name: string): string {
  let word = '';
  for (const char of name.toLowerCase()) {
    const folded = ASCII[char] ?? char;
    if (/^[a-z]$/.test(folded)) word += folded;
  }

  return word;
}
