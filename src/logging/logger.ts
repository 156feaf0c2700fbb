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
    // sync: a crash or exit must not lose the last lines; volume is low (one line per call).
    pino.destination({ dest: 2, sync: true }),
  );
}

/** A logger that drops everything (tests, library use). */
export const silentLogger = (): Logger => pino({ level: 'silent' });
