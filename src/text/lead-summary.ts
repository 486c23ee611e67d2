/**
 * Summaries to show while the real ones (TextRank over jieba words, computed on a worker) are not
 * there yet: the lead sentences, chosen by the summariser's own rules with no words to rank by
 * (every sentence then ties but for the lead bias), so quotations stay whole and an over-long first
 * sentence is cut at a clause. No jieba: a starting bot shows them before any dictionary is loaded.
 */
import { splitSentences } from './sentences.js';
import { summarizeCut } from './summarize.js';

/** Text past this many times the limit is never chosen (lead bias): not worth splitting. */
const LEAD_TEXT_FACTOR = 4;

/**
 * @example leadSummary(['第一句。第二句。'], 120) // '第一句。第二句。'
 */
export function leadSummary(paragraphs: readonly string[], maxChars: number): string {
  return summarizeCut(leadParagraphs(paragraphs, LEAD_TEXT_FACTOR * maxChars), () => [], { maxChars });
}

/** The leading paragraphs up to about `budget` characters, the last one cut at a sentence end. */
function leadParagraphs(paragraphs: readonly string[], budget: number): string[] {
  const out: string[] = [];
  let length = 0;
  for (const paragraph of paragraphs) {
    if (length + paragraph.length <= budget) {
      out.push(paragraph);
      length += paragraph.length;
      continue;
    }
    let kept = '';
    for (const sentence of splitSentences(paragraph)) {
      if (length + kept.length >= budget) break;
      kept += sentence;
    }
    if (kept !== '') out.push(kept);
    break;
  }
  return out;
}
