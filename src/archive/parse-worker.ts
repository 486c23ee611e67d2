/**
 * The worker side of `page-parser.ts`: parses the pages the main thread sends (a cold start's) and
 * sends back what the archive writes. Started by `startParseWorker`, never at import.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createCountyTagger } from '../places/county-tagger.js';
import { loadGazetteer } from '../places/gazetteer.js';
import { createNormalizer } from '../text/normalize.js';
import { parsePageBytes, type ParseReply, type ParseRequest, type ParseWorkerData } from './page-parser.js';

export function runParseWorker(): void {
  const port = parentPort;
  if (!port) throw new Error('parse-worker: not in a worker thread');
  const data = workerData as ParseWorkerData;
  const load = { tag: createCountyTagger(loadGazetteer(data.region, { cacheDir: data.cacheDir })) };
  const normalize = createNormalizer();
  port.on('message', ({ id, file, bytes }: ParseRequest) => {
    const parsed = parsePageBytes(file, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), load, normalize);
    port.postMessage({ id, parsed } satisfies ParseReply);
  });
}
