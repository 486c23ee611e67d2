/**
 * How hard the fuzz tests try. The suite runs a few dozen seeded cases per property (seconds);
 * `FUZZ_RUNS=2000 npx vitest run test/fuzz` goes deeper, `FUZZ_SEED=…` replays another sequence
 * (fast-check prints the seed and path of any failure to replay it exactly).
 */
import fc from 'fast-check';

/** Cases per property: `FUZZ_RUNS`, or `fallback` in the ordinary suite. */
export function fuzzRuns(fallback: number): number {
  const raw = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(raw) && raw > 0 ? raw : fallback;
}

export const FUZZ_SEED = Number.isInteger(Number(process.env.FUZZ_SEED)) && process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : 20_261_203;

/** fast-check's parameters for one property. */
export function fuzzParameters(fallbackRuns: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: fuzzRuns(fallbackRuns), endOnFailure: true };
}

/** A vitest timeout that grows with the runs asked for. */
export function fuzzTimeout(fallbackRuns: number, msPerRun: number): number {
  return Math.max(60_000, fuzzRuns(fallbackRuns) * msPerRun * 2);
}

const PIECES = [
  // Right-to-left text and marks, bidi overrides
  'مرحبا', 'שלום', '\u202E', '\u202D', '\u200F', '\u061C',
  // Zero-width joiners and emoji sequences (family, flag, skin tone, keycap)
  '\u200D', '\u200B', '\uFEFF', '👨‍👩‍👧‍👦', '🇨🇳', '👍🏽', '1️⃣', '🏳️‍🌈',
  // Control characters, a lone surrogate, NUL
  '\u0000', '\u0007', '\u001B[31m', '\r', '\n', '\t', '\u0085', '\u2028', '\uD800', '\uDFFF',
  // The search syntax: operators, quotes (balanced and not), brackets
  '-', '--', '"', '“', '”', '「', '」', '(', ')', '*', 'OR', 'AND', 'NOT', ':', '^', '~', '\\', '%', '_', '\'',
  // HTML that must stay text
  '<b>', '</i>', '&amp;', '<a href="x">', '&',
  // What readers type
  '医保', '停车场', '江山', '开化县', '衢州', '硅烷', '茶', ' ', '　', '，', '。', '醫保', 'ＡＢＣ',
  // Commands inside text
  '/search', '/start', '@QuzhouNewsBot',
];

/** Text a hostile or unlucky reader might send: pieces above mixed with any Unicode. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'grapheme', maxLength: 4 }), fc.string({ unit: 'binary', maxLength: 3 })), { maxLength: 24 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 60 }) },
  // Long: up to and just past Telegram's 4,096 characters
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PIECES), fc.integer({ min: 1000, max: 4200 })).map(([piece, n]) => piece.repeat(Math.ceil(n / Math.max(1, piece.length))).slice(0, n)) },
  // Only operators and quotes
  { weight: 1, arbitrary: fc.array(fc.constantFrom('-', '"', '“', '”', ' ', '--', '-"'), { minLength: 1, maxLength: 12 }).map((p) => p.join('')) },
);
