/** CVE ids as MITRE writes them: CVE-YYYY-NNNN with four or more digits. */
const CVE = /\bCVE-(\d{4})-(\d{4,})\b/gi;

/** Every CVE id the text names, upper-cased, once each, oldest first (by year, then number). */
export function findCves(text: string): string[] {
  const found = new Map<string, [number, number]>();
  for (const match of text.matchAll(CVE))
    found.set(`CVE-${match[1]}-${match[2]}`, [Number(match[1]), Number(match[2])]);
  return [...found.entries()].sort(([, a], [, b]) => a[0] - b[0] || a[1] - b[1]).map(([id]) => id);
}

/** The CVE record's page: cve.org is the programme's own site and keeps every id, rejected ones too. */
export function cveUrl(id: string): string {
  return `https://www.cve.org/CVERecord?id=${encodeURIComponent(id.toUpperCase())}`;
}
