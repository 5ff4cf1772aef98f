import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { InputError, UsageError } from '../../src/errors.ts';
import type { Entry } from '../../src/model.ts';
import type { ImportContext } from '../importer.ts';
import { decodeLenient } from './charset.ts';
import { messageIdOf, messageIds, readHeaders } from './headers.ts';
import { mailTextToMdast } from './mailBody.ts';
import { formatMailDate, messageDate } from './mailDates.ts';
import { obfuscateText, obfuscateTree } from './obfuscateAddresses.ts';
import { decodeSubject, parseBody, type ParsedBody } from './parseMessage.ts';
import { addressKey, authorOf, senderOf, type AuthorSource } from './mailAuthor.ts';
import { addressesToNames, nameAttributions } from './addressesToNames.ts';
import { isMailmanPlaceholder, isPlaceholderSender } from './mailmanPlaceholder.ts';
import { isKnownCharset, UndeclaredText } from './undeclaredCharset.ts';
import { splitMbox, type MboxFlavor, type RawMessage, type SplitTally } from './splitMbox.ts';
import { MessageTable } from './messageTable.ts';
import { noVolumeReason, pipermailVolumes, type Volume } from './pipermailVolumes.ts';
import { StringTable } from './stringTable.ts';
import { resized } from './typedArrays.ts';
import { threadMessages } from './threading.ts';

/**
 * A mailing-list archive (mbox files, Pipermail months, Maildir folders: several inputs are one
 * source) as `message` entries, in two passes so a 1 GB archive streams: the headers pass reads
 * every message's ids, references and date (interned, a few dozen bytes a message) and threads
 * them; the bodies pass reads the files again and yields one entry at a time.
 */

/** Options from the command line (`almanac import --list … --show-addresses --pipermail-start N`). */
interface MailOptions {
  list?: string;
  showAddresses: boolean;
  maxAttachmentBytes: number;
  pipermailStart: number;
}

/** More References than this are kept in the frontmatter as the first one and the latest ones. */
const MAX_REFERENCES = 100;
const DEFAULT_ATTACHMENT_LIMIT = 10 * 1024 * 1024;
const NO_REFERENCES: readonly number[] = [];

