/**
 * One page's text → its items (articles and photo captions), in reading order.
 *
 * Markup: `# ` headline; `## ` right under a headline (before any body) is its subheadline, elsewhere
 * it titles the photo caption next to it (the caption right after it, else the one right before it);
 * the first short line of names after the headline is the byline; `▲`/`▼` lines are captions, each
 * its own `photo` item. Counties are left empty here: tagging is the places module's job.
 */
import { parseByline } from './byline.js';
import { assignItemIds } from './item-id.js';
import type { Item } from './item.js';
import { repairLayout, type RepairOptions } from './layout-repair.js';
import { dateFromFileName, dateLine } from './page-date.js';
import { CAPTION_MARK, derivedTitle, parseCaption, type Caption } from './photo-caption.js';
import { normaliseLineEnds } from './decode-page.js';
import { readEnding } from './news-ending.js';

export interface PageReport {
  items: number;
  paragraphsJoined: number;
  blocksMoved: number;
  warnings: string[];
}

export interface ParsedPage {
  file: string;
  date: string | null;
  /** Items in reading order, `counties: []` and `county: null` until a tagger fills them. */
  items: Item[];
  report: PageReport;
  /** Ids of items whose title is not page text but derived from their first clause (photo captions without a heading). */
  derivedTitleIds: string[];
}

interface ArticleDraft {
  type: 'article';
  title: string;
  /** True when the text had no headline (text before the first headline): the title is derived. */
  untitled: boolean;
  subtitle: string | null;
  authors: string[];
  blocks: string[];
  /** Still right under the headline: a `## ` here is the subheadline, a line of names the byline. */
  atTop: boolean;
}

interface PhotoDraft {
  type: 'photo';
  heading: string | null;
  caption: Caption;
}

type Draft = ArticleDraft | PhotoDraft;

const HEADLINE = /^#(?!#)[\s\u3000]*(.*)$/u;
const HEADING = /^#{2,}[\s\u3000]*(.*)$/u;

export interface ParsePageOptions {
  repair?: RepairOptions;
}

/**
 * Parses one page. `date` overrides the page's own date (file name, then `date:` line) when given.
 * Never throws on odd text: what it cannot place is kept as text and reported in `report.warnings`.
 * @example parsePage('# 标题\n\n张三\n\n正文。', '2023-10-31.txt').items[0].authors // ['张三']
 */
export function parsePage(text: string, file: string, date?: string | null, options: ParsePageOptions = {}): ParsedPage {
  const warnings: string[] = [];
  let body = normaliseLineEnds(text);
  const meta = dateLine(body);
  if (meta) {
    body = meta.text;
    if (!meta.date) warnings.push('date: 行的日期无效，已忽略');
  }
  const fileDate = dateFromFileName(file);
  if (fileDate && meta?.date && fileDate !== meta.date) {
    warnings.push(`文件名日期 ${fileDate} 与 date: 行 ${meta.date} 不一致，采用文件名日期`);
  }
  const pageDate = date !== undefined ? date : (fileDate ?? meta?.date ?? null);

  const drafts = readDrafts(body, warnings);
  const articles = drafts.filter((d): d is ArticleDraft => d.type === 'article');
  const repaired = repairLayout(
    articles.map((a) => ({ heading: `${a.title}\n${a.subtitle ?? ''}`, blocks: a.blocks, label: a.title || '无标题' })),
    options.repair,
  );
  warnings.push(...repaired.warnings);

  const derived: boolean[] = [];
  let articleIndex = 0;
  const partial = drafts.map((draft, index): Omit<Item, 'id'> => {
    if (draft.type === 'article') {
      // Closing credits are metadata, not body text.
      const ending = readEnding(repaired.paragraphs[articleIndex++]!);
      const paragraphs = ending.body;
      derived.push(draft.untitled);
      return {
        kind: 'article',
        title: draft.untitled ? derivedTitle(paragraphs[0] ?? '') : draft.title,
        subtitle: draft.subtitle,
        authors: [...draft.authors, ...ending.authors.filter((name) => !draft.authors.includes(name))],
        photographers: ending.photographers,
        date: pageDate,
        counties: [],
        county: null,
        paragraphs,
        ...(ending.credit === null ? {} : { credit: ending.credit, origin: ending.origin }),
        source: { file, index },
      };
    }
    derived.push(draft.heading === null);
    return {
      kind: 'photo',
      // A caption that is only a credit is titled by it, never left blank.
      title: draft.heading ?? (derivedTitle(draft.caption.text) || creditTitle(draft.caption)),
      subtitle: null,
      authors: [],
      photographers: draft.caption.photographers,
      date: pageDate,
      counties: [],
      county: null,
      paragraphs: draft.caption.text ? [draft.caption.text] : [],
      source: { file, index },
    };
  });
  const ids = assignItemIds(
    partial.map((p) => ({ file, kind: p.kind, title: p.title, text: p.paragraphs.join('') })),
  );
  const items: Item[] = partial.map((p, i) => ({ id: ids[i]!, ...p }));
  return {
    file,
    date: pageDate,
    items,
    report: {
      items: items.length,
      paragraphsJoined: repaired.paragraphsJoined,
      blocksMoved: repaired.blocksMoved,
      warnings,
    },
    derivedTitleIds: items.filter((_, i) => derived[i]).map((it) => it.id),
  };
}

