import { LogLevel, type Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from 'pino';

/**
 * Routes the Slack SDK's own logging into our pino logger. The SDK logs request bodies at debug
 * level (tokens redacted by it); we keep it at warn so message contents stay out of the logs.
 */
export function toSlackLogger(log: Logger, level: LogLevel = LogLevel.WARN): SlackLogger {
  let current = level;
  const child = log.child({ component: 'slack-sdk' });
  const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
  const enabled = (at: LogLevel) => order.indexOf(at) >= order.indexOf(current);
  const text = (args: unknown[]) =>
    args
      .map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : JSON.stringify(a)))
      .join(' ')
      .slice(0, 500);
  return {
    debug: (...args) => enabled(LogLevel.DEBUG) && child.debug(text(args)),
    info: (...args) => enabled(LogLevel.INFO) && child.info(text(args)),
    warn: (...args) => enabled(LogLevel.WARN) && child.warn(text(args)),
    error: (...args) => enabled(LogLevel.ERROR) && child.error(text(args)),
    setLevel: (next) => {
      current = next;
    },
    getLevel: () => current,
    setName: () => {},
  } as SlackLogger;
}
