/**
 * One thread that holds the process's only copy of jieba's dictionaries, and cuts for every other
 * thread, which asks synchronously (the cut is a plain function call for the asking thread).
 *
 * Why: nodejieba loads its dictionaries per thread (~240 MB: the trie twice, since it builds a
 * TextRank extractor beside the segmenter, plus the HMM model and IDF table) and never frees them,
 * not even when the thread ends. A bot that cut on its main thread and on a worker held two copies
 * for good. Here the main thread and the page workers only ask, and a page worker that ends gives
 * all its memory back.
 *
 * How a call works: the asking thread posts the text on its own MessagePort, then blocks on a
 * shared counter (Atomics.wait); the jieba thread's event loop cuts, posts the words back and counts
 * the reply; the asker takes the reply off its port synchronously (receiveMessageOnPort). A call
 * costs a few tens of microseconds besides the cut; the jieba thread does nothing but cut, so it
 * answers at once.
 */
import { MessageChannel, type MessagePort, parentPort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import type { LoadedPage } from '../pages/load-pages.js';
import { createSegmenter, jiebaLoadedHere, localJieba, useJiebaElsewhere, type Jieba } from '../text/segmenter.js';
import { indexPage, type IndexedPage } from './indexed-page.js';

/** What another thread needs to ask the jieba thread: its own port and flag (pass in workerData, the port in transferList). */
export interface JiebaLink {
  port: MessagePort;
  flag: SharedArrayBuffer;
}

export interface JiebaThread {
  /** A new link for one more asking thread. */
  link(): JiebaLink;
  /**
   * `indexPage` of a parsed page, run there (a page update: that thread has jieba, and the plain
   * analysis needs nothing else, where the workers' one-cut analysis needs ~40 MB of tables).
   */
  indexPage(page: LoadedPage, summaryMaxChars: number): Promise<IndexedPage>;
}

type JiebaRequest = { op: 'cut' | 'cutForSearch' | 'insertWord'; text: string };
type JiebaReply = { words: string[] } | { error: string };

/** Longest wait for an answer (the first one waits for the dictionaries to load, ~1-2 s). */
const ANSWER_MS = 120_000;

/**
 * A jieba that asks over `link`, blocking this thread until the answer (any thread, the main one
 * included).
 */
export function jiebaOverLink(link: JiebaLink): Jieba {
  const flag = new Int32Array(link.flag);
  // No listener on the port: replies are taken synchronously, never by the event loop.
  link.port.unref();
  const call = (request: JiebaRequest): string[] => {
    // The flag counts replies: wait until it moves past what it was when asking, then take the
    // reply; should the reply not be on the port yet, look again after a millisecond.
    const asked = Atomics.load(flag, 0);
    link.port.postMessage(request);
    const deadline = performance.now() + ANSWER_MS;
    for (;;) {
      const reply = receiveMessageOnPort(link.port)?.message as JiebaReply | undefined;
      if (reply) {
        if ('error' in reply) throw new Error(`jieba thread: ${reply.error}`);
        return reply.words;
      }
      const left = deadline - performance.now();
      if (left <= 0) throw new Error('jieba thread: no answer');
      const now = Atomics.load(flag, 0);
      Atomics.wait(flag, 0, now, now === asked ? left : 1);
    }
  };
  return {
    cut: (text) => call({ op: 'cut', text }),
    cutForSearch: (text) => call({ op: 'cutForSearch', text }),
    insertWord: (word) => void call({ op: 'insertWord', text: word }),
  };
}

/**
 * Starts the jieba thread (`boot`: the page worker's boot code, whose entry serves jieba when its
 * workerData says `role: 'jieba'`). It loads the dictionaries at once and lives as long as the
 * process (it does not keep the process alive).
 */
export function startJiebaThread(boot: string): JiebaThread {
  const worker = new Worker(boot, { eval: true, workerData: { role: 'jieba' } });
  const pending = new Map<number, { resolve: (page: IndexedPage) => void; reject: (error: Error) => void }>();
  let next = 0;
  const settle = (id: number, outcome: { indexed: IndexedPage } | { error: string }): void => {
    const waiting = pending.get(id);
    pending.delete(id);
    // Kept alive only while a page is being indexed there.
    if (pending.size === 0) worker.unref();
    if ('indexed' in outcome) waiting?.resolve(outcome.indexed);
    else waiting?.reject(new Error(`jieba thread: ${outcome.error}`));
  };
  worker.on('message', (reply: { id: number } & ({ indexed: IndexedPage } | { error: string })) => settle(reply.id, reply));
  const fail = (error: unknown) => {
    for (const id of [...pending.keys()]) settle(id, { error: error instanceof Error ? error.message : 'ended' });
  };
  worker.on('error', fail);
  worker.on('exit', fail);
  // After the listeners: adding a 'message' listener refs the worker's port again.
  worker.unref();
  return {
    link() {
      const { port1, port2 } = new MessageChannel();
      const flag = new SharedArrayBuffer(4);
      worker.postMessage({ port: port2, flag }, [port2]);
      return { port: port1, flag };
    },
    indexPage(page, summaryMaxChars) {
      const id = next++;
      worker.ref();
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, page, summaryMaxChars });
      });
    },
  };
}

