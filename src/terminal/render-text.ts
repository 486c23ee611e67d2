/**
 * Answers as plain text for the terminal chat: the same content a Telegram reader gets,
 * from the same catalogue, with matched words emphasised by a function the caller picks
 * (bold on a colour terminal, 【】 in a pipe).
 */
import type { Answer, MarkedText, ResultEntry } from '../answers/answer.js';
import type { Item } from '../pages/item.js';
import type { Messages } from '../i18n/messages.js';

export type Emphasis = (text: string) => string;

export const ansiBold: Emphasis = (text) => `\x1b[1m${text}\x1b[22m`;
export const brackets: Emphasis = (text) => `【${text}】`;

/** The text with every marked range passed through `emphasis`. */
export function markText(marked: MarkedText, emphasis: Emphasis): string {
  let out = '';
  let at = 0;
  for (const [start, end] of [...marked.marks].sort((a, b) => a[0] - b[0])) {
    if (start < at || end <= start) continue;
    out += marked.text.slice(at, start) + emphasis(marked.text.slice(start, end));
    at = end;
  }
  return out + marked.text.slice(at);
}

function meta(item: Item, messages: Messages): string {
  const parts = [item.county ?? messages.labels.cityLevel, messages.formatDate(item.date)];
  if (item.kind === 'photo') parts.push(messages.labels.photo);
  return parts.join(' · ');
}

function resultBlock(entry: ResultEntry, n: number, messages: Messages, emphasis: Emphasis): string {
  const lines = [`${n}. ${markText(entry.title, emphasis)}`, `   ${meta(entry.item, messages)}  [${entry.item.id}]`];
  if (entry.summary) lines.push(`   ${entry.summary}`);
  if (entry.snippet && entry.snippet.text.trim() !== entry.summary.trim()) {
    lines.push(`   …${markText(entry.snippet, emphasis)}`);
  }
  return lines.join('\n');
}

/** Renders one answer; `hints` adds the terminal's own navigation line under lists. */
export function renderText(answer: Answer, messages: Messages, emphasis: Emphasis, hints: { list: string; article: string }): string {
  switch (answer.kind) {
    case 'results': {
      const head = `${messages.listTitle(answer)} · ${messages.resultsHeader(answer.total, answer.page, answer.pageCount)}`;
      const note = [...(answer.match ? [messages.matchNote(answer.match)] : []), ...(answer.loading ? [`（${messages.stillLoading(answer.loading)}）`] : [])];
      const blocks = answer.results.map((entry, i) => resultBlock(entry, i + 1, messages, emphasis));
      return [head, ...note, '', blocks.join('\n\n'), '', hints.list].join('\n');
    }
    case 'no-results': {
      const lines = [messages.noResults(answer.query, answer.county)];
      if (answer.suggestions.length > 0) lines.push(messages.suggestionsLead + answer.suggestions.join(messages.listSeparator));
      lines.push(messages.browseCountiesLead + answer.counties.map((c) => messages.countyCount(c.name, c.count)).join(messages.listSeparator));
      return lines.join('\n');
    }
    case 'county-list': {
      const head = answer.unknown === null ? messages.countyListHeader : messages.unknownCounty(answer.unknown);
      const lines = answer.counties.map((c) => `  ${messages.countyCount(c.name, c.count)}`);
      if (answer.cityLevel > 0) lines.push(`  ${messages.cityLevelCount(answer.cityLevel)}`);
      if (answer.loading) lines.push(`（${messages.stillLoading(answer.loading)}）`);
      return [head, ...lines, messages.countyListFooter].join('\n');
    }
    case 'article': {
      const { item } = answer;
      const lines = [item.title];
      if (item.subtitle) lines.push(item.subtitle);
      lines.push(meta(item, messages));
      if (item.authors.length > 0) lines.push(messages.byline(item.authors));
      lines.push('');
      lines.push(...item.paragraphs.flatMap((p) => [p, '']));
      if (item.photographers.length > 0) lines.push(messages.photoCredit(item.photographers), '');
      lines.push(hints.article);
      return lines.join('\n');
    }
    case 'related': {
      const head = messages.relatedTitle(answer.item.title);
      if (answer.results.length === 0) return [head, messages.relatedNone].join('\n');
      return [head, '', answer.results.map((entry, i) => resultBlock(entry, i + 1, messages, emphasis)).join('\n\n')].join('\n');
    }
    case 'problem':
      return messages.problem[answer.problem](answer);
  }
}
