import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** An article as these tests need it: headline and body paragraphs, straight from the seed page. */
export interface SeedArticle {
  title: string;
  paragraphs: string[];
}

export const SEED_FILE = fileURLToPath(new URL('../../seeds/000_6151b1adbe3a5f5a.txt', import.meta.url));

/** The seed page's raw text. */
export function readSeedText(): string {
  return readFileSync(SEED_FILE, 'utf8');
}

/**
 * A deliberately naive reading of the seed page, so the text tests do not depend on the parser:
 * `# ` starts an article, `## ` lines, bylines and photo captions (▲ ▼) are skipped, and a block
 * that does not end a sentence is joined with the next one (the page breaks lines at columns).
 */
export function readSeedArticles(): SeedArticle[] {
  const articles: SeedArticle[] = [];
  for (const chunk of readSeedText().split(/^# /m).slice(1)) {
    const [titleLine = '', ...rest] = chunk.split('\n');
    const blocks = rest
      .join('\n')
      .split(/\n\s*\n/)
      .map((b) => b.replace(/\s*\n\s*/g, '').trim())
      .filter((b) => b !== '' && !b.startsWith('#') && !/^[▲▼]/.test(b));
    // The byline: a short first block of names without punctuation.
    if (blocks[0] !== undefined && blocks[0].length <= 12 && !/[，。、]/.test(blocks[0])) blocks.shift();
    const paragraphs: string[] = [];
    let open = false;
    for (const block of blocks) {
      if (open && paragraphs.length > 0) paragraphs[paragraphs.length - 1] += block;
      else paragraphs.push(block);
      open = !/[。！？…”」』）]$/.test(block);
    }
    articles.push({ title: titleLine.trim(), paragraphs });
  }
  return articles;
}
