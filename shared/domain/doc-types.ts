/**
 * Suggesting a document's type (ID card, birth certificate, land-use certificate ...) from its OCR
 * text: weighted phrase rules kept in a data file (assets/reference/document-types.json), plus what
 * was learned from the clerk's confirmed choices.
 *
 * The learned part is a multinomial naive Bayes over binarized folded features (words and word
 * pairs), each class's feature distribution smoothed towards the pooled distribution of all
 * confirmed documents (Dirichlet prior, which for an empty class is Laplace smoothing of the pool).
 * A class scores the log-likelihood ratio of the text's known features under the class versus
 * under the pool: a class never confirmed scores 0, so the rules alone decide between the types
 * the clerk has not taught yet, while a class with examples pulls its look-alikes towards itself
 * and pushes the rest away. Features never seen in any confirmed document (names, numbers, a
 * stranger's address) say nothing and are skipped, so novel words cannot favour a class.
 * Learning needs contrast: while every confirmed document has the same type, that type's
 * distribution is the pool and confirmations cannot move a suggestion yet (comparing against a
 * uniform distribution instead made a taught type attract other documents through common words:
 * on the generated set, teaching a single type then cost 6 to 70 points of accuracy, by weight).
 *
 * Pure and browser-safe: the backend keeps the counts in SQLite and passes those the text needs.
 */
import { foldText } from './fold';

/** Evidence about a page besides its text, that rules can weigh: `cccdQr`, a chip ID card QR code. */
export const DOC_TYPE_SIGNALS = ['cccdQr'] as const;
export type DocTypeSignal = (typeof DOC_TYPE_SIGNALS)[number];

export interface DocTypeRule {
  /** Words matched on folded text (see ruleText); whole words, each rule counted once. */
  phrase?: string;
  /** Fires on page evidence instead of a phrase. */
  signal?: DocTypeSignal;
  /** Added when the phrase occurs anywhere (or the signal is present). May be negative. */
  weight: number;
  /** Added instead of `weight` when a heading line (one of the first `titleLines`) starts with the phrase. */
  titleWeight?: number;
}

export interface DocTypeDefinition {
  code: string;
  nameVi: string;
  nameEn: string;
  rules: readonly DocTypeRule[];
}

export interface DocTypeRuleSet {
  version: number;
  /** How many non-empty lines from the top count as the heading. */
  titleLines: number;
  /** Below this total no type is suggested. */
  minScore: number;
  types: readonly DocTypeDefinition[];
}

interface CompiledRule {
  phrase: string | null;
  signal: DocTypeSignal | null;
  weight: number;
  titleWeight: number | null;
}

export interface CompiledDocTypeRules {
  readonly titleLines: number;
  readonly minScore: number;
  readonly codes: readonly string[];
  readonly rules: ReadonlyMap<string, readonly CompiledRule[]>;
}

