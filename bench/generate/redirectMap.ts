import type { Redirect } from '../../src/redirects/map.ts';

const WORDS = [
  'zones',
  'illumos',
  'dtrace',
  'kernel',
  'release',
  'notes',
  'build',
  'packages',
  'boot',
  'network',
  'zfs',
  'smf',
  'crossbow',
  'kvm',
  'bhyve',
  'tribblix',
];

/** `count` Blogger-shaped redirects (`/2011/07/zfs-boot-notes-123.html` → `/blog/2011/07/zfs-boot-notes-123/`), the same for the same count. */
export function generateRedirects(count: number): Redirect[] {
  let state = 0x9e3779b9;
  const random = () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, (_, index) => {
    const year = 2004 + Math.floor(random() * 18);
    const month = String(1 + Math.floor(random() * 12)).padStart(2, '0');
    const slug = `${Array.from({ length: 2 + Math.floor(random() * 4) }, () => WORDS[Math.floor(random() * WORDS.length)]).join('-')}-${index}`;
    return { from: `/${year}/${month}/${slug}.html`, to: `/blog/${year}/${month}/${slug}/`, origin: 'bench' };
  });
}