/*
 * The jieba thread this thread moved its cutting to: it mirrors thread-wide state (the segmenter's
 * `useJiebaElsewhere`, and the words inserted there), so a second `openNews` in the same thread
 * (tests, scripts) uses the same one. Not configuration; nothing happens at import.
 */
let moved: JiebaThread | null = null;

/**
 * Moves this thread's jieba to a jieba thread started now (see `useJiebaElsewhere`), or to the one
 * it moved to before, and returns that thread, for the workers this thread starts to link to. Null,
 * and nothing changes, when this thread already cut here (its dictionaries are loaded for good) or
 * the thread could not start.
 */
export function moveJiebaToThread(boot: string): JiebaThread | null {
  if (moved) return moved;
  if (jiebaLoadedHere()) return null;
  let thread: JiebaThread;
  try {
    thread = startJiebaThread(boot);
  } catch {
    return null;
  }
  useJiebaElsewhere(jiebaOverLink(thread.link()));
  moved = thread;
  return thread;
}

/** The jieba thread's side: loads the dictionaries, then answers every link it is given. */
export function serveJieba(): void {
  const parent = parentPort;
  if (!parent) throw new Error('jieba-thread: not in a worker thread');
  const jieba = localJieba();
  jieba.cut('衢州'); // loads the dictionaries now, before the first question
  // Words inserted once (several threads insert the same place names).
  const inserted = new Set<string>();
  parent.on('message', (message: { port: MessagePort; flag: SharedArrayBuffer } | { id: number; page: LoadedPage; summaryMaxChars: number }) => {
    if ('id' in message) {
      // A page update, cut with every word the other threads inserted (they insert the place names first).
      try {
        parent.postMessage({ id: message.id, indexed: indexPage(message.page, createSegmenter(), message.summaryMaxChars) });
      } catch (error) {
        parent.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    const { port, flag } = message;
    const raised = new Int32Array(flag);
    port.on('message', (request: JiebaRequest) => {
      let reply: JiebaReply;
      try {
        if (request.op === 'insertWord') {
          if (!inserted.has(request.text)) jieba.insertWord(request.text);
          inserted.add(request.text);
          reply = { words: [] };
        } else reply = { words: request.op === 'cut' ? jieba.cut(request.text) : jieba.cutForSearch(request.text) };
      } catch (error) {
        reply = { error: error instanceof Error ? error.message : String(error) };
      }
      port.postMessage(reply);
      Atomics.add(raised, 0, 1);
      Atomics.notify(raised, 0);
    });
  });
}
