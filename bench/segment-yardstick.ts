/**
 * The yardstick: raw nodejieba segmentation (`cut(text, true)`, jieba's default dictionary, no user
 * words) of every item's text in the archive, on one core. Run as its own process by the benchmark;
 * prints one JSON line. Reading the files and loading the dictionary are timed apart from cutting.
 * It also counts the archive's distinct words as jieba sees them (outside the timed part).
 *
 * Usage: tsx bench/segment-yardstick.ts <pagesDir>
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import nodejieba from 'nodejieba';

/** A page's items as plain text: split at headlines and caption lines, markup removed. */
function itemTexts(page: string): string[] {
  const items: string[] = [];
  let current: string[] = [];
  const flush = (): void => {
    if (current.length > 0) items.push(current.join('\n'));
    current = [];
  };
  for (const raw of page.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (/^#(?!#)/u.test(line) || /^[▲▼]/u.test(line)) flush();
    current.push(line.replace(/^#+\s*|^[▲▼]\s*/u, ''));
  }
  flush();
  return items;
}

function main(): void {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: segment-yardstick <pagesDir>');
  let t = performance.now();
  const texts = readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .flatMap((f) => itemTexts(readFileSync(join(dir, f), 'utf8')));
  const readMs = performance.now() - t;
  t = performance.now();
  nodejieba.load();
  const loadMs = performance.now() - t;
  const distinct = new Set<string>();
  let cutMs = 0;
  let tokens = 0;
  let chars = 0;
  for (const text of texts) {
    const start = performance.now();
    const words = nodejieba.cut(text, true);
    cutMs += performance.now() - start;
    chars += text.length;
    tokens += words.length;
    for (const w of words) if (/[\p{L}\p{N}]/u.test(w)) distinct.add(w);
  }
  process.stdout.write(`${JSON.stringify({ items: texts.length, chars, tokens, distinctWords: distinct.size, readMs, loadMs, cutMs })}\n`);
}

main();
