/**
 * What the transport fault tests share: stopping hub processes, a business application that
 * keeps receiving and confirming (in-process or over the REST API), a REST client of a hosted
 * endpoint living in a child process, and the tally of sent against received messages.
 */
import type { Endpoints } from '../../src/endpoint/endpoint.js';
import type { HubProcess } from './hub-process.js';

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Sends `signal` to a hub process (unless it has exited) and waits for the exit; resolves with the exit code. */
export async function stopHubProcess(hub: HubProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<number | null> {
  if (!hub) return null;
  if (hub.child.exitCode !== null || hub.child.signalCode !== null) return hub.child.exitCode;
  hub.child.kill(signal);
  return hub.exited;
}

export interface ReceivedMessage {
  readonly messageId: string;
  readonly content: Buffer;
}

/** The receiving side of one endpoint as a business application sees it. */
export interface AppInbox {
  receive(): Promise<ReceivedMessage[]>;
  confirm(ids: readonly string[]): Promise<void>;
}

export function inProcessInbox(endpoints: Endpoints, code: string): AppInbox {
  return {
    receive: () => endpoints.receive(code, { limit: 500, waitMs: 250 }),
    async confirm(ids) {
      await endpoints.confirm(code, ids);
    },
  };
}

/** A hosted endpoint's business-application REST API (raml/endpoint.raml) with a bearer token. */
export function restEndpoint(baseUrl: string, code: string, token: string) {
  const api = `${baseUrl}/api/v1/endpoints/${code}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const call = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const res = await fetch(`${api}${path}`, { ...init, headers, signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as T;
    if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    async send(receiverCode: string, businessType: string, content: Buffer): Promise<{ messageId: string; state: string }> {
      return call('/messages', {
        method: 'POST',
        body: JSON.stringify({ receiverCode, businessType, content: content.toString('base64') }),
      });
    },
    async status(messageId: string): Promise<{ state: string; failureReason?: string }> {
      return call(`/messages/${messageId}`);
    },
    inbox(): AppInbox {
      return {
        async receive() {
          const { messages } = await call<{ messages: Array<{ messageId: string; content: string }> }>('/inbox?limit=500&wait=1');
          return messages.map((m) => ({ messageId: m.messageId, content: Buffer.from(m.content, 'base64') }));
        },
        async confirm(ids) {
          await call('/inbox/confirm', { method: 'POST', body: JSON.stringify({ messageIds: ids }) });
        },
      };
    },
  };
}

/**
 * A business application that keeps receiving and confirming until stopped, counting every
 * message it is handed (a message handed over twice counts twice).
 */
export class ReceivingApp {
  /** Message ID → contents as handed over, once per hand-over. */
  readonly got = new Map<string, string[]>();
  errors = 0;
  lastError: string | undefined;
  #stopped = false;
  #loop: Promise<void> | undefined;

  constructor(private readonly inbox: AppInbox) {}

  start(): this {
    this.#loop ??= (async () => {
      while (!this.#stopped) {
        try {
          const messages = await this.inbox.receive();
          for (const m of messages) this.got.set(m.messageId, [...(this.got.get(m.messageId) ?? []), m.content.toString('utf8')]);
          if (messages.length) await this.inbox.confirm(messages.map((m) => m.messageId));
        } catch (e) {
          this.errors++;
          this.lastError = (e as Error).message;
          await sleep(100);
        }
      }
    })();
    return this;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#loop;
  }
}

/** How many of `ids` are in each MADES state, as the sender reports them. */
export async function countStates(ids: Iterable<string>, stateOf: (id: string) => Promise<string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const id of [...ids]) {
    const state = await stateOf(id);
    counts[state] = (counts[state] ?? 0) + 1;
  }
  return counts;
}

export interface Tally {
  readonly sent: number;
  /** Distinct messages the application received. */
  readonly received: number;
  /** Sent, never received. */
  readonly lost: number;
  /** Messages the application was handed more than once. */
  readonly duplicated: number;
  /** Received but never sent, or with other content than sent. */
  readonly foreign: number;
}

/** Compares what was sent (message ID → content) with what the application got. */
export function tally(sent: ReadonlyMap<string, string>, app: ReceivingApp): Tally {
  let lost = 0;
  for (const id of sent.keys()) if (!app.got.has(id)) lost++;
  let duplicated = 0;
  let foreign = 0;
  for (const [id, contents] of app.got) {
    if (contents.length > 1) duplicated++;
    if (!sent.has(id) || contents.some((c) => c !== sent.get(id))) foreign++;
  }
  return { sent: sent.size, received: app.got.size, lost, duplicated, foreign };
}

export const tallyLine = (fault: string, t: Tally, extra = '') =>
  `# ${fault}: sent ${t.sent}, received ${t.received}, lost ${t.lost}, duplicated ${t.duplicated}${extra ? `, ${extra}` : ''}`;
