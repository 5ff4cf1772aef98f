import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { test } from 'node:test';
import { messageIdOf, messageIds, readHeaders } from '../importers/mail/headers.ts';
import { parseMailDate } from '../importers/mail/mailDates.ts';
import { splitMbox } from '../importers/mail/splitMbox.ts';
import { threadMessages, type ThreadSource, type ThreadWork } from '../importers/mail/threading.ts';
import { StringTable } from '../importers/mail/stringTable.ts';
import { corpusFile, corpusMissing } from './helpers/corpus.ts';

interface Message {
  id: string;
  inReplyTo?: string;
  references?: string[];
  time?: number;
}

/** Threads messages given with string ids; returns id → [parent, thread], `?` marking a placeholder parent. */
function thread(messages: Message[], work?: ThreadWork): Map<string, [string | undefined, string]> {
  const table = new StringTable();
  const inputs = messages.map((message, index) => ({
    id: table.intern(message.id),
    inReplyTo: message.inReplyTo === undefined ? -1 : table.intern(message.inReplyTo),
    references: (message.references ?? []).map((reference) => table.intern(reference)),
    time: message.time ?? index * 1000,
  }));
  const source: ThreadSource = {
    count: inputs.length,
    id: (index) => inputs[index].id,
    inReplyTo: (index) => inputs[index].inReplyTo,
    references: (index) => inputs[index].references,
    time: (index) => inputs[index].time,
    skipped: () => false,
  };
  const places = threadMessages(source, table.size, work);
  return new Map(
    inputs.map((input) => {
      const up = places.parent[input.id];
      const parent = up === -1 ? undefined : `${places.placeholder[input.id] ? '?' : ''}${table.get(up)}`;
      return [table.get(input.id), [parent, table.get(places.thread[input.id])]];
    }),
  );
}

async function corpusMessages(file: string): Promise<Message[]> {
  const messages: Message[] = [];
  for await (const raw of splitMbox(createReadStream(corpusFile('mbox', file)), 'mbox')) {
    const { headers } = readHeaders(raw.bytes);
    messages.push({
      id: messageIdOf(headers)!,
      inReplyTo: messageIds(headers.get('in-reply-to'))[0],
      references: messageIds(headers.all('references').join(' ')),
      time: parseMailDate(headers.get('date'))!.time,
    });
  }
  return messages;
}

function parents(places: Map<string, [string | undefined, string]>): Record<string, string | undefined> {
  return Object.fromEntries([...places].map(([id, [parent]]) => [id.replace(/@.*/, ''), parent?.replace(/@.*/, '')]));
}

test("notmuch's ghost-root corpus: the fake root joins its real thread; RT's auto-replies share the ticket's thread", {
  skip: corpusMissing(),
}, async () => {
  const places = thread(await corpusMessages('notmuch-threading-ghost-root.mbox'));
  assert.deepEqual(parents(places), {
    '87bmc6lp3h.fsf': '?RT-Ticket-33575',
    'rt-4.2.8-22046-1529425595-591.33575-211-0': '87bmc6lp3h.fsf',
    'rt-4.2.8-6644-1530017064-1465.33575-215-0': '?RT-Ticket-33575',
    '001-child': '000-real-root',
    '001-fake-message-root': '001-child',
    '001-grand-child': '001-child',
    '001-grand-child2': '001-child',
    '001-great-grand-child': '001-grand-child',
    '000-real-root': undefined,
  });
  const threads = new Set([...places.values()].map(([, root]) => root.replace(/@.*/, '')));
  assert.deepEqual([...threads].sort(), ['000-real-root', 'RT-Ticket-33575']);
});

test("notmuch's parent-priority corpus: In-Reply-To wins over a References entry that names nothing", {
  skip: corpusMissing(),
}, async () => {
  assert.deepEqual(parents(thread(await corpusMessages('notmuch-threading-parent-priority.mbox'))), {
    'B01-child': 'B00-root',
    'B01-grand-child': 'B01-child',
    'B00-root': undefined,
  });
});

test("notmuch's broken corpus: the In-Reply-To loop ends, the older message stays the parent", {
  skip: corpusMissing(),
}, async () => {
  const places = thread((await corpusMessages('notmuch-broken.mbox')).filter((message) => message.id));
  assert.deepEqual(places.get('mid-loop-21@example.org'), ['mid-loop-12@example.org', 'mid-loop-12@example.org']);
  assert.deepEqual(places.get('mid-loop-12@example.org'), [undefined, 'mid-loop-12@example.org']);
});

