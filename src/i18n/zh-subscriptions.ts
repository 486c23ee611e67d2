/** Simplified Chinese texts of subscriptions, pushes and digests (part of the `zh` catalogue). */
import type { DeliveryDescription, ImportProblem, ImportSkipReason, SubscriptionTexts } from './messages.js';

function deliveryPhrase(d: DeliveryDescription): string {
  if (d.paused) return '推送目前已暂停，新文章会先存着，发送 /digest 查看，或在 /settings 里恢复推送。';
  return d.mode === 'instant' ? '有新文章时我会立即推送给你。' : `新文章会在每天 ${d.digestTime} 的摘要里发给你。`;
}

const SKIP: Record<ImportSkipReason, string> = {
  duplicate: '已订阅',
  limit: '超过 20 个上限',
  empty: '内容为空',
  'too-long': '太长',
  invalid: '格式不对',
};

const PROBLEM: Record<ImportProblem, string> = {
  'too-large': '文件太大了，这不像是 /export 导出的订阅文件。',
  'not-json': '读不懂这个文件：它不是 /export 导出的订阅文件（JSON 格式）。',
  'wrong-format': '这不是本机器人的订阅文件。请发送 /export 导出的文件。',
  'unsupported-version': '这个订阅文件来自更新版本的机器人，暂时无法导入。',
  'download-failed': '下载文件失败，请稍后再发一次。',
};

export const zhSubscriptions: SubscriptionTexts = {
  subscribeUsage: [
    '请在 /subscribe 后面写上要订阅的话题，例如：',
    '/subscribe 开化',
    '/subscribe 停车场 江山',
    '写法和搜索一样：多个词用空格分开（都要出现）；-词 排除；"…" 要求完整短语；加区县名只看该区县。',
  ].join('\n'),
  subscribed: (query, n, d) =>
    `已订阅“${query}”。现在有 ${n} 篇相关文章（发送 /search ${query} 查看）。\n${deliveryPhrase(d)}`,
  alreadySubscribed: (query) => `你已经订阅了“${query}”。发送 /subscriptions 查看全部订阅。`,
  topicLimit: (max) => `最多可以订阅 ${max} 个话题。请先用 /unsubscribe 取消一些。`,
  topicTooLong: (max) => `话题太长了（最多 ${max} 个字），请用几个关键词，例如：/subscribe 停车场 江山`,
  noSearchableWords: (query) => `“${query}”里没有可以搜索的词，请换个关键词，例如：/subscribe 医保`,

  listTitle: (count, max) => `你的订阅（${count}/${max}）：`,
  listEmpty: '你还没有订阅任何话题。例如：/subscribe 开化',
  listFooter: '点下面的按钮取消对应的订阅；也可以发送 /unsubscribe 话题。',
  removeButton: (query) => `✕ ${query}`,
  unsubscribed: (query) => `已取消订阅“${query}”。`,
  notSubscribed: (query) => `你没有订阅“${query}”。发送 /subscriptions 查看全部订阅。`,
  topicGone: '这个订阅已经取消了。',

  digestNothingNew: (d) =>
    d.mode === 'instant' && !d.paused
      ? '自上次摘要以来没有待发的新文章（即时推送模式下，新文章会在版面收录后立即发给你）。'
      : '自上次摘要以来没有新文章。',

  settingsSummary: (d) =>
    [
      `推送方式：${d.mode === 'instant' ? '即时推送' : `每日摘要（每天 ${d.digestTime}，${d.timeZone}）`}`,
      `状态：${d.paused ? '已暂停' : '正常推送'}`,
    ].join('\n'),
  settingsHint: '点按钮更改；也可以发送 /settings 时间 07:30 设定每日摘要的时间。',
  settingsUsage: '用法：/settings 即时、/settings 每日、/settings 时间 07:30、/settings 暂停、/settings 恢复。',
  badDigestTime: (value) => `“${value}”不是有效的时间，请用 24 小时制，例如：/settings 时间 07:30`,
  settingsSaved: (d) => `已保存。${d.paused ? '推送已暂停。' : d.mode === 'instant' ? '新文章会立即推送。' : `每天 ${d.digestTime} 发送摘要。`}`,
  flushingHeld: (count) => `之前存着的 ${count} 篇新文章马上发给你。`,
  buttons: {
    instant: '即时推送',
    daily: '每日摘要',
    pause: '暂停推送',
    resume: '恢复推送',
    time: (time) => time,
  },

  adminOnly: '在群组里只有管理员可以更改订阅。',
  adminCheckFailed: '暂时无法确认你是不是群管理员，请稍后再试。',

  exportCaption: '这是本聊天的订阅。以后把这个文件发给我，并在说明里写 /import，就能导入（也可以在别的聊天导入）。',
  exportAsText: '文件发送失败，下面是订阅内容的文字版。导入时发送 /import 加上这段文字（从 { 到 }）：',
  exportFileName: '衢州新闻订阅.json',
  importUsage: '请把 /export 导出的文件发给我，并在说明里写 /import；或回复那个文件发送 /import；也可以发送 /import 加上导出的文字。',
  importProblem: (problem) => PROBLEM[problem],
  importDone: (added, skipped, settingsApplied) => {
    const lines = [added.length > 0 ? `已导入 ${added.length} 个话题：${added.join('、')}` : '没有导入新的话题。'];
    if (skipped.length > 0) {
      lines.push(`跳过 ${skipped.length} 个：${skipped.map((s) => `${s.query}（${SKIP[s.reason]}）`).join('、')}`);
    }
    if (settingsApplied) lines.push('推送设置也已按文件更新。');
    return lines.join('\n');
  },

  pushTitle: (n) => `订阅的新文章（${n} 篇）`,
  digestTitle: (n) => `订阅摘要：${n} 篇新文章`,
  topicHeading: (query) => `话题“${query}”`,
  continued: (part, parts) => `（续 ${part}/${parts}）`,
};
