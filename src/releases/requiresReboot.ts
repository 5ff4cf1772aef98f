/**
 * Whether an announcement says its update needs a reboot ("This update requires a reboot",
 * "a reboot is required", "Reboot required"), and not that it does not ("does not require a
 * reboot", "no reboot is needed", "can be applied without a reboot").
 * Sentence by sentence, because one mail often says both about different releases.
 */
const SAYS_REBOOT = [
  /\b(?:requires?|required|needs?|needed|necessitates?|calls? for|mandates?)\b[^.!?;]{0,60}\b(?:re-?boot|restart of the (?:system|machine|host|server))/i,
  /\bre-?boot\b[^.!?;]{0,30}\b(?:is |are |will be |be )?(?:required|needed|necessary|mandatory)\b/i,
  /\b(?:you|users|administrators|systems?)\b[^.!?;]{0,20}\b(?:must|should|will need to|have to|need to)\b[^.!?;]{0,10}\bre-?boot\b/i,
];

const NEGATION = /\b(?:not|no|never|without|nor|neither|n't|non)\b|n't\b/i;

export function requiresReboot(text: string): boolean {
  for (const sentence of text.split(/(?<=[.!?;])\s+|\n\s*\n/)) {
    // A question ("does it need a reboot?") says nothing either way.
    if (!/re-?boot|restart/i.test(sentence) || sentence.trimEnd().endsWith('?')) continue;
    for (const pattern of SAYS_REBOOT) {
      const match = pattern.exec(sentence);
      if (!match) continue;
      // "does not require a reboot", "no reboot is required": a negation before or inside the phrase.
      const before = sentence.slice(0, match.index + match[0].length);
      if (NEGATION.test(before.slice(Math.max(0, match.index - 25)))) continue;
      return true;
    }
  }
  return false;
}