test('replies share their parent thread; unrelated roots never merge, even with the same subject; a missing parent is a placeholder', () => {
  const places = thread([
    { id: 'a' },
    { id: 'b', inReplyTo: 'a', references: ['a'] },
    { id: 'c', references: ['a', 'b'] },
    { id: 'd' }, // same subject as a, in real life: still its own thread
    { id: 'e', inReplyTo: 'gone', references: ['older-gone', 'gone'] },
    { id: 'f', inReplyTo: 'gone' },
  ]);
  assert.deepEqual(Object.fromEntries(places), {
    a: [undefined, 'a'],
    b: ['a', 'a'],
    c: ['b', 'a'],
    d: [undefined, 'd'],
    e: ['?gone', 'older-gone'],
    f: ['?gone', 'older-gone'],
  });
});

test('the result does not depend on the order of the input', () => {
  const messages: Message[] = [
    { id: 'r', time: 0 },
    { id: 'x', references: ['r'], time: 1 },
    { id: 'y', inReplyTo: 'x', references: ['r', 'x'], time: 2 },
    { id: 'z', inReplyTo: 'missing', references: ['r', 'x', 'missing'], time: 3 },
    { id: 'loop-1', inReplyTo: 'loop-2', time: 4 },
    { id: 'loop-2', inReplyTo: 'loop-1', time: 5 },
  ];
  const expected = Object.fromEntries(thread(messages));
  for (let round = 0; round < 20; round++) {
    const shuffled = [...messages].sort(() => Math.random() - 0.5);
    assert.deepEqual(Object.fromEntries(thread(shuffled)), expected);
  }
});

// The work is counted (steps up parent chains), not timed: a clock flakes on a loaded machine, a count cannot.
test('threading work grows with the input, not its square: a 300-message chain, 5,000 References, and chains 4× longer', () => {
  const chain: Message[] = [{ id: 'm0', time: 0 }];
  for (let index = 1; index < 300; index++) {
    chain.push({
      id: `m${index}`,
      inReplyTo: `m${index - 1}`,
      references: Array.from({ length: index }, (_, reference) => `m${reference}`),
      time: index * 1000,
    });
  }
  const chainWork = { steps: 0 };
  const places = thread(chain, chainWork);
  assert.deepEqual(places.get('m299'), ['m298', 'm0']);
  // A walk to the root for each message would be 300 × 299 / 2 = 44,850 steps.
  assert.ok(chainWork.steps <= 2 * chain.length, `${chainWork.steps} steps for a chain of ${chain.length}`);

  const references = Array.from({ length: 5000 }, (_, index) => `ref-${index}`);
  const wideWork = { steps: 0 };
  const wide = thread(
    [
      { id: 'wide', references, inReplyTo: 'ref-4999' },
      ...Array.from({ length: 100 }, (_, index) => ({ id: `other-${index}`, references: [...references].reverse() })),
    ],
    wideWork,
  );
  // The 100 newer messages list the same ids in reverse, and their chain came first.
  assert.deepEqual(wide.get('wide'), ['?ref-4999', 'ref-4999']);
  assert.ok([...wide.values()].every(([, root]) => root === 'ref-4999'));
  assert.ok(
    wideWork.steps <= 2 * (references.length + 101),
    `${wideWork.steps} steps for 101 messages over a chain of ${references.length}`,
  );

  // Long chains as archives write them (In-Reply-To the one before, References the first and the one before), in any order.
  const steps = (length: number) => {
    const messages: Message[] = Array.from({ length }, (_, index) => ({
      id: `c${index}`,
      inReplyTo: index > 0 ? `c${index - 1}` : undefined,
      references: index > 1 ? ['c0', `c${index - 1}`] : index === 1 ? ['c0'] : [],
      time: index * 1000,
    }));
    const work = { steps: 0 };
    const placed = thread([...messages].reverse(), work);
    assert.deepEqual(placed.get(`c${length - 1}`), [`c${length - 2}`, 'c0']);
    return work.steps;
  };
  const [short, long] = [steps(2000), steps(8000)];
  assert.ok(long <= 5 * Math.max(short, 1) && long <= 3 * 8000, `${short} steps for 2,000 messages, ${long} for 8,000`);
});
