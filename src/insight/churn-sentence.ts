import type { Formats } from "../format/formats.js";
import type { ChurnSignal } from "../plan/churn-signals.js";

/** How a signal is worded: "filed" + "complaints"; a share compares as "a 2.0x higher discount share". */
interface Phrase {
  readonly verb: string;
  readonly noun: string;
  /** The signal happened at all: "filed complaints". */
  readonly did: string;
  readonly share?: true;
}

const PHRASES: Readonly<Record<ChurnSignal, Phrase>> = {
  complaints: { verb: "filed", noun: "complaints", did: "filed complaints" },
  unfounded_complaints: { verb: "filed", noun: "unfounded complaints", did: "filed unfounded complaints" },
  returns: { verb: "returned", noun: "orders", did: "returned orders" },
  discount_share: { verb: "got", noun: "discount share", did: "got a discount", share: true },
  categories: { verb: "bought from", noun: "categories", did: "bought from a category" },
  launched_products: { verb: "bought", noun: "newly launched products", did: "bought newly launched products" },
  stopped_products: {
    verb: "stopped buying",
    noun: "products",
    did: "stopped buying products they had bought before",
  },
  service_interactions: { verb: "had", noun: "service interactions", did: "had service interactions" },
};

/** One group's side of a comparison. */
export interface SentenceGroup {
  /** Customers with a value. */
  readonly customers: number;
  /** Customers whose value is above zero. */
  readonly withSignal: number;
  readonly mean: number | null;
}

export interface SentenceInput {
  readonly signal: ChurnSignal;
  readonly tier: string;
  readonly days: number;
  readonly churned: SentenceGroup;
  readonly retained: SentenceGroup;
}

/** A multiplier with one decimal, or null when it rounds to 1.0x. */
function times(a: number, b: number, f: Formats): string | null {
  const x = Math.max(a, b) / Math.min(a, b);
  return x.toFixed(1) === "1.0" ? null : `${f.decimal(x, 1)}x`;
}

/**
 * The plain-language line of one signal, e.g. "churned Gold customers filed
 * 3.1x more complaints in their last 90 days (0.35 vs 0.11 per customer; 42
 * of 120 vs 30 of 900 retained)". Groups without values or with a mean of
 * zero are said in words, never as a ratio.
 */
export function churnSentence(s: SentenceInput, f: Formats): string {
  const p = PHRASES[s.signal];
  const { churned: c, retained: r, tier } = s;
  const last = `in their last ${s.days} days`;
  const unit = (m: number) => (p.share ? f.percent(m) : `${f.number(m)} per customer`);
  const n = f.count;
  const counts = `${n(c.withSignal)} of ${n(c.customers)} vs ${n(r.withSignal)} of ${n(r.customers)} retained`;
  if (c.mean === null || r.mean === null)
    return `${p.noun}: nothing to compare (${c.customers} churned and ${r.customers} retained ${tier} customers with a value ${last})`;
  if (c.mean === 0 && r.mean === 0)
    return `neither churned nor retained ${tier} customers ${p.did} ${last} (${counts})`;
  if (r.mean === 0)
    return `churned ${tier} customers ${p.did} ${last} (${c.withSignal} of ${c.customers}, ${unit(c.mean)}); none of the ${r.customers} retained ones did`;
  if (c.mean === 0)
    return `none of the ${c.customers} churned ${tier} customers ${p.did} ${last}; ${r.withSignal} of ${r.customers} retained ones did (${unit(r.mean)})`;
  const x = times(c.mean, r.mean, f);
  const more = c.mean > r.mean;
  const compared =
    x === null
      ? `${p.verb} ${p.share ? "about the same" : "about as many"} ${p.noun} as retained ones`
      : p.share
        ? `${p.verb} a ${x} ${more ? "higher" : "lower"} ${p.noun}`
        : `${p.verb} ${x} ${more ? "more" : "fewer"} ${p.noun}`;
  return `churned ${tier} customers ${compared} ${last} (${unit(c.mean)} vs ${unit(r.mean)}; ${counts})`;
}
