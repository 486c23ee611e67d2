/** Simplified Chinese texts of the operator's view (/stats). */
import type { OperatorTexts } from './messages.js';
import { formatMoment } from './operator-time.js';

export const zhOperator: OperatorTexts = {
  stats: (s, timeZone) => {
    const at = (ms: number) => formatMoment(ms, timeZone);
    const lines = [
      `运行状况（${at(s.at)}，${timeZone}）`,
      `版面 ${s.pages} 个，稿件 ${s.items} 篇${s.skippedPages ? `，${s.skippedPages} 个版面无法读取` : ''}`,
      s.newestPage ? `最新版面：${s.newestPage.file}，${at(s.newestPage.arrivedAt)} 到达；最新稿件日期 ${s.newestDate ?? '未注明'}` : '还没有版面文件',
      `读者 ${s.audience.readers} 位；有订阅的聊天 ${s.audience.chatsWithTopics} 个，话题 ${s.audience.topics} 个`,
      `近 24 小时推送：排队 ${s.pushes.queued}，已发送 ${s.pushes.sent}，失败 ${s.pushes.failed}；待发送 ${s.queueDepth}`,
    ];
    for (const page of s.skipped) lines.push(`⚠ ${page.file}：${page.message}`);
    if (s.errors.length === 0) lines.push('最近没有错误。');
    else {
      lines.push('最近的错误：');
      for (const e of s.errors) lines.push(`· ${at(e.at)} [${e.source}] ${e.message}`);
    }
    return lines.join('\n');
  },
  statsFailed: (reason) => `统计数据暂时读不出来：${reason}`,
};
