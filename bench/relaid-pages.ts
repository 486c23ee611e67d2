/**
 * Re-laid pages like the seed's: `npx tsx bench/relaid-pages.ts [--pages N]`.
 *
 * The seed page's articles laid out again by the test generator (new column breaks, shuffled order,
 * a tail displaced into the next article, captions in between, endings and credits as real news has
 * them) and parsed: the share of articles that come out exact (paragraphs, authors, credits), overall
 * and for the articles involved in a displacement.
 */
import { parsePage } from '../src/pages/parse-page.js';
import { generatePage } from '../test/fixtures/page-generator.js';

const args = process.argv.slice(2);
const at = args.indexOf('--pages');
const pages = at >= 0 ? Number(args[at + 1]) : 1000;

let total = 0;
let exact = 0;
let involved = 0;
let involvedExact = 0;
let unfinished = 0;
for (let seed = 1; seed <= pages; seed++) {
  const g = generatePage(seed);
  const parsed = parsePage(g.text, `gen-${seed}.txt`);
  const items = parsed.items.filter((i) => i.kind === 'article');
  const moved = new Set(g.displacements.flatMap((d) => [d.donor, d.host]));
  unfinished += parsed.report.warnings.filter((w) => w.includes('最后一段没有结束')).length;
  g.articles.forEach((want, n) => {
    const got = items[n];
    const ok =
      got !== undefined &&
      got.title === want.title &&
      JSON.stringify(got.paragraphs) === JSON.stringify(want.paragraphs) &&
      JSON.stringify(got.authors) === JSON.stringify(want.authors) &&
      JSON.stringify((got as { credits?: unknown }).credits ?? null) === JSON.stringify((want as { credits?: unknown }).credits ?? null);
    total++;
    if (ok) exact++;
    if (moved.has(n)) {
      involved++;
      if (ok) involvedExact++;
    }
  });
}
const pct = (a: number, b: number) => `${((100 * a) / b).toFixed(1)}%`;
console.log(`${pages} generated pages, ${total} articles`);
console.log(`exact articles            ${exact} (${pct(exact, total)})`);
console.log(`exact, where displaced    ${involvedExact} of ${involved} (${pct(involvedExact, involved)})`);
console.log(`"unfinished" warnings     ${unfinished}`);
