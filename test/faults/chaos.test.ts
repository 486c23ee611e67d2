/**
 * A few chaos rounds in the suite (bench/chaos.ts; `npm run chaos -- --rounds 20` for depth): the
 * real bot process SIGKILLed at a random moment while it indexes a new page, fans it out, takes
 * /import commands and sends digests, then restarted, against the emulator.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runChaos, type ChaosReport } from '../../bench/chaos.js';

let report: ChaosReport;
beforeAll(async () => {
  // Round 1 is killed the moment its page lands (as if it arrived while the bot was down), round 2
  // in the middle of its fan-out.
  report = await runChaos({ rounds: 2, instantChats: 30, dailyChats: 3, seed: 11, maxKillMs: 1200, kills: [0, 900], quietMs: 1500, say: (line) => console.log(`chaos: ${line}`) });
}, 180_000);

describe('SIGKILL at random moments, then a restart', () => {
  it('restarts every time; nothing sent twice; the database whole; every import all or nothing', () => {
    expect(report.rounds).toHaveLength(2);
    expect(report.failedStarts.filter((f) => !f.includes('did not settle'))).toEqual([]);
    expect(report.duplicates).toEqual([]);
    expect(report.damaged).toEqual([]);
    expect(report.halfImports).toEqual([]);
  });

  // Found by the chaos rounds: a page that the killed process had not fanned out yet (or that arrived
  // while the bot was down) is never pushed. At start run-bot.ts fans the archive out before the
  // search index is ready, and `news.matchTopic` matches nothing before ready, so the new items are
  // marked seen with no reader matched. Fix (run-bot.ts / page-fan-out.ts, the issue-13 helper's; or
  // the new archive of issue 10): fan out at start once search is ready. Remove `.fails` then.
  it('loses nothing: every instant reader has every round’s page', () => {
    expect(report.lost).toEqual([]);
  });
});