/** The title of a caption that has nothing but its credit: `张三 摄` (or `图片` with no names either). */
function creditTitle(caption: Caption): string {
  return caption.photographers.length > 0 ? `${caption.photographers.join(' ')} 摄` : '图片';
}

type Line = { kind: 'headline' | 'heading' | 'caption' | 'text'; text: string };

function classify(raw: string): Line | null {
  const line = raw.trim();
  if (!line) return null;
  const headline = HEADLINE.exec(line);
  if (headline) return { kind: 'headline', text: (headline[1] ?? '').trim() };
  const heading = HEADING.exec(line);
  if (heading) return { kind: 'heading', text: (heading[1] ?? '').trim() };
  if (CAPTION_MARK.test(line)) return { kind: 'caption', text: line };
  return { kind: 'text', text: line };
}

/** Walks the lines once, building articles and photos in reading order. */
function readDrafts(body: string, warnings: string[]): Draft[] {
  const lines = body.split('\n').map(classify).filter((l): l is Line => l !== null);
  const drafts: Draft[] = [];
  let article: ArticleDraft | null = null;
  let orphanWarned = false;
  let pendingHeading: string | null = null;

  const textBlock = (text: string): void => {
    if (!article) {
      article = { type: 'article', title: '', untitled: true, subtitle: null, authors: [], blocks: [], atTop: false };
      drafts.push(article);
      if (!orphanWarned) warnings.push(`无标题的文字（${[...text].slice(0, 12).join('')}…）单独成篇`);
      orphanWarned = true;
    }
    article.blocks.push(text);
    article.atTop = false;
  };

  lines.forEach((line, n) => {
    switch (line.kind) {
      case 'headline': {
        if (!line.text) {
          warnings.push('空标题行（只有 #），已忽略');
          return;
        }
        article = { type: 'article', title: line.text, untitled: false, subtitle: null, authors: [], blocks: [], atTop: true };
        drafts.push(article);
        return;
      }
      case 'heading': {
        if (!line.text) {
          warnings.push('空小标题行（只有 ##），已忽略');
          return;
        }
        if (article && article.atTop && article.subtitle === null && article.authors.length === 0) {
          article.subtitle = line.text;
          return;
        }
        // A photo-news heading: the caption right after it, else the untitled caption right before it.
        const next = lines[n + 1];
        if (next?.kind === 'caption') {
          pendingHeading = line.text;
          return;
        }
        const previous = drafts[drafts.length - 1];
        if (lines[n - 1]?.kind === 'caption' && previous?.type === 'photo' && previous.heading === null) {
          previous.heading = line.text;
          return;
        }
        warnings.push(`小标题“${line.text}”旁没有图片说明，作为正文保留`);
        textBlock(line.text);
        return;
      }
      case 'caption': {
        const caption = parseCaption(line.text);
        const previous = drafts[drafts.length - 1];
        // A credit alone (`▲ 张三 摄`) belongs to the photo captioned just before it, if that has none.
        if (caption.text === '' && pendingHeading === null && previous?.type === 'photo' && previous.caption.photographers.length === 0) {
          previous.caption.photographers.push(...caption.photographers);
          return;
        }
        drafts.push({ type: 'photo', heading: pendingHeading, caption });
        pendingHeading = null;
        if (article) article.atTop = false;
        return;
      }
      case 'text': {
        if (article && article.atTop && article.authors.length === 0) {
          const names = parseByline(line.text);
          if (names) {
            article.authors = names;
            return;
          }
        }
        textBlock(line.text);
        return;
      }
    }
  });
  return drafts;
}
