/**
 * jieba's IDF table (`word value` a line, 270,000 lines) kept as its text plus typed arrays and
 * looked up through an open-addressing hash, rather than as a Map of 270,000 strings: ~10 MB
 * instead of ~35 MB of live heap and as much garbage again while it is built, in every thread that
 * analyses items (two of them after a cold start).
 */
export interface IdfTable {
  /** The word's IDF, or undefined when the table lacks it. */
  get(word: string): number | undefined;
  /** The mean of all IDFs (what jieba's TF-IDF gives a word the table lacks). */
  readonly average: number;
  readonly size: number;
}

/** @example parseIdfTable('医保 9.5\n服务 3.1\n').get('医保') // 9.5 */
export function parseIdfTable(text: string): IdfTable {
  let lines = 1;
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lines++;
  const starts = new Int32Array(lines);
  const lengths = new Int32Array(lines);
  const values = new Float64Array(lines);
  let size = 0;
  let sum = 0;
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const space = text.indexOf(' ', start);
    if (space > start && space < end) {
      const value = Number(text.slice(space + 1, end));
      if (Number.isFinite(value)) {
        starts[size] = start;
        lengths[size] = space - start;
        values[size] = value;
        sum += value;
        size++;
      }
    }
    start = end + 1;
  }
  // At most half full: a miss ends after a probe or two.
  let capacity = 1;
  while (capacity < size * 2) capacity *= 2;
  const mask = capacity - 1;
  /** Entry number + 1 per slot (0: empty). */
  const slots = new Int32Array(capacity);
  /** The slot holding text[from, from + length), or -1 - the empty slot where it would go. */
  const find = (s: string, from: number, length: number): number => {
    let slot = hash(s, from, length) & mask;
    for (;;) {
      const entry = slots[slot]! - 1;
      if (entry < 0) return -1 - slot;
      if (lengths[entry] === length && equalAt(s, from, text, starts[entry]!, length)) return slot;
      slot = (slot + 1) & mask;
    }
  };
  let distinct = 0;
  for (let entry = 0; entry < size; entry++) {
    const slot = find(text, starts[entry]!, lengths[entry]!);
    // A word listed again takes its later value, as in a Map filled line by line.
    if (slot >= 0) slots[slot] = entry + 1;
    else {
      slots[-1 - slot] = entry + 1;
      distinct++;
    }
  }
  return {
    get(word) {
      const slot = find(word, 0, word.length);
      return slot < 0 ? undefined : values[slots[slot]! - 1];
    },
    average: distinct === 0 ? 0 : sum / distinct,
    size: distinct,
  };
}

function equalAt(a: string, aFrom: number, b: string, bFrom: number, length: number): boolean {
  for (let k = 0; k < length; k++) if (a.charCodeAt(aFrom + k) !== b.charCodeAt(bFrom + k)) return false;
  return true;
}

/** FNV-1a over UTF-16 code units. */
function hash(s: string, from: number, length: number): number {
  let h = 0x811c9dc5;
  for (let k = from; k < from + length; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
  return h >>> 0;
}
