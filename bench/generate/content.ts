/**
 * A deterministic content folder as `almanac import` writes it: N posts over a few blogs,
 * with frontmatter per DESIGN.md (tags, comments, old URLs) and Markdown bodies of the kind the
 * knowledge base holds (prose with links and inline code, headings, lists, tables, and code in
 * C, shell sessions, Python and diff). No `{{` or `{%`: bare Eleventy runs Markdown through Liquid.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dump } from 'js-yaml';
import { seededRandom } from './random.ts';

const SOURCES = ['kernel-notes', 'zones-and-zfs', 'bhyve-journal', 'dtrace-diaries', 'sunblogs'];
const TAGS = [
  'ZFS',
  'DTrace',
  'zones',
  'bhyve',
  'KVM',
  'QEMU',
  'networking',
  'Crossbow',
  'SMF',
  'illumos',
  'OmniOS',
  'OpenIndiana',
  'SmartOS',
  'Tribblix',
  'performance',
  'debugging',
  'mdb',
  'kernel',
  'storage',
  'NFS',
  'security',
  'IPS',
  'pkg',
  'boot',
  'release',
  'LX',
  'Solaris',
  'virtio',
  'CPU',
  'memory',
];
const WORDS = (
  'the pool dataset snapshot clone zone kernel probe thread process scheduler driver device module boot loader ' +
  'guest host hypervisor network interface link aggregation vnic stack buffer cache page memory allocator slab ' +
  'latency throughput compile build release update patch upstream gate review test run fix bug regression ' +
  'when after before because while although every some most few many this that those these our their its ' +
  'works fails shows needs makes takes keeps finds writes reads maps counts traces measures tunes replaces ' +
  'quickly slowly carefully again finally usually rarely often simply clearly'
).split(' ');
const COMMANDS = [
  'zfs list -o name,used,avail',
  'zpool status -x',
  "dtrace -n 'syscall:::entry { @[probefunc] = count(); }'",
  'zoneadm list -cv',
  'pfexec beadm create upgrade',
  'mdb -k',
  'dladm show-link',
  'pkg update -v',
  'svcs -xv',
  'prstat -mLc 1 5',
];

function sentence(next: () => number, words: number): string {
  const parts: string[] = [];
  for (let index = 0; index < words; index++) {
    let word = WORDS[Math.floor(next() * WORDS.length)];
    const roll = next();
    if (roll < 0.03) word = `\`${word}\``;
    else if (roll < 0.05) word = `_${word}_`;
    else if (roll < 0.06) word = `[${word}](https://illumos.org/docs/${word}/)`;
    parts.push(word);
  }
  const text = parts.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}.`;
}

function paragraph(next: () => number): string {
  const count = 2 + Math.floor(next() * 4);
  return Array.from({ length: count }, () => sentence(next, 8 + Math.floor(next() * 14))).join(' ');
}

function codeBlock(next: () => number, n: number): string {
  switch (Math.floor(next() * 4)) {
    case 0:
      return `\`\`\`c\nstatic int\nexample_${n}(const char *name, size_t len)\n{\n\tif (len == 0)\n\t\treturn (EINVAL);\n\treturn (strncmp(name, "pool", len) == 0 ? 0 : ENOENT);\n}\n\`\`\``;
    case 1:
      return `\`\`\`shell-session\n$ pfexec ${COMMANDS[n % COMMANDS.length]}\nNAME        USED  AVAIL  REFER  MOUNTPOINT\nrpool      ${(n % 90) + 10}.2G  40.1G   106K  /rpool\n\`\`\``;
    case 2:
      return `\`\`\`python\nimport subprocess\n\ndef pools():\n    out = subprocess.run(["zpool", "list", "-H"], capture_output=True, text=True)\n    return [line.split()[0] for line in out.stdout.splitlines()]  # ${n}\n\`\`\``;
    default:
      return `\`\`\`diff\n--- a/usr/src/uts/common/fs/zfs/arc.c\n+++ b/usr/src/uts/common/fs/zfs/arc.c\n@@ -${n % 900},6 +${n % 900},7 @@\n \tmutex_enter(&arc_lock);\n-\tarc_size -= delta;\n+\tarc_size -= MIN(delta, arc_size);\n+\tarc_adjust();\n \tmutex_exit(&arc_lock);\n\`\`\``;
  }
}

function body(next: () => number, n: number): string {
  const blocks: string[] = [paragraph(next), paragraph(next)];
  if (next() < 0.6) blocks.push(codeBlock(next, n));
  blocks.push(`## ${sentence(next, 4).slice(0, -1)}`, paragraph(next));
  if (next() < 0.5)
    blocks.push(Array.from({ length: 3 + Math.floor(next() * 3) }, () => `- ${sentence(next, 6)}`).join('\n'));
  if (next() < 0.2)
    blocks.push(`| Setting | Value |\n|---|---|\n| recordsize | ${2 ** (4 + (n % 4))}K |\n| compression | lz4 |`);
  if (next() < 0.3) blocks.push(`> ${sentence(next, 12)}`);
  blocks.push(paragraph(next));
  if (next() < 0.3)
    blocks.push(
      `See also [an earlier post](/${SOURCES[n % SOURCES.length]}/) and the [illumos docs](https://illumos.org/books/).`,
    );
  return `${blocks.join('\n\n')}\n`;
}

export interface GeneratedContent {
  dir: string;
  posts: number;
  /** One post's file, for the rebuild-one measurement. */
  samplePost: string;
}

