/**
 * Re-laid pages like the seed's: `npx tsx bench/relaid-pages.ts [--pages N]`.
 *
 * The seed page's articles laid out again by the test generator and parsed; the share of articles
 * that come out exact (title, paragraphs, authors, photographers, credit), overall and for the
 * articles involved in a displacement, on three kinds of page:
 * - seed-like: every seed article in order, new column breaks, one tail displaced into the next
 *   article, endings and credits as real news has them (the measure);
 * - shuffled: a harder mix (2–9 articles shuffled, a displaced tail in about every other pair);
 * - seed, bare: the same without endings and credits (as the seed page itself is);
 * - complete: no column break, nothing displaced, endings and credits: must come out unchanged.
 */
import { parsePage } from '../src/pages/parse-page.js';
import { generatePage, type GeneratorOptions } from '../test/fixtures/page-generator.js';

const args = process.argv.slice(2);
const at = args.indexOf('--pages');
const pages = at >= 0 ? Number(args[at + 1]) : 1000;

function measure(label: string, options: GeneratorOptions): void {
  let total = 0;
  let exact = 0;
  let involved = 0;
  let involvedExact = 0;
  let unfinished = 0;
  let otherWarnings = 0;
  for (let seed = 1; seed <= pages; seed++) {
    const g = generatePage(seed, options);
    const parsed = parsePage(g.text, `gen-${seed}.txt`);
    const items = parsed.items.filter((i) => i.kind === 'article');
    const moved = new Set(g.displacements.flatMap((d) => [d.donor, d.host]));
    for (const w of parsed.report.warnings) {
      if (w.includes('最后一段没有结束')) unfinished++;
      else otherWarnings++;
    }
    g.articles.forEach((want, n) => {
      const got = items[n];
      const ok =
        got !== undefined &&
        got.title === want.title &&
        JSON.stringify(got.paragraphs) === JSON.stringify(want.paragraphs) &&
        JSON.stringify(got.authors) === JSON.stringify(want.authors) &&
        JSON.stringify(got.photographers) === JSON.stringify(want.photographers) &&
        (got.credit ?? null) === want.credit &&
        (got.origin ?? null) === want.origin;
      total++;
      if (ok) exact++;
      if (moved.has(n)) {
        involved++;
        if (ok) involvedExact++;
      }
    });
  }
  const pct = (a: number, b: number) => (b === 0 ? '–' : `${((100 * a) / b).toFixed(1)}%`);
  console.log(
    `${label.padEnd(11)} ${String(total).padStart(6)} articles  exact ${pct(exact, total).padStart(6)}  ` +
      `displaced exact ${involvedExact}/${involved} (${pct(involvedExact, involved)})  unfinished warnings ${unfinished}, others ${otherWarnings}`,
  );
}

console.log(`${pages} generated pages of each kind`);
measure('seed-like', { layout: 'seed', endingRate: 0.7 });
measure('seed, bare', { layout: 'seed' });
measure('shuffled', { endingRate: 0.7 });
measure('complete', { cutRate: 0, displaceRate: 0, endingRate: 0.9 });
