// JSON-lines logger bound to stderr (fd 2). In stdio mode stdout carries only JSON-RPC,
// so nothing in this process may log to stdout; every level goes through this logger.
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };
export { LOG_LEVELS } from './levels.js';
export type LogLevel = LevelWithSilent;

export function createLogger(level: LogLevel = 'info'): Logger {
  return pino(
    {
      level,
      base: { name: 'support-mcp' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // Belt and braces: fields that could carry PII are censored even if someone logs them.
      redact: {
        paths: ['email', 'phone', 'code', 'args', '*.email', '*.phone', '*.code', 'req.headers.authorization'],
        censor: '[redacted]',
      },
    },
    // Asynchronous: a line is handed to a libuv write while the call goes on (a synchronous
    // write cost every call a blocking syscall, ~15 µs of a 250 µs call; bench/README.md).
    // Lines written meanwhile are joined into the next write. pino flushes what is left
    // synchronously on exit (normal exit, process.exit, an uncaught exception); only a
    // SIGKILL or a power cut can lose the last lines.
    pino.destination({ dest: 2, sync: false }),
  );
}

/** A logger that drops everything (tests, library use). */
export const silentLogger = (): Logger => pino({ level: 'silent' });
