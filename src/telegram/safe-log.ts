/**
 * A logger that cannot leak the bot token. telegraf removes the token from a network error's
 * message but not from its stack, and pino logs both: every error is scrubbed before it is written.
 */
import { stdSerializers, type Logger } from 'pino';

/** `text` with every occurrence of the token (and its secret half) replaced. */
export function redactToken(text: string, token: string): string {
  if (!token) return text;
  const secret = token.includes(':') ? token.slice(token.indexOf(':') + 1) : token;
  let out = text.split(token).join('[token]');
  if (secret.length >= 8) out = out.split(secret).join('[token]');
  return out;
}

/** A child of `log` whose `err` values have the token removed from message and stack. */
export function tokenSafeLogger(log: Logger, token: string): Logger {
  return log.child(
    {},
    {
      serializers: {
        err: (error: unknown) => {
          const serialized = error instanceof Error ? stdSerializers.err(error) : { message: String(error) };
          return JSON.parse(redactToken(JSON.stringify(serialized), token)) as unknown;
        },
      },
    },
  );
}
