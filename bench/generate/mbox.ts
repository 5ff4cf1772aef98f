/**
 * A deterministic mailing-list mbox for the mail benchmark: `messages` messages (~2.5 KB each, so
 * 20,000 ≈ 50 MB) in threads like a real list's — most single-part plain text with quotes, some
 * quoted-printable UTF-8, inline patches, multipart/alternative, and small base64 attachments.
 * Written as a stream, never held in memory.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

const WORDS =
  'zfs pool dataset snapshot illumos kernel boot driver build gate review patch zone network mdb dtrace crash dump service smf package omnios release upgrade memory disk mirror raidz scrub resilver compile gcc make test failure works thanks please think should would could because before after during system firmware bhyve qemu virtio guest host device interface'.split(
    ' ',
  );

export async function writeMbox(file: string, { messages }: { messages: number }): Promise<void> {
  let seed = 20200504;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const sentence = () => {
    const words = Array.from({ length: 6 + Math.floor(random() * 12) }, () => pick(WORDS));
    return `${words[0][0].toUpperCase()}${words.join(' ').slice(1)}.`;
  };
  const paragraph = () => wrap(Array.from({ length: 2 + Math.floor(random() * 4) }, sentence).join(' '));
  const out = createWriteStream(file);
  const threads: { id: string; references: string[]; subject: string; text: string }[] = [];
  const start = Date.UTC(2015, 0, 1);
  for (let index = 0; index < messages; index++) {
    const person = Math.floor(random() * 300);
    const name = `Person ${person}`;
    const address = `person${person}@example.org`;
    const time = new Date(start + index * 600_000);
    const id = `${index}.${person}@bench.example.org`;
    const parent =
      threads.length > 0 && random() < 0.6
        ? threads[threads.length - 1 - Math.floor(random() * Math.min(200, threads.length))]
        : undefined;
    const subject = parent
      ? parent.subject.startsWith('Re: ')
        ? parent.subject
        : `Re: ${parent.subject}`
      : `[bench-list] ${sentence().slice(0, 50)}`;
    const references = parent ? [...parent.references.slice(-20), parent.id] : [];
    const headers = [
      `From: ${name} <${address}>`,
      `To: bench-list <bench-list@lists.example.org>`,
      `Subject: ${subject}`,
      `Date: ${time.toUTCString().replace('GMT', '+0000')}`,
      `Message-ID: <${id}>`,
      ...(parent
        ? [`In-Reply-To: <${parent.id}>`, `References: ${references.map((reference) => `<${reference}>`).join('\n ')}`]
        : []),
      'List-Id: Bench list <bench-list.lists.example.org>',
      'MIME-Version: 1.0',
    ];
    const quote = parent
      ? `On ${time.toUTCString()}, somebody wrote:\n${parent.text
          .split('\n')
          .slice(0, 8)
          .map((line) => `> ${line}`)
          .join('\n')}\n\n`
      : '';
    const text = `${quote}${Array.from({ length: 3 + Math.floor(random() * 5) }, paragraph).join('\n\n')}\n\n-- \n${name}\n`;
    const kind = random();
    let body: string;
    if (kind < 0.7) {
      headers.push('Content-Type: text/plain; charset=us-ascii', 'Content-Transfer-Encoding: 7bit');
      body = text;
    } else if (kind < 0.8) {
      headers.push('Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: quoted-printable');
      body = quotedPrintable(`${text}Grüße — ${name}\n`);
    } else if (kind < 0.9) {
      headers.push('Content-Type: text/plain; charset=us-ascii');
      body = `${paragraph()}\n\nSigned-off-by: ${name} <${address}>\n---\n usr/src/uts/common/fs/zfs/spa.c | 4 ++--\n 1 file changed, 2 insertions(+), 2 deletions(-)\n\ndiff --git a/usr/src/uts/common/fs/zfs/spa.c b/usr/src/uts/common/fs/zfs/spa.c\nindex 1111111..2222222 100644\n--- a/usr/src/uts/common/fs/zfs/spa.c\n+++ b/usr/src/uts/common/fs/zfs/spa.c\n@@ -10,7 +10,7 @@\n context line\n-old line ${index}\n+new line ${index}\n context line\n-- \n2.39.2\n`;
    } else if (kind < 0.95) {
      headers.push('Content-Type: multipart/alternative; boundary="alt"');
      body = `--alt\nContent-Type: text/plain; charset=us-ascii\n\n${text}\n--alt\nContent-Type: text/html; charset=us-ascii\n\n<html><body>${text
        .split('\n\n')
        .map((block) => `<p>${block.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</p>`)
        .join('')}</body></html>\n--alt--\n`;
    } else {
      headers.push('Content-Type: multipart/mixed; boundary="mix"');
      const data = Buffer.from(Array.from({ length: 600 }, (_, byte) => (byte * 31 + index) & 255))
        .toString('base64')
        .replace(/.{76}/g, '$&\n');
      body = `--mix\nContent-Type: text/plain; charset=us-ascii\n\n${text}\n--mix\nContent-Type: application/octet-stream; name="dump-${index}.bin"\nContent-Disposition: attachment; filename="dump-${index}.bin"\nContent-Transfer-Encoding: base64\n\n${data}\n--mix--\n`;
    }
    threads.push({ id, references, subject, text: text.split('\n-- \n')[0] });
    if (threads.length > 400) threads.splice(0, threads.length - 400);
    const escaped = body.replace(/^(>*From )/gm, '>$1');
    if (!out.write(`From ${address} ${asctime(time)}\n${headers.join('\n')}\n\n${escaped}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function wrap(text: string): string {
  return text.replace(/(.{1,72})(\s+|$)/g, '$1\n').trim();
}

function quotedPrintable(text: string): string {
  return Buffer.from(text)
    .toString('latin1')
    .replace(/[=\u0080-\u00ff]/g, (char) => `=${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)
    .split('\n')
    .map((line) => line.replace(/(.{73})(?=.)/g, '$1=\n'))
    .join('\n');
}

function asctime(date: Date): string {
  const [weekday, , , , time] = date.toUTCString().split(' ');
  const month = date.toUTCString().split(' ')[2];
  return `${weekday.slice(0, 3)} ${month} ${String(date.getUTCDate()).padStart(2, ' ')} ${time} ${date.getUTCFullYear()}`;
}