/** Folds text the way rules and features read it: no diacritics, lower case, words of letters and digits. */
export function ruleText(text: string): string {
  return foldText(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function compileDocTypeRules(set: DocTypeRuleSet): CompiledDocTypeRules {
  const rules = new Map<string, CompiledRule[]>();
  for (const type of set.types) {
    rules.set(
      type.code,
      type.rules.map((rule) => ({
        phrase: rule.phrase === undefined ? null : ruleText(rule.phrase),
        signal: rule.signal ?? null,
        weight: rule.weight,
        titleWeight: rule.titleWeight ?? null,
      })),
    );
  }
  return { titleLines: set.titleLines, minScore: set.minScore, codes: set.types.map((t) => t.code), rules };
}

export interface DocTypeInput {
  /** OCR text of the page (or of the document's pages in order). */
  text: string;
  signals?: ReadonlySet<DocTypeSignal>;
}

/** Each type's rule score for a text; types with no matching rule score 0. */
export function ruleScores(compiled: CompiledDocTypeRules, input: DocTypeInput): Map<string, number> {
  const body = ` ${ruleText(input.text)} `;
  const headings = input.text
    .split('\n')
    .map((line) => ruleText(line))
    .filter((line) => line !== '')
    .slice(0, compiled.titleLines)
    .map((line) => `${line} `);
  const scores = new Map<string, number>();
  for (const code of compiled.codes) {
    let score = 0;
    for (const rule of compiled.rules.get(code) ?? []) {
      if (rule.signal !== null) {
        if (input.signals?.has(rule.signal)) score += rule.weight;
        continue;
      }
      if (rule.phrase === null || rule.phrase === '') continue;
      if (rule.titleWeight !== null && headings.some((line) => line.startsWith(`${rule.phrase} `))) {
        score += rule.titleWeight;
      } else if (body.includes(` ${rule.phrase} `)) {
        score += rule.weight;
      }
    }
    scores.set(code, score);
  }
  return scores;
}

/** At most this many features per document: a long document's first pages tell its type. */
export const MAX_DOC_TYPE_FEATURES = 4000;

/**
 * The distinct features of a text: folded words of two or more characters that are not only
 * digits (ID numbers, dates and amounts say nothing about the type and are personal), and the
 * pairs of such neighbouring words ("giay khai", "khai sinh").
 */
export function docTypeFeatures(text: string): string[] {
  const words = ruleText(text)
    .split(' ')
    .filter((word) => word.length >= 2 && !/^\d+$/.test(word));
  const features = new Set<string>();
  for (let i = 0; i < words.length && features.size < MAX_DOC_TYPE_FEATURES; i++) {
    const word = words[i] as string;
    features.add(word);
    const next = words[i + 1];
    if (next !== undefined) features.add(`${word} ${next}`);
  }
  return [...features];
}

/** What the learned model knows that is relevant to one text. */
export interface DocTypeEvidence {
  /** Per class: confirmed documents and the sum of their feature counts. */
  classes: ReadonlyMap<string, { documents: number; features: number }>;
  /** For each of the text's features that some confirmed document had: its count per class. */
  features: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Distinct features over all confirmed documents. */
  vocabulary: number;
}

/**
 * How strongly the pooled distribution holds a class back, in feature occurrences: a class needs
 * about this many feature occurrences (a few documents) before its own distribution dominates.
 */
export const DIRICHLET_STRENGTH = 400;
/** Learned log-likelihood ratios are scaled by this before adding rule weights. */
export const LEARNED_WEIGHT = 0.25;

/** Each class's learned score (log-likelihood ratio against the pool, scaled); 0 for classes never confirmed. */
export function learnedScores(features: readonly string[], evidence: DocTypeEvidence): Map<string, number> {
  const scores = new Map<string, number>();
  let pooledTotal = 0;
  for (const { features: n } of evidence.classes.values()) pooledTotal += n;
  if (pooledTotal === 0) return scores;
  const vocabulary = evidence.vocabulary + 1;
  for (const [code, { features: classTotal }] of evidence.classes) {
    if (classTotal === 0) continue;
    let llr = 0;
    for (const feature of features) {
      const perClass = evidence.features.get(feature);
      if (!perClass) continue;
      let pooled = 0;
      for (const n of perClass.values()) pooled += n;
      // Laplace-smoothed pool; the class is smoothed towards it.
      const pPool = (pooled + 1) / (pooledTotal + vocabulary);
      const pClass = ((perClass.get(code) ?? 0) + DIRICHLET_STRENGTH * pPool) / (classTotal + DIRICHLET_STRENGTH);
      llr += Math.log(pClass / pPool);
    }
    scores.set(code, LEARNED_WEIGHT * llr);
  }
  return scores;
}

export interface DocTypeSuggestion {
  /** The suggested type, or null when nothing reaches the minimum score. */
  code: string | null;
  /** The best types, highest first (at most 3), with their combined scores. */
  ranked: { code: string; score: number }[];
}

/** Rules plus (when given) what was learned: the best type, if it scores enough. */
export function suggestDocType(
  compiled: CompiledDocTypeRules,
  input: DocTypeInput,
  evidence?: DocTypeEvidence,
): DocTypeSuggestion {
  const scores = ruleScores(compiled, input);
  if (evidence) {
    for (const [code, learned] of learnedScores(docTypeFeatures(input.text), evidence)) {
      if (scores.has(code)) scores.set(code, (scores.get(code) ?? 0) + learned);
    }
  }
  const ranked = [...scores]
    .map(([code, score]) => ({ code, score: Math.round(score * 100) / 100 }))
    .sort((a, b) => b.score - a.score || compiled.codes.indexOf(a.code) - compiled.codes.indexOf(b.code))
    .slice(0, 3);
  const best = ranked[0];
  return { code: best && best.score >= compiled.minScore ? best.code : null, ranked };
}
