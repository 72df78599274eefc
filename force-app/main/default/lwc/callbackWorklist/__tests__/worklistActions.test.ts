// The clientRequestId of an outcome: a v4 UUID wherever the worklist runs (crypto.randomUUID, else random bytes from
// crypto.getRandomValues, else Math.random), so a retried save is recognised by the server.
import { requestId } from '../worklistActions';

/** What every source gives when each random byte is 0x0f: the version and variant bits set, each byte two digits. */
const FROM_0F = '0f0f0f0f-0f0f-4f0f-8f0f-0f0f0f0f0f0f';

describe('requestId', () => {
  const realCrypto = globalThis.crypto;

  afterEach(() => {
    Object.defineProperty(globalThis, 'crypto', { value: realCrypto, configurable: true });
    jest.restoreAllMocks();
  });

  function useCrypto(value: unknown): void {
    Object.defineProperty(globalThis, 'crypto', { value, configurable: true });
  }

  it('uses crypto.randomUUID where the platform offers it', () => {
    useCrypto({ randomUUID: () => '123e4567-e89b-42d3-a456-426614174000', getRandomValues: () => undefined });
    expect(requestId()).toBe('123e4567-e89b-42d3-a456-426614174000');
  });

  it('builds a v4 UUID from crypto.getRandomValues otherwise', () => {
    const random = jest.spyOn(Math, 'random');
    useCrypto({ getRandomValues: (bytes: Uint8Array) => bytes.fill(0x0f) });
    expect(requestId()).toBe(FROM_0F);
    expect(random).not.toHaveBeenCalled();
  });

  it('falls back to Math.random without crypto', () => {
    jest.spyOn(Math, 'random').mockReturnValue(15.5 / 256);
    useCrypto(undefined);
    expect(requestId()).toBe(FROM_0F);
    useCrypto({ randomUUID: 'not a function', getRandomValues: 'not a function' });
    expect(requestId()).toBe(FROM_0F);
  });
});