export async function* readMailArchive(
  inputs: readonly string[],
  context: ImportContext,
  flavor: MboxFlavor,
): AsyncGenerator<Entry> {
  const options = mailOptions(context.options);
  const volumeFiles =
    flavor === 'pipermail'
      ? pipermailVolumes(inputs, context.options.volume)
      : inputs.map((file) => ({ file, volume: undefined }));
  const files = volumeFiles.map(({ file }) => file);
  // Message-IDs as numbers, their text in one Buffer (profiled: a Map of 460,000 id strings was ~100 bytes an id of live heap till the end).
  const table = new StringTable();
  const messages = new MessageTable();
  const volumeNames: string[] = [];
  const filesWithoutVolume: string[] = [];
  const gaps: string[] = [];
  // Second copies Mailman archived again, by the first copy's id: their old pages redirect to the first.
  const copiesOf = new Map<number, number[]>();
  // Each sender's name by address, for attribution lines that give only the address ("On Mon, jane at doe.com wrote:").
  const senderNames = new Map<string, string>();
  const authorSources = new Map<AuthorSource, number>();
  // Pipermail bodies are in the list's charset and say nothing of it: `--encoding` names it, else a guess per volume.
  const encoding =
    typeof context.options.encoding === 'string' && context.options.encoding.trim()
      ? context.options.encoding.trim()
      : undefined;
  if (encoding && !isKnownCharset(encoding))
    throw new UsageError(
      `--encoding ${encoding}: not a character encoding this Node.js knows (e.g. iso-8859-2, windows-1250, koi8-r)`,
    );
  const undeclaredCharsets = new Map<string, string>();
  // 48 bits of each first copy's SHA-1 by id number (NaN: not seen yet): enough to tell an identical copy.
  let firstDigest: Float64Array = new Float64Array(1024).fill(Number.NaN);
  const listIds = new Map<string, number>();
  const subjectTags = new Map<string, number>();
  const undated: number[] = [];
  /** Units the splitter accepted in each file (pass 1): each must end as a document or a reported skip. */
  const accepted: number[] = [];
  let previousTime: number | undefined;
  let sequence = options.pipermailStart;
  let sequenceSure = true;
  let previousVolume: Volume | undefined;
  let lostHeaders = 0;
  let lostHeadersAt = '';

  // Pass 1: headers.
  for (const { file, volume } of volumeFiles) {
    if (volume && previousVolume && volume.start !== previousVolume.end) {
      sequenceSure = false;
      gaps.push(
        `${path.basename(file)}: the ${volume.period === previousVolume.period ? volume.period : 'volume'} before it is not among the inputs`,
      );
    }
    if (volume) previousVolume = volume;
    if (volume) volumeNames.push(volume.name);
    else if (flavor === 'pipermail') filesWithoutVolume.push(file);
    let count = 0;
    const tally: SplitTally = { accepted: 0 };
    const before = messages.count;
    const undeclared = flavor === 'pipermail' && !encoding ? new UndeclaredText() : undefined;
    for await (const raw of rawMessages(file, flavor, tally)) {
      const where = `${path.basename(file)}:${raw.line}`;
      if (raw.junk) {
        if (raw.index === 0 && !(await hasSeparator(file, flavor))) {
          throw new InputError(
            file,
            `not ${flavor === 'pipermail' ? 'a Pipermail archive' : 'an mbox'}: it has no "From " line followed by a mail header, and does not start with one`,
            { line: raw.line },
          );
        }
        context.skip(where, `${raw.bytes.length} bytes before the first "From " line are not a message`);
        messages.skip(messages.add(-1, -1, NO_REFERENCES));
        continue;
      }
      count++;
      if (raw.envelope === undefined && raw.index === 0 && !(await isDirectory(file)))
        context.warn(`${where}: no "From " line: read as a single message`);
      const { headers, bodyStart } = readHeaders(raw.bytes);
      if (undeclared && !headers.get('content-type')) undeclared.add(raw.bytes.subarray(bodyStart));
      const sender = senderOf(headers.get('from'));
      if (sender.name && sender.address && !senderNames.has(addressKey(sender.address)))
        senderNames.set(addressKey(sender.address), sender.name);
      const sha1 = createHash('sha1').update(raw.bytes).digest();
      const digest = sha1.readUIntBE(0, 6);
      const headerId = messageIdOf(headers);
      const messageId = headerId ?? `${sha1.toString('hex')}@content-hash.invalid`;
      const id = table.intern(messageId);
      if (!headerId)
        context.warn(`${where}: no Message-ID; the id ${messageId} is derived from the content`, messageId);
      for (const kept of raw.fromLinesKept ?? []) {
        context.warn(
          `${path.basename(file)}:${kept}: a "From " line with no mail header after it is kept as text of this message (an unescaped body line, or a message without headers)`,
          messageId,
        );
      }
      for (const kept of raw.fromLinesInLength ?? []) {
        context.warn(
          `${path.basename(file)}:${kept}: a "From " line inside the body its Content-Length gives is kept as text of the message (other readers may start a message there)`,
          messageId,
        );
      }
      const inReplyTo = messageIds(headers.get('in-reply-to'))[0];
      const index = messages.add(
        id,
        inReplyTo ? table.intern(inReplyTo) : -1,
        messageIds(headers.all('references').join(' ')).map((reference) => table.intern(reference)),
      );
      // A rebuilt archive files a message whose headers were lost under the rebuild's date but numbers it where it was in the list's mbox: numbers from here on are a guess.
      if (volume && isPlaceholderSender(headers.get('from'))) {
        if (lostHeaders++ === 0) lostHeadersAt = where;
        sequenceSure = false;
      }
      // Mailman numbers every message it archives, a second copy too (pipermail.py's processUnixMailbox).
      if (volume) messages.setArchivePlace(index, sequence, volumeNames.length - 1, sequenceSure);
      if (flavor === 'pipermail') sequence++;
      // Its number is taken (the article had its page), so the messages after it keep theirs.
      if (isMailmanPlaceholder(headers, raw.bytes.subarray(bodyStart))) {
        messages.skip(index);
        context.skip(headerId ?? where, `Mailman placeholder: this message's text is not in the archive (${where})`);
        continue;
      }

      const { date, warning: dateWarning } = messageDate({
        header: headers.get('date'),
        envelope: raw.envelope,
        received: headers.all('received'),
      });
      let dated = true;
      if (date) {
        messages.setDate(index, date.time, date.offset);
        if (dateWarning) context.warn(`${where}: ${dateWarning}`, messageId);
      } else if (previousTime !== undefined) {
        messages.setDate(index, previousTime + 1000, 0);
        context.warn(`${where}: ${dateWarning ?? 'no date'}; filed one second after the message before it`, messageId);
      } else {
        undated.push(index);
        dated = false;
      }
      if (dated) previousTime = messages.time(index);

      if (firstDigest.length < table.size)
        firstDigest = resized(firstDigest, Math.max(table.size, firstDigest.length * 2), Number.NaN);
      const known = firstDigest[id];
      if (!Number.isNaN(known)) {
        messages.skip(index);
        if (volume) copiesOf.set(id, [...(copiesOf.get(id) ?? []), index]);
        context.skip(
          messageId,
          known === digest
            ? `a second copy of message ${messageId} (identical); the first was imported`
            : `another message with the Message-ID ${messageId} (${where}, different content); the first was imported`,
        );
      } else {
        firstDigest[id] = digest;
        const listId = /<([^.>]+)\./.exec(headers.get('list-id') ?? '')?.[1];
        if (listId) listIds.set(listId, (listIds.get(listId) ?? 0) + 1);
        const tag = subjectTag(decodeSubject(headers.get('subject')));
        if (tag) subjectTags.set(tag, (subjectTags.get(tag) ?? 0) + 1);
      }
    }
    if (count === 0) context.warn(`${path.basename(file)}: no messages`);
    accepted.push(tally.accepted);
    assertAccounted(file, tally.accepted, messages.count - before, `${messages.count - before} were read`);
    const guess = undeclared?.guess();
    if (guess) {
      undeclaredCharsets.set(file, guess.charset);
      context.warn(
        `${path.basename(file)}: ${undeclared!.messages} message${undeclared!.messages === 1 ? ' has' : 's have'} 8-bit text that is not UTF-8 and names no charset (a Pipermail volume is in the list's charset); read as ${guess.charset}, the best guess (chardet, ${guess.confidence}% sure): if letters come out wrong, name the list's charset with --encoding`,
      );
    }
  }
  firstDigest = new Float64Array(0);
  // Messages before the first dated one are filed one second apart before it.
  const undatedSet = new Set(undated);
  let firstDated = 0;
  for (let index = 0; index < messages.count; index++) {
    if (!messages.skipped(index) && !undatedSet.has(index)) {
      firstDated = messages.time(index);
      break;
    }
  }
  undated.forEach((index, order) => {
    messages.setDate(index, firstDated - (undated.length - order) * 1000, 0);
    context.warn(
      'no date, and none before it; filed just before the first dated message',
      table.get(messages.id(index)),
    );
  });

  const places = threadMessages(messages, table.size);
  let unique = 0;
  for (let index = 0; index < messages.count; index++) if (!messages.skipped(index)) unique++;
  const list = options.list ?? mostCommon(listIds) ?? listFromTags(subjectTags, unique)?.toLowerCase();
  const listTag = listFromTags(subjectTags, unique, options.list);
  const archiveBase = flavor === 'pipermail' && context.oldBase ? pipermailBase(context.oldBase, list) : undefined;
  if (flavor === 'pipermail' && context.oldBase && !archiveBase)
    context.warn(
      `--old-base ${context.oldBase}: the list's name is unknown, so old Pipermail URLs cannot be made; give it with --list`,
    );
  if (archiveBase) {
    for (const file of filesWithoutVolume) context.warn(noVolumeReason(file));
    if (lostHeaders > 0)
      context.warn(
        `${lostHeadersAt}: ${lostHeaders} message${lostHeaders === 1 ? ' is' : 's are'} Mailman's placeholder for lost headers (From bogus@does.not.exist.com); a rebuilt archive numbers such a message where it was in the list's history, not here, so Pipermail numbers (old URLs) from there on are a guess`,
      );
    if (gaps.length > 0)
      context.warn(
        `${gaps[0]}${gaps.length > 1 ? ` (nor before ${gaps.length - 1} more)` : ''}; Pipermail numbers (old URLs) from there on are a guess`,
      );
    if (volumeNames.length > 0) {
      context.warn(
        `old Pipermail URLs (${archiveBase}<volume>/<NNNNNN>.html) count messages from ${String(options.pipermailStart).padStart(6, '0')} across the volumes given; they are right when the first volume given is the list's first (else use --pipermail-start) and no message was deleted from the archive`,
      );
    }
  }

  // Pass 2: bodies.
  let undeclaredParts = 0;
  let position = 0;
  let done = 0;
  for (const [order, file] of files.entries()) {
    const tally: SplitTally = { accepted: 0 };
    let written = 0;
    let skipped = 0;
    for await (const raw of rawMessages(file, flavor, tally)) {
      const index = position++;
      if (index >= messages.count) continue; // not accounted for: the check after the file says so
      if (messages.skipped(index)) {
        skipped++;
        continue;
      }
      const id = messages.id(index);
      const messageId = table.get(id);
      const where = `${path.basename(file)}:${raw.line}`;
      const split = readHeaders(raw.bytes);
      const { headers, bodyStart } = split;
      let parsed: ParsedBody;
      try {
        parsed = await parseBody(raw.bytes, split, {
          ...options,
          undeclaredCharset: encoding ?? undeclaredCharsets.get(file),
        });
      } catch (error) {
        context.warn(
          `${where}: the MIME structure cannot be read (${(error as Error).message}); the body is kept as plain text`,
          messageId,
        );
        const tree = mailTextToMdast(decodeLenient(raw.bytes.subarray(bodyStart)));
        parsed = {
          tree: options.showAddresses ? tree : obfuscateTree(tree),
          attachments: [],
          warnings: [],
          undeclaredParts: 0,
        };
      }
      // A Pipermail volume's guessed charset was said in pass 1; a charset the user named needs no warning.
      if (!encoding && !undeclaredCharsets.has(file)) undeclaredParts += parsed.undeclaredParts;
      for (const warning of parsed.warnings) context.warn(`${where}: ${warning}`, messageId);
      if (!options.showAddresses) nameAttributions(parsed.tree, (key) => senderNames.get(key));
      // Mailman's placeholder address is no one's.
      const { author, source } = authorOf(
        isPlaceholderSender(headers.get('from')) ? {} : senderOf(headers.get('from')),
        { showAddresses: options.showAddresses, list },
      );
      authorSources.set(source, (authorSources.get(source) ?? 0) + 1);
      const date = formatMailDate({ time: messages.time(index), offset: messages.offset(index) });
      const references = Array.from(messages.references(index), (reference) => table.get(reference));
      const inReplyTo = messages.inReplyTo(index);
      const parent = places.parent[id];
      const subject = withoutListTag(decodeSubject(headers.get('subject')), listTag);
      const oldUrls: string[] = [];
      const extra: Record<string, unknown> = {
        message_id: messageId,
        in_reply_to: inReplyTo === -1 ? undefined : table.get(inReplyTo),
        references:
          references.length === 0
            ? undefined
            : references.length > MAX_REFERENCES
              ? [references[0], ...references.slice(-(MAX_REFERENCES - 1))]
              : references,
        thread: table.get(places.thread[id]),
        thread_parent: parent === -1 ? undefined : table.get(parent),
        thread_parent_missing: places.placeholder[id] === 1 || undefined,
        list,
      };
      if (references.length > MAX_REFERENCES)
        context.warn(
          `${where}: ${references.length} References; the frontmatter keeps the first and the last ${MAX_REFERENCES - 1}`,
          messageId,
        );
      const archived = messages.archivePlace(index);
      if (archiveBase && archived) {
        for (const place of [archived, ...(copiesOf.get(id) ?? []).map((copy) => messages.archivePlace(copy)!)]) {
          oldUrls.push(`${archiveBase}${volumeNames[place.month]}/${String(place.sequence).padStart(6, '0')}.html`);
        }
        extra.old_url_certainty = archived.sure ? 'likely' : 'guess';
      }
      context.progress(++done, unique);
      written++;
      yield {
        kind: 'message',
        originalId: messageId,
        title: options.showAddresses
          ? subject
          : addressesToNames(obfuscateText(subject), (key) => senderNames.get(key)),
        body: { type: 'mdast', value: parsed.tree },
        date,
        author,
        tags: [],
        draft: false,
        oldUrls,
        comments: [],
        permalink: `/${context.source}/${date.slice(0, 4)}/${date.slice(5, 7)}/${messageKey(messageId)}/`,
        extra: Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== undefined)),
        attachments: parsed.attachments.length > 0 ? parsed.attachments : undefined,
      };
    }
    if (tally.accepted !== accepted[order])
      throw new InputError(
        file,
        `changed while it was read: ${accepted[order]} messages the first time, ${tally.accepted} the second; import it again when nothing writes to it`,
      );
    assertAccounted(
      file,
      tally.accepted,
      written + skipped,
      `${written} became documents and ${skipped} were reported as skipped`,
    );
  }
  if (undeclaredParts > 0) {
    context.warn(
      `${undeclaredParts} message part${undeclaredParts === 1 ? ' has' : 's have'} 8-bit text that is not UTF-8 and names no charset; read as windows-1252, what mail readers assume: if letters come out wrong, name the charset with --encoding`,
    );
  }
  const byLocalPart = authorSources.get('local part') ?? 0;
  const byList = authorSources.get('list') ?? 0;
  if (byLocalPart + byList > 0) {
    const shown = [
      byLocalPart > 0 ? `${byLocalPart} by the local part of the address (before the @)` : '',
      byList > 0
        ? `${byList} from the list's robots (mailman, -request, -owner, -bounces, listserv…) by the list's name, ${list}`
        : '',
    ].filter(Boolean);
    context.warn(
      `${byLocalPart + byList} of ${done} messages give no sender name; their author is shown ${shown.join(', and ')}: no address is published`,
    );
  }
}

