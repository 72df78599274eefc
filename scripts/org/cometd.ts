/**
 * A minimal Streaming API (CometD / Bayeux long-polling) subscriber, enough to read a platform event channel:
 * handshake (with the replay extension), subscribe from a replay position, then connect until the wanted events
 * arrived or the time is up. Salesforce ties the session to cookies, so they are kept and sent back.
 */
export interface EventMessage {
  channel: string;
  data?: { payload?: Record<string, unknown>; event?: { replayId?: number } };
}

export interface CollectOptions {
  instanceUrl: string;
  accessToken: string;
  channel: string;
  apiVersion?: string;
  /** -2: every retained event (up to 72 h), -1: only new ones. */
  replayId?: number;
  /** Stop as soon as this says the events seen so far are enough. */
  done: (events: EventMessage[]) => boolean;
  timeoutMs: number;
}

interface BayeuxReply {
  channel: string;
  successful?: boolean;
  clientId?: string;
  error?: string;
  data?: EventMessage['data'];
}

export async function collectEvents(options: CollectOptions): Promise<EventMessage[]> {
  const url = `${options.instanceUrl.replace(/\/$/, '')}/cometd/${options.apiVersion ?? '64.0'}`;
  const cookies = new Map<string, string>();
  const deadline = Date.now() + options.timeoutMs;
  const send = async (messages: object[]): Promise<BayeuxReply[]> => {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${options.accessToken}`,
        'Content-Type': 'application/json',
        ...(cookies.size > 0 ? { Cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {})
      },
      body: JSON.stringify(messages),
      signal: AbortSignal.timeout(Math.max(1_000, Math.min(130_000, deadline - Date.now() + 1_000)))
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const at = (pair ?? '').indexOf('=');
      if (at > 0) cookies.set((pair as string).slice(0, at).trim(), (pair as string).slice(at + 1).trim());
    }
    if (!response.ok) throw new Error(`streaming API answered HTTP ${response.status}`);
    return (await response.json()) as BayeuxReply[];
  };
  const meta = (replies: BayeuxReply[], channel: string): BayeuxReply => {
    const reply = replies.find((r) => r.channel === channel);
    if (!reply?.successful) throw new Error(`${channel} failed: ${reply?.error ?? 'no reply'}`);
    return reply;
  };

  const handshake = meta(
    await send([
      {
        channel: '/meta/handshake',
        version: '1.0',
        minimumVersion: '1.0',
        supportedConnectionTypes: ['long-polling'],
        ext: { replay: true }
      }
    ]),
    '/meta/handshake'
  );
  const clientId = handshake.clientId as string;
  meta(
    await send([
      {
        channel: '/meta/subscribe',
        clientId,
        subscription: options.channel,
        ext: { replay: { [options.channel]: options.replayId ?? -2 } }
      }
    ]),
    '/meta/subscribe'
  );
  const events: EventMessage[] = [];
  while (!options.done(events) && Date.now() < deadline) {
    const replies = await send([{ channel: '/meta/connect', clientId, connectionType: 'long-polling' }]);
    for (const reply of replies) {
      if (reply.channel === options.channel) events.push({ channel: reply.channel, data: reply.data });
    }
    const connect = replies.find((r) => r.channel === '/meta/connect');
    if (connect && connect.successful === false) throw new Error(`/meta/connect failed: ${connect.error}`);
  }
  await send([{ channel: '/meta/disconnect', clientId }]).catch(() => []);
  return events;
}
