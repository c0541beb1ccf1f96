/**
 * The words the generator draws names from. Plain data: lists are bound to
 * SQL as parameters, never spliced into SQL text. Names deliberately mix
 * scripts and diacritics so that every later stage sees real-world text.
 */

/** Given names, including names with diacritics and non-Latin scripts. */
// biome-ignore format: word lists read better a row at a time
export const FIRST_NAMES: readonly string[] = [
  "Anna", "Ben", "Chloé", "David", "Emma", "Felix", "Greta", "Hugo", "Ines", "Jonas",
  "Katarzyna", "Liam", "Maja", "Noah", "Olivia", "Pál", "Quentin", "Rosa", "Søren", "Tomás",
  "Ursula", "Viktor", "Wiebke", "Xavier", "Yara", "Zoë", "Ana", "Lan", "Mehmet", "Aiko",
  "José", "François", "Łukasz", "Björn", "Siobhán", "Ngozi", "Priya", "Oğuz", "Zsófia", "Dmitri",
  "Laura", "Mark", "Sara", "Tom", "Julia", "Lucas", "Mia", "Elias", "Lea", "Paul",
];

/** Family names, including names with diacritics, apostrophes and other scripts. */
// biome-ignore format: word lists read better a row at a time
export const LAST_NAMES: readonly string[] = [
  "Müller", "Smith", "García", "Kovács", "Nguyễn", "Rossi", "Dubois", "Nowak", "Jensen", "Silva",
  "O'Brien", "Schmidt", "Novák", "Yılmaz", "Tanaka", "Kim", "Andersson", "Papadopoulos", "Ivanova", "Fernández",
  "Weber", "Brown", "López", "Horváth", "Martin", "Bianchi", "Lefèvre", "Wójcik", "Nielsen", "Santos",
  "Fischer", "Wilson", "Moreau", "Virtanen", "Murphy", "Chen", "Okafor", "Sharma", "Çelik", "Szabó",
  "Meyer", "Taylor", "Hansen", "Costa", "Wagner", "Lambert", "de Vries", "Petrović", "山田", "Σωτηρίου",
];

/** Legal-form suffixes for business customers. */
// biome-ignore format: word lists read better a row at a time
export const COMPANY_SUFFIXES: readonly string[] = [
  "GmbH", "Ltd", "& Co", "Kft.", "S.A.", "Oy", "AB", "LLC", "Inc.", "B.V.", "S.r.l.", "Sp. z o.o.",
];

/** Mail domains (all reserved example domains). */
export const MAIL_DOMAINS: readonly string[] = ["example.com", "example.org", "example.net", "mail.example"];

/** Sales regions. */
// biome-ignore format: word lists read better a row at a time
export const REGIONS: readonly string[] = [
  "EU-North", "EU-West", "EU-South", "EU-East", "NA-East", "NA-West", "LATAM", "APAC",
];

/** Consumer segments written into `customers.attributes`. */
export const B2C_SEGMENTS: readonly string[] = ["retail", "family", "student", "senior", "outdoor"];

/**
 * Product categories with the noun used in product names. The last
 * `NEW_CATEGORY_COUNT` categories open during the generated period, so that
 * customers can expand into categories that did not exist before.
 */
export const CATEGORIES: readonly { readonly name: string; readonly noun: string }[] = [
  { name: "footwear", noun: "shoe" },
  { name: "apparel", noun: "jacket" },
  { name: "outdoor", noun: "tent" },
  { name: "kitchen", noun: "pan" },
  { name: "home", noun: "lamp" },
  { name: "garden", noun: "planter" },
  { name: "electronics", noun: "speaker" },
  { name: "computing", noun: "keyboard" },
  { name: "office", noun: "chair" },
  { name: "toys", noun: "puzzle" },
  { name: "books", noun: "guide" },
  { name: "beauty", noun: "serum" },
  { name: "health", noun: "monitor" },
  { name: "sports", noun: "racket" },
  { name: "tools", noun: "drill" },
  { name: "automotive", noun: "charger" },
  { name: "pet", noun: "bed" },
  { name: "smart-home", noun: "sensor" },
  { name: "e-mobility", noun: "scooter" },
  { name: "refurbished", noun: "bundle" },
];

/** How many of the last categories in `CATEGORIES` open during the period. */
export const NEW_CATEGORY_COUNT = 3;

/** Adjectives for product names. */
// biome-ignore format: word lists read better a row at a time
export const PRODUCT_ADJECTIVES: readonly string[] = [
  "Classic", "Trail", "Urban", "Compact", "Pro", "Eco", "Deluxe", "Smart", "Lite", "Max",
  "Nordic", "Studio", "Everyday", "Premium", "Travel", "Mini", "Ultra", "Home", "Active", "Vintage",
];

/** Countries of the shop export (`--style shop-export`): the home country first, then the rest. */
// biome-ignore format: word lists read better a row at a time
export const COUNTRIES: readonly string[] = [
  "United Kingdom", "Germany", "France", "EIRE", "Spain", "Netherlands", "Belgium", "Switzerland",
  "Portugal", "Australia", "Norway", "Italy", "Channel Islands", "Finland", "Cyprus", "Sweden",
  "Austria", "Denmark", "Japan", "Poland", "USA", "Israel", "Singapore", "Iceland", "Canada",
];
