// Structured logging: JSON lines on stderr, so stdout stays free for command output.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  return pino({ level, base: { ...bindings } }, pino.destination({ fd: 2, sync: true }));
}
