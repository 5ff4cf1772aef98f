/**
 * The versions one announcement names, from the first capture group of `--release-pattern`:
 * "r151030be, r151032ae, r151034e" and "r151046 and r151044" both name several.
 */
export function extractVersions(captured: string): string[] {
  const versions = captured
    .split(/\s*(?:,|;|&|\band\b)\s*/i)
    .map((version) => version.trim().replace(/[.:!]+$/, ''))
    .filter((version) => version !== '');
  return [...new Set(versions)];
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** Orders versions as people read them: r151046b after r151046, 1.10 after 1.9. */
export function compareVersions(a: string, b: string): number {
  return collator.compare(a, b);
}
