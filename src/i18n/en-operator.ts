/** English texts of the operator's view (/stats). */
import type { OperatorTexts } from './messages.js';
import { formatMoment } from './operator-time.js';

export const enOperator: OperatorTexts = {
  stats: (s, timeZone) => {
    const at = (ms: number) => formatMoment(ms, timeZone);
    const lines = [
      `Status (${at(s.at)}, ${timeZone})`,
      `${s.pages} pages, ${s.items} items${s.skippedPages ? `; ${s.skippedPages} pages unreadable` : ''}`,
      s.newestPage ? `Newest page: ${s.newestPage.file}, arrived ${at(s.newestPage.arrivedAt)}; newest item dated ${s.newestDate ?? 'undated'}` : 'No page files yet',
      `${s.audience.readers} readers; ${s.audience.chatsWithTopics} chats with subscriptions, ${s.audience.topics} topics`,
      `Pushes in the last 24 h: ${s.pushes.queued} queued, ${s.pushes.sent} sent, ${s.pushes.failed} failed; ${s.queueDepth} waiting`,
    ];
    for (const page of s.skipped) lines.push(`⚠ ${page.file}: ${page.message}`);
    if (s.errors.length === 0) lines.push('No recent errors.');
    else {
      lines.push('Last errors:');
      for (const e of s.errors) lines.push(`· ${at(e.at)} [${e.source}] ${e.message}`);
    }
    return lines.join('\n');
  },
  statsFailed: (reason) => `The figures cannot be read right now: ${reason}`,
};