/** Writes `posts` documents under `dir` (emptied first). */
export async function generateContent(dir: string, posts: number, seed = 6): Promise<GeneratedContent> {
  await rm(dir, { recursive: true, force: true });
  const next = seededRandom(seed);
  let samplePost = '';
  for (let n = 0; n < posts; n++) {
    const source = SOURCES[n % SOURCES.length];
    const when = new Date(
      Date.UTC(2005, 0, 1) + Math.floor(next() * 19 * 365) * 86_400_000 + Math.floor(next() * 86_400) * 1000,
    );
    const year = when.getUTCFullYear();
    const month = String(when.getUTCMonth() + 1).padStart(2, '0');
    const slug = `post-${n}-${WORDS[n % WORDS.length]}`;
    const title = `${sentence(next, 3 + Math.floor(next() * 5)).slice(0, -1)} (${n})`;
    const tags = [
      ...new Set(Array.from({ length: 1 + Math.floor(next() * 4) }, () => TAGS[Math.floor(next() * TAGS.length)])),
    ];
    const comments =
      next() < 0.3
        ? Array.from({ length: 1 + Math.floor(next() * 4) }, (_, index) => ({
            id: `c${n}-${index}`,
            author: `Reader ${index}`,
            date: when.toISOString().replace('Z', '+00:00'),
            in_reply_to: index > 0 && next() < 0.4 ? `c${n}-${index - 1}` : undefined,
            body: sentence(next, 10),
          }))
        : undefined;
    const data = {
      title,
      date: when.toISOString().replace(/\.\d{3}Z$/, '+00:00'),
      author: `Author ${n % 17}`,
      tags,
      source,
      kind: 'post',
      original_id: `tag:blogger.com,1999:blog-${n % SOURCES.length}.post-${n}`,
      original_url: `https://${source}.blogspot.com/${year}/${month}/${slug}.html`,
      redirect_from: [`/${year}/${month}/${slug}.html`],
      permalink: `/${source}/${year}/${month}/${slug}/`,
      comments: comments?.map((comment) =>
        Object.fromEntries(Object.entries(comment).filter(([, value]) => value !== undefined)),
      ),
    };
    const file = path.join(dir, source, String(year), month, `${slug}.md`);
    await mkdir(path.dirname(file), { recursive: true });
    const frontmatter = dump(Object.fromEntries(Object.entries(data).filter(([, value]) => value !== undefined)), {
      lineWidth: -1,
    });
    await writeFile(file, `---\n${frontmatter}---\n\n${body(next, n)}`);
    if (n === Math.floor(posts / 2)) samplePost = file;
  }
  return { dir, posts, samplePost };
}
