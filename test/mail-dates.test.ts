import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatMailDate, messageDate, parseMailDate } from '../importers/mail/mailDates.ts';
import { parseDocument } from '../src/content/frontmatter.ts';
import { almanac, temporaryDirectory } from './helpers/cli.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mail');

test('a zone no clock has, letters where the zone goes, half a zone or none: the time is read as UTC and the date says its zone is unknown', () => {
  const cases: [string, string, string | undefined][] = [
    ['Mon, 2 Mar 2015 17:52:54 +50579034', '2015-03-02T17:52:54+00:00', '"+50579034"'],
    ['Mon, 2 Mar 2015 17:52:54 dR', '2015-03-02T17:52:54+00:00', '"dR"'],
    ['Mon, 2 Mar 2015 19:30:00 +01', '2015-03-02T19:30:00+00:00', '"+01"'],
    ['Mon, 4 May 2020 12:00:00 -3000', '2020-05-04T12:00:00+00:00', '"-3000"'],
    ['Mon, 2 Mar 2015 19:30:00', '2015-03-02T19:30:00+00:00', 'no zone'],
    ['Sat Nov 14 21:29:28 2015', '2015-11-14T21:29:28+00:00', 'no zone'],
    // Understood zones: numeric, with a colon or a GMT prefix, named, and a named zone with a year after it.
    ['Mon, 2 Mar 2015 19:30:00 -04:00', '2015-03-02T19:30:00-04:00', undefined],
    ['Mon, 2 Mar 2015 19:30:00 GMT+0100', '2015-03-02T19:30:00+01:00', undefined],
    ['Mon, 2 Mar 2015 19:30:00 -0000', '2015-03-02T19:30:00+00:00', undefined],
    ['Wed Feb  9 22:02 MET 2000', '2000-02-09T22:02:00+01:00', undefined],
    ['Thu Jun 05 10:28:22 +0000 2014', '2014-06-05T10:28:22+00:00', undefined],
  ];
  for (const [text, iso, zoneUnknown] of cases) {
    const date = parseMailDate(text);
    assert.equal(date && formatMailDate(date), iso, text);
    assert.equal(date?.zoneUnknown, zoneUnknown, text);
  }
  assert.equal(parseMailDate('Mon, 2 Mar 2015 17:52:54 constructor')?.zoneUnknown, '"constructor"');
});

test("a Date without a usable zone gives way to the From_ line's date, then the first Received header's, when they have a zone", () => {
  const header = 'Mon, 2 Mar 2015 17:52:54 +50579034';
  const received = [
    'from mx by inbox; Mon, 2 Mar 2015 19:05:00 +0200 (EET)',
    'from laptop by mx; Mon, 2 Mar 2015 17:04:00 +0000',
  ];
  const iso = (result: ReturnType<typeof messageDate>) => result.date && formatMailDate(result.date);
  assert.equal(
    iso(messageDate({ header, envelope: 'x@xxx Mon Mar 02 16:52:54 +0000 2015', received })),
    '2015-03-02T16:52:54+00:00',
  );
  assert.equal(
    iso(messageDate({ header, envelope: 'bob@example.org Mon Mar  2 17:00:00 2015', received })),
    '2015-03-02T19:05:00+02:00',
  );
  // A From_ line without a zone (here git format-patch's constant date) does not outrank the Date's own clock.
  assert.equal(
    iso(messageDate({ header, envelope: '1234 Mon Sep 17 00:00:00 2001', received: [] })),
    '2015-03-02T17:52:54+00:00',
  );
  assert.match(
    messageDate({ header, envelope: '1234 Mon Sep 17 00:00:00 2001', received: [] }).warning!,
    /no other date in the message has one: zone unknown, read as UTC$/,
  );
  assert.deepEqual(
    messageDate({
      header: 'Tue, 19 Jun 2016 18:26:26 +0200',
      envelope: 'x@xxx Mon Mar 02 16:52:54 +0000 2015',
      received,
    }).warning,
    undefined,
  );
  assert.deepEqual(messageDate({ header: 'yesterday', received: [] }), {
    warning: 'the Date "yesterday" is not a date',
  });
});

test('an import names each message whose zone was unusable, says where its date came from, and files it there', async () => {
  const out = await temporaryDirectory();
  const result = await almanac(['import', path.join(FIXTURES, 'zones.mbox'), '--source', 'zones', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  const dates = new Map<string, unknown>();
  for (const entry of await readdir(path.join(out, 'zones'), { recursive: true, withFileTypes: true })) {
    if (!entry.name.endsWith('.md')) continue;
    const { data } = parseDocument(await readFile(path.join(entry.parentPath, entry.name), 'utf8'));
    dates.set(String(data.message_id), data.date);
  }
  assert.deepEqual(Object.fromEntries(dates), {
    'zone-ok@zones.example': '2015-03-02T11:00:00+01:00',
    'zone-huge@zones.example': '2015-03-02T16:52:54+00:00',
    'zone-letters@zones.example': '2015-03-02T19:05:00+02:00',
    'zone-partial@zones.example': '2015-03-02T19:30:00+00:00',
    'zone-none@zones.example': '2015-03-02T20:00:00+00:00',
  });
  assert.deepEqual(
    result.stderr.split('\n').filter((line) => line.startsWith('warning:')),
    [
      'warning: zone-huge@zones.example: zones.mbox:9: the Date "Mon, 2 Mar 2015 17:52:54 +50579034" has the impossible zone "+50579034"; the "From " line\'s date is used',
      'warning: zone-letters@zones.example: zones.mbox:17: the Date "Mon, 2 Mar 2015 17:52:54 dR" has the impossible zone "dR"; the first Received header\'s date is used',
      'warning: zone-partial@zones.example: zones.mbox:27: the Date "Mon, 2 Mar 2015 19:30:00 +01" has the impossible zone "+01", and no other date in the message has one: zone unknown, read as UTC',
      'warning: zone-none@zones.example: zones.mbox:35: no Date header; the "From " line\'s date is used (zone unknown, read as UTC)',
    ],
  );
});