/** DESIGN.md's accounting: every message the splitter accepted ends as a document or a reported skip; one lost on the way stops the import. */
function assertAccounted(file: string, accepted: number, accounted: number, what: string): void {
  if (accepted === accounted) return;
  throw new InputError(
    file,
    `the mbox reader accepted ${accepted} messages but ${what}: ${Math.abs(accepted - accounted)} would be lost without a word, so the import stops (an Almanac bug: please report it with this file)`,
  );
}

/** A short, stable key for a Message-ID: base32 of its SHA-1, as Mailman 3 (HyperKitty) names messages, cut to 13 characters (65 bits). */
export function messageKey(messageId: string): string {
  const digest = createHash('sha1').update(messageId).digest();
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0;
  let value = 0;
  let key = '';
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && key.length < 13) {
      key += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return key;
}

function mailOptions(options: Readonly<Record<string, unknown>>): MailOptions {
  const start = Number(options.pipermailStart ?? 0);
  const limit = Number(options.maxAttachmentBytes ?? DEFAULT_ATTACHMENT_LIMIT);
  return {
    list: typeof options.list === 'string' && options.list.trim() ? options.list.trim() : undefined,
    showAddresses: options.showAddresses === true,
    maxAttachmentBytes: Number.isFinite(limit) && limit >= 0 ? limit : DEFAULT_ATTACHMENT_LIMIT,
    pipermailStart: Number.isInteger(start) && start >= 0 ? start : 0,
  };
}

