/**
 * The seed page cut into raw article blocks for the tagger's tests, independent of the page parser:
 * a block runs from one `# ` headline to the next; photo captions (▲/▼) and the photo-news heading
 * are items of their own and are returned apart.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface RawArticle {
  title: string;
  subtitle: string | null;
  paragraphs: string[];
}

const SEED = fileURLToPath(new URL('../../seeds/000_6151b1adbe3a5f5a.txt', import.meta.url));

export function readSeedBlocks(): { articles: RawArticle[]; captions: string[] } {
  const articles: RawArticle[] = [];
  const captions: string[] = [];
  let current: RawArticle | null = null;
  for (const raw of readFileSync(SEED, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    if (/^[▲▼]/u.test(line)) captions.push(line.slice(1).trim());
    else if (line.startsWith('# ')) articles.push((current = { title: line.slice(2), subtitle: null, paragraphs: [] }));
    else if (line.startsWith('## ')) {
      if (current && current.paragraphs.length === 0 && current.subtitle === null) current.subtitle = line.slice(3);
      // Otherwise it heads photo news, not the article around it.
    } else current?.paragraphs.push(line);
  }
  return { articles, captions };
}

/** The article whose headline starts with `prefix`. */
export function seedArticle(prefix: string): RawArticle {
  const found = readSeedBlocks().articles.find((a) => a.title.replace(/^[“"]/u, '').startsWith(prefix));
  if (!found) throw new Error(`no seed article starts with ${prefix}`);
  return found;
}
