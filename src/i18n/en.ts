/** English, for readers whose Telegram client language is English. */
import { enOperator } from './en-operator.js';
import { enSubscriptions } from './en-subscriptions.js';
import type { Messages } from './messages.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function formatDate(isoDate: string | null): string {
  const match = isoDate ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate) : null;
  if (!match) return isoDate ?? 'undated';
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1] ?? match[2]} ${match[1]}`;
}

export const en: Messages = {
  language: 'en',

  greeting: [
    'Hello! I am the Quzhou news assistant.',
    'I read every page of the paper: search articles, see the latest, browse by county, each with a short summary.',
    'Send any words to search, or subscribe to a topic and I will tell you about new articles.',
  ].join('\n'),
  helpTitle: 'Commands:',
  commands: [
    { command: 'search', description: 'Search articles', example: '/search 医保' },
    { command: 'latest', description: 'Latest articles', example: '/latest' },
    { command: 'county', description: 'Browse by county', example: '/county 开化' },
    { command: 'subscribe', description: 'Subscribe to a topic', example: '/subscribe 停车场 江山' },
    { command: 'subscriptions', description: 'Your subscriptions', example: '/subscriptions' },
    { command: 'unsubscribe', description: 'Remove a subscription', example: '/unsubscribe' },
    { command: 'digest', description: 'Send my digest now', example: '/digest' },
    { command: 'settings', description: 'Instant pushes or a daily digest', example: '/settings' },
    { command: 'export', description: 'Export subscriptions as a file', example: '/export' },
    { command: 'import', description: 'Import subscriptions from a file', example: '/import' },
    { command: 'help', description: 'Help', example: '/help' },
  ],
  helpFooter:
    'Tip: any text you send is a search. Separate words with spaces; -word excludes; "…" requires the exact phrase; add a county name to see only that county, e.g. 停车场 江山.',

  problem: {
    'empty-query': () => 'Write what to look for after /search, e.g. /search 医保\nOr just send the words.',
    'query-too-long': () => 'That search is too long. Use a few key words, e.g. /search 停车场 江山',
    'no-searchable-words': (p) =>
      `“${p.input}” has no words to search for (only punctuation, emoji or common particles). Try e.g. /search 医保`,
    'page-out-of-range': (p) =>
      p.pageCount ? `That page does not exist; there are ${p.pageCount}. Search again or start from page 1.` : 'That page does not exist. Please search again.',
    'unknown-article': () => 'That article cannot be found; it may have been removed or updated. Try /search again.',
    'not-ready': () => 'The index is still being built, please search again in a moment; /latest and /county already work.',
    'no-items': () => 'No articles have been collected yet. Please come back later.',
    'still-loading': (p) =>
      p.loading
        ? `Articles are still loading (${p.loading.pages} of ${p.loading.totalPages} pages so far). Please try again in a moment.`
        : 'Articles are still loading. Please try again in a moment.',
  },

  listTitle: (h) => {
    if (h.command === 'latest') return 'Latest articles';
    if (h.command === 'county') return `Articles from ${h.county ?? h.query}`;
    return h.county ? `Search “${h.query}” (${h.county})` : `Search “${h.query}”`;
  },
  resultsHeader: (total, page, pageCount) => `${total} found, page ${page}/${pageCount}`,
  stillLoading: (note) => `Older articles are still loading (${note.pages} of ${note.totalPages} pages so far)`,
  noResults: (query, county) =>
    county ? `Nothing found for “${query}” in ${county}.` : `Nothing found for “${query}”.`,
  suggestionsLead: 'Try these words: ',
  browseCountiesLead: 'Or browse by county:',

  countyListHeader: 'Browse by county:',
  unknownCounty: (name) => `There is no county called “${name}”. Quzhou's counties are:`,
  countyCount: (name, count) => `${name} ${count}`,
  cityLevelCount: (count) => `City news (citywide) ${count}`,
  countyListFooter: 'Tap a button below, or send /county and a name, e.g. /county 开化',

  unknownCommand: (command) => `There is no ${command} command. Send /help for all commands; any plain text is a search.`,
  rateLimited: 'You are sending too fast; please wait a few seconds.',
  expired: 'This result has expired, please search again',
  apology: 'Sorry, something went wrong. Please try again later.',
  inlineHint: (query) => (query ? `Nothing found for “${query}”` : 'Type words to search Quzhou news'),
  inlineHintDescription: 'e.g. 医保, 停车场, 开化',

  labels: {
    previousPage: 'Previous',
    nextPage: 'Next',
    readFull: 'Read in full',
    fullText: 'Full text',
    photographer: 'photo',
    cityLevel: 'City news',
    cityWide: 'Citywide',
    undated: 'undated',
    keywords: 'Keywords',
    summary: 'Summary',
    author: 'By',
    photo: 'Photo news',
  },

  formatDate,
  byline: (authors) => `By ${authors.join(', ')}`,
  photoCredit: (photographers) => `Photo: ${photographers.join(', ')}`,
  readButton: (n, title) => `${n}. ${title}`,
  matchNote: (match) =>
    match === 'words'
      ? 'No exact match; these items have each of the words apart:'
      : match === 'partial'
        ? 'No item has all the words; these have some of them:'
        : 'No exact match; these are near matches (the characters close together):',
  relatedButton: 'Related',
  relatedTitle: (title) => `Related to “${title}”`,
  relatedNone: 'No related items yet.',
  inlineCompletion: (word, count) => `Search “${word}” (${count})`,
  articlePart: (part, parts) => `(continued ${part}/${parts})`,
  listSeparator: ', ',

  subscriptions: enSubscriptions,
  operator: enOperator,
};