/** The messages of one input: an mbox or Pipermail file (gzip-compressed or not), or a Maildir folder. */
async function* rawMessages(file: string, flavor: MboxFlavor, tally?: SplitTally): AsyncGenerator<RawMessage> {
  if (await isDirectory(file)) {
    yield* maildirMessages(file, tally);
    return;
  }
  // 64 KB reads: a 1 MB chunk outlived several young-generation GCs while its ~450 messages were parsed, so the chunks piled up in the old generation till a full GC (measured: 30–60 MB of dead ArrayBuffers on a 100,000-message import; 64 KB: ~20 MB).
  const stream = createReadStream(file, { highWaterMark: 1 << 16 });
  yield* splitMbox((await isGzip(file)) ? stream.pipe(createGunzip()) : stream, flavor, tally);
}

async function* maildirMessages(folder: string, tally: SplitTally = { accepted: 0 }): AsyncGenerator<RawMessage> {
  const subfolders = (
    await Promise.all(
      ['cur', 'new'].map(async (name) =>
        (await isDirectory(path.join(folder, name))) ? path.join(folder, name) : undefined,
      ),
    )
  ).filter((name): name is string => !!name);
  const folders = subfolders.length > 0 ? subfolders : [folder];
  let index = 0;
  for (const current of folders) {
    const names = (await readdir(current, { withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort();
    for (const name of names) {
      tally.accepted++;
      yield { index: index++, offset: 0, line: 1, bytes: await readFile(path.join(current, name)) };
    }
  }
}

async function isDirectory(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined))?.isDirectory() ?? false;
}

async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const magic = Buffer.alloc(2);
    await handle.read(magic, 0, 2, 0);
    return magic[0] === 0x1f && magic[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

async function hasSeparator(file: string, flavor: MboxFlavor): Promise<boolean> {
  let count = 0;
  for await (const raw of rawMessages(file, flavor)) if (!raw.junk || ++count > 1) return true;
  return false;
}

function pipermailBase(oldBase: string, list: string | undefined): string | undefined {
  const base = oldBase.endsWith('/') ? oldBase : `${oldBase}/`;
  if (/\/pipermail\/[^/]+\/$/.test(base)) return base;
  return list ? `${base}pipermail/${list}/` : undefined;
}

/** The bracket tag a list puts before subjects (`[Metrics-grimoire] …`), past `Re:`/`Fwd:`. */
function subjectTag(subject: string): string | undefined {
  const tag = /^(?:(?:re|fwd?|aw|sv|antw)\s*(?:\[\d+\])?\s*:\s*)*\[([^\]]{1,64})\]/i.exec(subject)?.[1];
  // `[PATCH 3/7]`, `[RFC]`, `[ANNOUNCE]` are about the message, not the list.
  if (!tag || /\d|^(patch|rfc|announce|ann|fyi|ot|solved|resend|wip|pull|git pull|discuss)\b/i.test(tag))
    return undefined;
  return tag;
}

/** The list tag: the one named, else a tag on at least a third of the messages. */
function listFromTags(tags: Map<string, number>, messages: number, named?: string): string | undefined {
  if (named) return [...tags.keys()].find((tag) => tag.toLowerCase() === named.toLowerCase()) ?? named;
  const [tag, count] = [...tags.entries()].sort((a, b) => b[1] - a[1])[0] ?? [];
  return tag && count! >= Math.max(1, messages / 3) ? tag : undefined;
}

function withoutListTag(subject: string, tag: string | undefined): string {
  if (!tag) return subject;
  const escaped = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return subject.replace(new RegExp(`\\[${escaped}\\]\\s*`, 'gi'), '').trim();
}

function mostCommon(counts: Map<string, number>): string | undefined {
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
