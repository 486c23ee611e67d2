/**
 * How a `Sender` says a message did not go out. The Telegram adapter translates its library's
 * errors into these kinds; the delivery worker decides what each means for the outbox.
 */

export type SendFailure =
  /** 429: wait `seconds`. `scope` says whether the whole bot or only this chat must wait, when known. */
  | { kind: 'retry-after'; seconds: number; scope?: 'chat' | 'global' }
  /** 403: blocked, kicked, chat not found, deactivated user. Stop sending to this chat. */
  | { kind: 'forbidden'; description: string }
  /** The group became a supergroup with this id. */
  | { kind: 'migrated'; newChatId: number }
  /** The call failed on the way (connection, timeout, 5xx): try again later. */
  | { kind: 'network'; description: string }
  /** Telegram refused the message for another reason (400 and the like). */
  | { kind: 'other'; description: string };

export class SendError extends Error {
  constructor(readonly failure: SendFailure, options?: { cause?: unknown }) {
    super(`SendError ${failure.kind}: ${describe(failure)}`, options);
    this.name = 'SendError';
  }
}

function describe(failure: SendFailure): string {
  switch (failure.kind) {
    case 'retry-after':
      return `retry after ${failure.seconds}s (${failure.scope ?? 'scope unknown'})`;
    case 'migrated':
      return `chat migrated to ${failure.newChatId}`;
    default:
      return failure.description;
  }
}
