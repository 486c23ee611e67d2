/**
 * The worker side of `page-workers.ts`: parses, tags and indexes the page files it is sent, one at a
 * time, writes each to the page cache and posts back the page (summaries, keywords) with its terms
 * already made into a postings segment (`prepareTerms`), whose buffers move to the main thread
 * without a copy: the main thread only appends it to the index.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadPageBytes, readPageFile } from '../pages/load-pages.js';
import { placeWords } from '../places/county-names.js';
import { createCountyTagger } from '../places/county-tagger.js';
import { loadGazetteer } from '../places/gazetteer.js';
import { prepareTerms, transferablesOf } from '../search/prepared-terms.js';
import { useJiebaElsewhere } from '../text/segmenter.js';
import { indexPageOnce } from './indexed-page.js';
import { createItemAnalyzer } from './item-analysis.js';
import { jiebaOverLink, serveJieba } from './jieba-thread.js';
import { pageHash, writeIndexedPage } from './page-cache.js';
import type { PageJob, PageJobResult, PageWorkerData } from './page-workers.js';

/** Runs in a worker thread: called by the pool's boot code, never at import. The jieba thread starts here too. */
export function runPageWorker(): void {
  if ((workerData as { role?: string } | null)?.role === 'jieba') return serveJieba();
  const port = parentPort;
  if (!port) throw new Error('page-worker: not in a worker thread');
  const data = workerData as PageWorkerData;
  if (data.jieba) useJiebaElsewhere(jiebaOverLink(data.jieba));
  // The main thread wrote the gazetteer's cache before starting workers: this is a file read.
  const gazetteer = loadGazetteer(data.region, { cacheDir: data.dataDir });
  const tag = createCountyTagger(gazetteer);
  const analyzer = createItemAnalyzer(placeWords(gazetteer));
  port.on('message', (job: PageJob) => {
    void (async () => {
      let reply: PageJobResult;
      let transfer: ArrayBuffer[] = [];
      try {
        const read = await readPageFile(data.seedsDir, job.file);
        const loaded = read.ok ? loadPageBytes(job.file, read.bytes, { tag }) : read;
        if (!loaded.ok) reply = { file: job.file, hash: job.hash, skipped: loaded.skipped };
        else {
          const { indexed, terms } = indexPageOnce(loaded.page, analyzer, data.summaryMaxChars, data.grams);
          // Cached under the hash only if the file is still what was hashed (it may have changed since).
          const same = read.ok && job.hash !== null && pageHash(job.file, read.bytes) === job.hash;
          if (same) writeIndexedPage(data.cacheDir, job.hash!, indexed);
          const { page, summaries, keywords } = indexed;
          const prepared = prepareTerms(terms, data.grams);
          reply = { file: job.file, hash: same ? job.hash : null, indexed: { page, summaries, keywords }, prepared };
          transfer = transferablesOf(prepared);
        }
      } catch (error) {
        reply = { file: job.file, hash: job.hash, error: error instanceof Error ? error.message : String(error) };
      }
      port.postMessage(reply, transfer);
    })();
  });
  port.postMessage({ ready: true });
}
