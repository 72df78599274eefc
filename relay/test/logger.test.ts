/**
 * The structured logger: one JSON object per line, filtered by level, with secrets and phone numbers redacted.
 */
import { createLogger, isLogLevel, parseLogLevel, type LoggerOptions } from '../src/logger';

const FIXED = new Date('2024-05-14T09:17:30.000Z');

function capture(options: LoggerOptions = {}) {
  const lines: string[] = [];
  const logger = createLogger({ now: () => FIXED, sink: (line) => lines.push(line), ...options });
  const entries = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, entries };
}

describe('line format', () => {
  test('level, message, timestamp, then base fields and call fields', () => {
    const { logger, lines } = capture({ level: 'info', base: { service: 'ctr-relay' } });
    logger.info('batch delivered', { records: 3, created: 2 });
    expect(lines).toEqual([
      '{"level":"info","message":"batch delivered","timestamp":"2024-05-14T09:17:30.000Z","service":"ctr-relay","records":3,"created":2}'
    ]);
  });

  test('fields cannot overwrite the envelope; a colliding field keeps a suffixed name', () => {
    const { logger, entries } = capture();
    logger.warn('real', { message: 'fake', level: 'error' });
    expect(entries()).toEqual([
      { level: 'warn', message: 'real', timestamp: FIXED.toISOString(), message_: 'fake', level_: 'error' }
    ]);
  });

  test('child loggers add their fields to every line', () => {
    const { logger, entries } = capture({ base: { service: 'ctr-relay' } });
    logger.child({ awsRequestId: 'req-1' }).error('failed', { attempt: 2 });
    expect(entries()[0]).toMatchObject({
      service: 'ctr-relay',
      awsRequestId: 'req-1',
      attempt: 2,
      level: 'error'
    });
  });

  test('the default sink writes one line to stdout', () => {
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      createLogger({ level: 'info' }).info('hello');
      expect(write).toHaveBeenCalledTimes(1);
      const written = String(write.mock.calls[0]?.[0]);
      expect(written.endsWith('\n')).toBe(true);
      const entry = JSON.parse(written) as Record<string, unknown>;
      // The system clock by default: the line is built normally, stamped now.
      expect(Object.keys(entry)).toEqual(['level', 'message', 'timestamp']);
      expect(entry).toMatchObject({ level: 'info', message: 'hello' });
      expect(Math.abs(Date.parse(entry.timestamp as string) - Date.now())).toBeLessThan(60_000);
    } finally {
      write.mockRestore();
    }
  });
});

describe('levels', () => {
  test.each<[string, string[]]>([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []]
  ])('threshold %s writes %p', (level, expected) => {
    const { logger, entries } = capture({ level });
    logger.debug('d');
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(entries().map((e) => e.level)).toEqual(expected);
  });

  test('the threshold comes from LOG_LEVEL when not given', () => {
    const saved = process.env.LOG_LEVEL;
    process.env.LOG_LEVEL = 'WARN';
    try {
      expect(capture({}).logger.level).toBe('warn');
    } finally {
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    }
  });

  test('an unknown level falls back to info rather than failing', () => {
    expect(capture({ level: 'verbose' }).logger.level).toBe('info');
  });

  test.each<[string | undefined, string | undefined]>([
    ['debug', 'debug'],
    [' Warning ', 'warn'],
    ['ERROR', 'error'],
    ['silent', 'silent'],
    ['trace', undefined],
    [undefined, undefined]
  ])('parseLogLevel(%p) = %p', (value, expected) => {
    expect(parseLogLevel(value)).toBe(expected);
  });

  test('isLogLevel', () => {
    expect(isLogLevel('info')).toBe(true);
    expect(isLogLevel('toString')).toBe(false);
    expect(isLogLevel(3)).toBe(false);
  });
});

describe('redaction', () => {
  test('secret-like keys are redacted at any depth, phones masked in the message and in values', () => {
    const { logger, lines } = capture();
    logger.info('token refreshed for caller +15555550142', {
      access_token: '00D5e000000abc!AQ0AQ',
      request: {
        headers: { Authorization: 'Bearer 00D5e000000abc!AQ0AQ' },
        body: { customerPhone: '+15555550142' }
      },
      config: { SF_CLIENT_SECRET: 's3cr3t', SF_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----' }
    });
    const line = lines[0] as string;
    expect(line).not.toMatch(/AQ0AQ|s3cr3t|BEGIN PRIVATE|5555550142/);
    expect(JSON.parse(line)).toEqual({
      level: 'info',
      message: 'token refreshed for caller +*******0142',
      timestamp: FIXED.toISOString(),
      access_token: '[REDACTED]',
      request: { headers: { Authorization: '[REDACTED]' }, body: { customerPhone: '+*******0142' } },
      config: { SF_CLIENT_SECRET: '[REDACTED]', SF_PRIVATE_KEY: '[REDACTED]' }
    });
  });

  test('base fields are redacted too', () => {
    const { logger, entries } = capture({ base: { apiKey: 'k' } });
    logger.info('x');
    expect(entries()[0]?.apiKey).toBe('[REDACTED]');
  });

  test('errors are logged with name and masked message', () => {
    const { logger, entries } = capture();
    logger.error('delivery failed', { err: new Error('no answer from +15555550142') });
    expect(entries()[0]?.err).toMatchObject({ name: 'Error', message: 'no answer from +*******0142' });
  });
});

describe('logging never throws', () => {
  test('a failing sink is ignored', () => {
    const logger = createLogger({
      sink: () => {
        throw new Error('EPIPE');
      }
    });
    expect(() => logger.error('x')).not.toThrow();
  });

  test('an object whose toJSON throws is logged without it', () => {
    const { logger, entries } = capture();
    const weird = {
      id: 1,
      toJSON() {
        throw new Error('nope');
      }
    };
    logger.info('odd', { weird });
    expect(entries()[0]).toMatchObject({ level: 'info', message: 'odd', weird: { id: 1 } });
  });

  test('if the line cannot be built, a minimal line says why', () => {
    const lines: string[] = [];
    const logger = createLogger({
      sink: (line) => lines.push(line),
      now: () => {
        throw new Error('clock broken');
      }
    });
    logger.warn('still here');
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      level: 'warn',
      message: 'still here',
      logError: 'log line could not be built: clock broken'
    });
  });
});
